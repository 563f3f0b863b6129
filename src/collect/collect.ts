// The only code that talks to AWS for one account. It writes raw API responses into the evidence
// layout that readSnapshot reads, and turns every failed call into a recorded gap instead of stopping.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ConfigServiceClient,
  DescribeComplianceByConfigRuleCommand,
  paginateDescribeConfigRules,
  paginateDescribeConformancePackCompliance,
  paginateDescribeConformancePacks,
  paginateGetComplianceDetailsByConfigRule,
  paginateSelectResourceConfig,
} from '@aws-sdk/client-config-service';
import { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import pLimit from 'p-limit';
import { UserError } from '../core/errors.ts';
import type { Gap, SnapshotMeta } from '../evidence/types.ts';
import type { Period } from '../core/period.ts';
import { deletedSinceEnd, readResourceHistory } from './history.ts';
import { inventoryQuery } from './inventory.ts';
import type { CollectionLog } from './log.ts';
import { describeError } from '../core/aws-error.ts';
import { CollectionSession, followNextToken, paginate } from './session.ts';
import { recorderReads } from './recorders.ts';
import { accountReads, supplementaryReads, type ClientConfig } from './supplementary.ts';

export { cloudtrailSampleSize } from './supplementary.ts';

export interface CollectOptions {
  /** Regions to collect; 'all' asks the Account API for every enabled region. */
  regions: string[] | 'all';
  profile?: string;
  organization: string;
  collectedAt: string;
  /** The AWS Config resource types to inventory: those the checks read. */
  resourceTypes: readonly string[];
  /** Concurrent calls per region (the SDK's adaptive retry handles throttling within that). */
  concurrency?: number;
  /** Evidence as of this period's end: each resource's configuration history (GetResourceConfigHistory). */
  period?: Period;
  onProgress?: (label: string) => void;
}

export interface CollectOutcome {
  /** The collector's own account. */
  account: string;
  /** The accounts whose evidence was collected. */
  accounts: string[];
  regions: string[];
  identity: string;
  gaps: Gap[];
  log: CollectionLog;
}

/** Every region enabled in the account (opted-in ones included): what --all-regions collects. */
async function enabledRegions(client: AccountClient): Promise<string[]> {
  const regions: string[] = [];
  try {
    for await (const page of paginate(paginateListRegions, { client }, { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] })) {
      for (const r of page.Regions ?? []) if (r.RegionName) regions.push(r.RegionName);
    }
  } catch (e) {
    throw new UserError(`--all-regions: cannot list the account's regions (account:ListRegions): ${describeError(e)}; name them with --region instead`);
  } finally {
    client.destroy();
  }
  if (regions.length === 0) throw new UserError('--all-regions: the account lists no enabled region');
  return regions.sort();
}

export function clientConfigFor(profile: string | undefined): (region: string) => ClientConfig {
  const credentials = fromNodeProviderChain({ profile });
  return (region: string) => ({ region, credentials, retryMode: 'adaptive' as const, maxAttempts: 6 });
}

/** Who the collector is (STS GetCallerIdentity, which needs no permission): the chain of custody starts here. */
export async function callerIdentity(config: ClientConfig, profile: string | undefined): Promise<{ account: string; arn: string }> {
  const sts = new STSClient(config);
  try {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    return { account: id.Account!, arn: id.Arn ?? id.Account! };
  } catch (e) {
    throw new UserError(`cannot establish AWS credentials${profile ? ` for profile ${profile}` : ''} in ${config.region}: ${describeError(e)}`);
  } finally {
    sts.destroy();
  }
}

/** Collects one account's evidence for the given regions into dir (an empty directory). */
export async function collect(dir: string, opts: CollectOptions): Promise<CollectOutcome> {
  const clientConfig = clientConfigFor(opts.profile);
  const session = new CollectionSession(dir, opts.onProgress);
  const homeRegion = opts.regions === 'all' ? (process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1') : opts.regions[0]!;
  const identity = await callerIdentity(clientConfig(homeRegion), opts.profile);
  const account = identity.account;
  const regions = opts.regions === 'all' ? await enabledRegions(new AccountClient(clientConfig(homeRegion))) : opts.regions;

  const collectRegion = async (region: string) => {
    const limit = pLimit(opts.concurrency ?? 4);
    const scope = { account, region };
    const at = (rel: string) => `aws/${account}/${region}/${rel}`;
    const config = new ConfigServiceClient(clientConfig(region));

    const ruleNames = async () => {
      const pages = await session.many('config:DescribeConfigRules', scope, at('config/DescribeConfigRules.json'), undefined, paginate(paginateDescribeConfigRules, { client: config }, {}));
      return (pages ?? []).flatMap((p) => ((p as { ConfigRules?: { ConfigRuleName?: string }[] }).ConfigRules ?? []).map((r) => r.ConfigRuleName!));
    };
    const packNames = async () => {
      const pages = await session.many(
        'config:DescribeConformancePacks',
        scope,
        at('config/DescribeConformancePacks.json'),
        undefined,
        paginate(paginateDescribeConformancePacks, { client: config }, {}),
      );
      return (pages ?? []).flatMap((p) => ((p as { ConformancePackDetails?: { ConformancePackName?: string }[] }).ConformancePackDetails ?? []).map((d) => d.ConformancePackName!));
    };
    const conformancePacks = async () => {
      const names = await limit(packNames);
      // The packs' evaluation results are those of their rules, already read above; only membership is needed here.
      await Promise.all(
        names.map((name) =>
          limit(() =>
            session.many(
              'config:DescribeConformancePackCompliance',
              scope,
              at(`config/DescribeConformancePackCompliance/${name}.json`),
              name,
              paginate(paginateDescribeConformancePackCompliance, { client: config, pageSize: 1000 }, { ConformancePackName: name }),
            ),
          ),
        ),
      );
    };
    await Promise.all([
      conformancePacks(),
      ...recorderReads(session, scope, config, limit),
      (async () => {
        // Only the resources' type and id stay in memory, and only with a period (for their history).
        const rows: { resourceType: string; resourceId: string }[] = [];
        const onPage = opts.period
          ? (p: unknown) => {
              for (const r of (p as { Results?: string[] }).Results ?? []) {
                const { resourceType, resourceId } = JSON.parse(r) as { resourceType: string; resourceId: string };
                rows.push({ resourceType, resourceId });
              }
            }
          : undefined;
        const pages = await limit(() =>
          session.many(
            'config:SelectResourceConfig',
            scope,
            at('config/SelectResourceConfig.json'),
            undefined,
            paginate(paginateSelectResourceConfig, { client: config, pageSize: 100 }, { Expression: inventoryQuery(opts.resourceTypes) }),
            { keep: false, onPage },
          ),
        );
        if (!opts.period || !pages) return;
        const period = opts.period;
        const deleted = await limit(() => deletedSinceEnd(session, scope, config, period, opts.resourceTypes));
        await Promise.all([...rows.map((r) => ({ type: r.resourceType, id: r.resourceId })), ...deleted].map((r) => limit(() => readResourceHistory(session, scope, config, period, r))));
      })(),
      ...supplementaryReads(session, scope, clientConfig(region), limit),
      limit(() =>
        session.many(
          'config:DescribeComplianceByConfigRule',
          scope,
          at('config/DescribeComplianceByConfigRule.json'),
          undefined,
          followNextToken((NextToken) => config.send(new DescribeComplianceByConfigRuleCommand({ NextToken }))),
        ),
      ),
      (async () => {
        const names = await limit(ruleNames);
        await Promise.all(
          names.map((name) =>
            limit(() => session.many('config:GetComplianceDetailsByConfigRule', scope, at(`config/GetComplianceDetailsByConfigRule/${name}.json`), name, everyComplianceType(config, name))),
          ),
        );
      })(),
    ]);
    config.destroy();
  };

  await Promise.all([...regions.map((r) => collectRegion(r)), accountReads(session, account, clientConfig(homeRegion))]);

  const { calls, gaps } = session.sorted();
  const log: CollectionLog = { schema: 'evidence-pack/collection-log@1', calls };
  const meta: SnapshotMeta = {
    schema: 'evidence-pack/snapshot@1',
    snapshotId: snapshotIdFor(account, opts.collectedAt),
    organization: opts.organization,
    collectedAt: opts.collectedAt,
    collector: {
      method: 'live',
      description:
        `AWS APIs, account ${account}, regions ${regions.join(', ')}${opts.regions === 'all' ? ' (all enabled)' : ''}${opts.profile ? `, profile ${opts.profile}` : ''}` +
        (opts.period ? `; configuration items as of the end of ${opts.period.label} (${opts.period.to}) from AWS Config's configuration history` : ''),
      identity: identity.arn,
    },
    scope: { accounts: [account], regions },
    gaps,
    ...(opts.period ? { asOf: { period: opts.period.label, to: opts.period.to, basis: 'configuration-history' as const } } : {}),
  };
  await writeSnapshotFiles(dir, log, meta);
  return { account, accounts: [account], identity: identity.arn, regions, gaps, log };
}

/**
 * Every evaluation result of a rule: the unfiltered query, then NOT_APPLICABLE asked for by name, since
 * AWS leaves it out unless requested (INSUFFICIENT_DATA, in turn, cannot be asked for by name). The reader
 * keeps each result once.
 */
async function* everyComplianceType(client: ConfigServiceClient, rule: string) {
  yield* paginate(paginateGetComplianceDetailsByConfigRule, { client, pageSize: 100 }, { ConfigRuleName: rule });
  yield* paginate(paginateGetComplianceDetailsByConfigRule, { client, pageSize: 100 }, { ConfigRuleName: rule, ComplianceTypes: ['NOT_APPLICABLE'] });
}

export function snapshotIdFor(account: string, collectedAt: string): string {
  return `live-${account}-${collectedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

export async function writeSnapshotFiles(dir: string, log: CollectionLog, meta: SnapshotMeta): Promise<void> {
  await writeFile(join(dir, 'collection-log.json'), `${JSON.stringify(log, null, 2)}\n`);
  await writeFile(join(dir, 'snapshot.json'), `${JSON.stringify(meta, null, 2)}\n`);
}
