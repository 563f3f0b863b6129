// Reads from services whose evidence AWS Config does not hold: WorkSpaces directories (endpoint
// encryption mode), the Macie session, and a bounded CloudTrail event sample (TLS details).
import { CloudTrailClient, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { GetMacieSessionCommand, Macie2Client } from '@aws-sdk/client-macie2';
import { paginateDescribeWorkspaceDirectories, WorkSpacesClient } from '@aws-sdk/client-workspaces';
import type { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { bounded, type CallScope, type CollectionSession } from './session.ts';

/** Management events sampled per region for TLS details (LookupEvents returns at most 50 a page). */
export const cloudtrailSampleSize = 500;

export interface ClientConfig { region: string; credentials: ReturnType<typeof fromNodeProviderChain>; retryMode: 'adaptive'; maxAttempts: number }

/** The supplementary reads for one account and region, each saved under aws/<account>/<region>/. */
export function supplementaryReads(session: CollectionSession, scope: CallScope, config: ClientConfig, limit: <T>(fn: () => Promise<T>) => Promise<T>): Promise<unknown>[] {
  const at = (rel: string) => `aws/${scope.account}/${scope.region}/${rel}`;
  const workspaces = new WorkSpacesClient(config);
  const macie = new Macie2Client(config);
  const cloudtrail = new CloudTrailClient(config);
  const reads = [
    limit(() => session.many('workspaces:DescribeWorkspaceDirectories', scope, at('workspaces/DescribeWorkspaceDirectories.json'), undefined, paginateDescribeWorkspaceDirectories({ client: workspaces }, {}))),
    limit(() => session.one('macie2:GetMacieSession', scope, at('macie2/GetMacieSession.json'), () => macie.send(new GetMacieSessionCommand({})))),
    limit(() => session.many('cloudtrail:LookupEvents', scope, at('cloudtrail/LookupEvents.json'), undefined,
      bounded(paginateLookupEvents({ client: cloudtrail, pageSize: 50 }, { LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }] }), cloudtrailSampleSize, (p) => (p as { Events?: unknown[] }).Events?.length ?? 0))),
  ];
  void Promise.allSettled(reads).then(() => { for (const c of [workspaces, macie, cloudtrail]) c.destroy(); });
  return reads;
}
