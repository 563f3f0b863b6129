// Reads from services whose evidence AWS Config does not hold: WorkSpaces directories (endpoint
// encryption mode), the Macie session, a bounded CloudTrail event sample (TLS details), AppStream
// stacks (the application-settings bucket), each trail's logging status and event selectors, and the
// account's IAM credential report (MFA).
import { setTimeout as sleep } from 'node:timers/promises';
import { AppStreamClient, DescribeStacksCommand } from '@aws-sdk/client-appstream';
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, paginateLookupEvents, type DescribeTrailsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetMacieSessionCommand, Macie2Client } from '@aws-sdk/client-macie2';
import { paginateDescribeWorkspaceDirectories, WorkSpacesClient } from '@aws-sdk/client-workspaces';
import type { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { macieNotEnabledResponse } from '../evidence/macie-session.ts';
import type { Operation } from './operations.ts';
import { bounded, followNextToken, paginate, type CallScope, type CollectionSession } from './session.ts';

/** Management events sampled per region for TLS details (LookupEvents returns at most 50 a page). */
export const cloudtrailSampleSize = 500;

/** How long to wait for IAM to generate a credential report before recording a gap. */
export const credentialReportWaitMs = 60_000;

/** What the supplementary reads give: per region, and once per account (IAM, recorded under "global"). */
export const supplementaryApis = {
  regional: ['workspaces:DescribeWorkspaceDirectories', 'macie2:GetMacieSession', 'cloudtrail:LookupEvents', 'cloudtrail:DescribeTrails', 'appstream:DescribeStacks'],
  global: ['iam:GetCredentialReport'],
} as const satisfies Record<string, readonly Operation[]>;

/** Records that an account's supplementary evidence was not read, as one gap per region and API. */
export function notRead(session: CollectionSession, account: string, regions: string[], reason: string): void {
  for (const region of regions) for (const api of supplementaryApis.regional) session.gaps.push({ account, region, api, reason });
  for (const api of supplementaryApis.global) session.gaps.push({ account, region: 'global', api, reason });
}

export interface ClientConfig {
  region: string;
  credentials: ReturnType<typeof fromNodeProviderChain>;
  retryMode: 'adaptive';
  maxAttempts: number;
}

/** The supplementary reads for one account and region, each saved under aws/<account>/<region>/. */
export function supplementaryReads(session: CollectionSession, scope: CallScope, config: ClientConfig, limit: <T>(fn: () => Promise<T>) => Promise<T>): Promise<unknown>[] {
  const at = (rel: string) => `aws/${scope.account}/${scope.region}/${rel}`;
  const workspaces = new WorkSpacesClient(config);
  const macie = new Macie2Client(config);
  const cloudtrail = new CloudTrailClient(config);
  const appstream = new AppStreamClient(config);
  const reads = [
    limit(() =>
      session.many(
        'workspaces:DescribeWorkspaceDirectories',
        scope,
        at('workspaces/DescribeWorkspaceDirectories.json'),
        undefined,
        paginate(paginateDescribeWorkspaceDirectories, { client: workspaces }, {}),
      ),
    ),
    limit(() => session.one('macie2:GetMacieSession', scope, at('macie2/GetMacieSession.json'), () => macie.send(new GetMacieSessionCommand({})), { answer: macieNotEnabledResponse })),
    limit(() =>
      session.many(
        'cloudtrail:LookupEvents',
        scope,
        at('cloudtrail/LookupEvents.json'),
        undefined,
        bounded(
          paginate(paginateLookupEvents, { client: cloudtrail, pageSize: 50 }, { LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }] }),
          cloudtrailSampleSize,
          (p) => (p as { Events?: unknown[] }).Events?.length ?? 0,
        ),
      ),
    ),
    trailReads(session, scope, cloudtrail, limit),
    limit(() =>
      session.many(
        'appstream:DescribeStacks',
        scope,
        at('appstream/DescribeStacks.json'),
        undefined,
        followNextToken((NextToken) => appstream.send(new DescribeStacksCommand({ NextToken }))),
      ),
    ),
  ];
  void Promise.allSettled(reads).then(() => {
    for (const c of [workspaces, macie, cloudtrail, appstream]) c.destroy();
  });
  return reads;
}

/**
 * The trails homed in this region, then each one's logging status and event selectors, saved under
 * cloudtrail/GetTrailStatus/<trail>.json and cloudtrail/GetEventSelectors/<trail>.json. Shadow trails (a
 * multi-region trail's copies in other regions, an organization trail seen from a member account) are left
 * out: each trail is read once, in its home region, by the account that owns it.
 */
async function trailReads(session: CollectionSession, scope: CallScope, cloudtrail: CloudTrailClient, limit: <T>(fn: () => Promise<T>) => Promise<T>): Promise<void> {
  const at = (rel: string) => `aws/${scope.account}/${scope.region}/cloudtrail/${rel}`;
  // DescribeTrails is not paginated: one response lists every trail of the region.
  const described = (await limit(() =>
    session.one('cloudtrail:DescribeTrails', scope, at('DescribeTrails.json'), () => cloudtrail.send(new DescribeTrailsCommand({ includeShadowTrails: false }))),
  )) as DescribeTrailsCommandOutput | undefined;
  const trails = (described?.trailList ?? []).filter((t) => t.Name && (t.HomeRegion ?? scope.region) === scope.region);
  await Promise.all(
    trails.flatMap((t) => {
      const name = t.Name!;
      const file = `${encodeURIComponent(name)}.json`;
      return [
        limit(() => session.one('cloudtrail:GetTrailStatus', scope, at(`GetTrailStatus/${file}`), () => cloudtrail.send(new GetTrailStatusCommand({ Name: t.TrailARN ?? name })), { target: name })),
        limit(() =>
          session.one('cloudtrail:GetEventSelectors', scope, at(`GetEventSelectors/${file}`), () => cloudtrail.send(new GetEventSelectorsCommand({ TrailName: t.TrailARN ?? name })), { target: name }),
        ),
      ];
    }),
  );
}

/**
 * The account-wide reads (IAM is global): asks IAM to generate the credential report, waits until it
 * is complete, and saves it under aws/<account>/global/iam/ with its CSV content in base64 as the API sends it.
 */
export async function accountReads(session: CollectionSession, account: string, config: ClientConfig): Promise<void> {
  const scope = { account, region: 'global' };
  const iam = new IAMClient(config);
  try {
    await session.run('iam:GenerateCredentialReport', scope, undefined, async () => {
      let attempts = 0;
      const deadline = Date.now() + credentialReportWaitMs;
      for (let wait = 500; ; wait = Math.min(wait * 2, 8_000)) {
        const r = await iam.send(new GenerateCredentialReportCommand({}));
        attempts += r.$metadata.attempts ?? 1;
        if (r.State === 'COMPLETE') return { pages: [], attempts };
        if (Date.now() + wait > deadline) throw new Error(`credential report still ${r.State} after ${credentialReportWaitMs / 1000} s`);
        await sleep(wait);
      }
    });
    await session.one('iam:GetCredentialReport', scope, `aws/${account}/global/iam/GetCredentialReport.json`, async () => {
      const r = await iam.send(new GetCredentialReportCommand({}));
      return { ...r, Content: Buffer.from(r.Content ?? new Uint8Array()).toString('base64') };
    });
  } finally {
    iam.destroy();
  }
}
