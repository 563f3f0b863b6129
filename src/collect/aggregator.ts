// Organization-wide collection through an AWS Config aggregator: AWS does the fan-out across accounts
// and regions; this reads the aggregator in its home region. What an aggregator cannot give
// (WorkSpaces directories, Macie, CloudTrail events) is read per member account through --assume-role,
// or recorded as a gap naming the account, region and API.
import {
  ConfigServiceClient,
  DescribeConfigurationAggregatorsCommand,
  paginateDescribeAggregateComplianceByConfigRules,
  paginateDescribeConfigurationAggregatorSourcesStatus,
  paginateGetAggregateComplianceDetailsByConfigRule,
  paginateSelectAggregateResourceConfig,
} from '@aws-sdk/client-config-service';
import pLimit from 'p-limit';
import { UserError } from '../core/errors.ts';
import type { SnapshotMeta } from '../evidence/types.ts';
import { callerIdentity, clientConfigFor, snapshotIdFor, writeSnapshotFiles, type CollectOutcome } from './collect.ts';
import { inventoryQuery } from './inventory.ts';
import type { CollectionLog } from './log.ts';
import { describeError } from '../core/aws-error.ts';
import { memberRoleCredentials } from './member-credentials.ts';
import { CollectionSession, paginate } from './session.ts';
import { recorderReads } from './recorders.ts';
import { accountReads, notRead, supplementaryReads, type ClientConfig } from './supplementary.ts';

export interface AggregatorOptions {
  aggregator: string;
  /** The aggregator's home region. */
  region: string;
  profile?: string;
  /** Role name assumed in each member account for the supplementary reads. */
  assumeRole?: string;
  organization: string;
  collectedAt: string;
  /** The AWS Config resource types to inventory: those the checks read. */
  resourceTypes: readonly string[];
  concurrency?: number;
  onProgress?: (label: string) => void;
}

interface SourceStatus {
  SourceId?: string;
  SourceType?: string;
  AwsRegion?: string;
  LastUpdateStatus?: string;
  LastErrorCode?: string;
  LastErrorMessage?: string;
}
interface RuleCompliance {
  ConfigRuleName?: string;
  AccountId?: string;
  AwsRegion?: string;
}

export async function collectAggregator(dir: string, opts: AggregatorOptions): Promise<CollectOutcome> {
  const clientConfig = clientConfigFor(opts.profile);
  const session = new CollectionSession(dir, opts.onProgress);
  const identity = await callerIdentity(clientConfig(opts.region), opts.profile);
  const home = { account: identity.account, region: opts.region };
  const at = (rel: string) => `aws/aggregator/${opts.aggregator}/${opts.region}/config/${rel}`;
  const config = new ConfigServiceClient(clientConfig(opts.region));
  const limit = pLimit(opts.concurrency ?? 4);
  const name = { ConfigurationAggregatorName: opts.aggregator };

  try {
    try {
      const found = await config.send(new DescribeConfigurationAggregatorsCommand({ ConfigurationAggregatorNames: [opts.aggregator] }));
      const { $metadata: _m, ...definition } = found;
      await session.save(at('DescribeConfigurationAggregators.json'), definition);
    } catch (e) {
      throw new UserError(`--aggregator ${opts.aggregator} in ${opts.region} (account ${identity.account}): ${describeError(e)}`);
    }

    const [statusPages, , rulePages] = await Promise.all([
      limit(() =>
        session.many(
          'config:DescribeConfigurationAggregatorSourcesStatus',
          home,
          at('DescribeConfigurationAggregatorSourcesStatus.json'),
          opts.aggregator,
          paginate(paginateDescribeConfigurationAggregatorSourcesStatus, { client: config, pageSize: 100 }, name),
        ),
      ),
      limit(() =>
        session.many(
          'config:SelectAggregateResourceConfig',
          home,
          at('SelectAggregateResourceConfig.json'),
          opts.aggregator,
          paginate(paginateSelectAggregateResourceConfig, { client: config, pageSize: 100 }, { ...name, Expression: inventoryQuery(opts.resourceTypes) }),
          { keep: false },
        ),
      ),
      limit(() =>
        session.many(
          'config:DescribeAggregateComplianceByConfigRules',
          home,
          at('DescribeAggregateComplianceByConfigRules.json'),
          opts.aggregator,
          paginate(paginateDescribeAggregateComplianceByConfigRules, { client: config, pageSize: 1000 }, name),
        ),
      ),
    ]);

    const sources = (statusPages ?? []).flatMap((p) => (p as { AggregatedSourceStatusList?: SourceStatus[] }).AggregatedSourceStatusList ?? []);
    for (const s of sources) {
      if (s.LastUpdateStatus === 'SUCCEEDED') continue;
      const who = s.SourceType === 'ACCOUNT' ? { account: s.SourceId } : {};
      session.gaps.push({
        ...who,
        region: s.AwsRegion,
        api: 'config:DescribeConfigurationAggregatorSourcesStatus',
        reason: `aggregator ${opts.aggregator}: source ${s.SourceType} ${s.SourceId} in ${s.AwsRegion} is ${s.LastUpdateStatus}${s.LastErrorCode ? ` (${s.LastErrorCode}: ${s.LastErrorMessage ?? ''})` : ''}`,
      });
    }

    const rules = (rulePages ?? []).flatMap((p) => (p as { AggregateComplianceByConfigRules?: RuleCompliance[] }).AggregateComplianceByConfigRules ?? []);
    const seen = new Set<string>();
    await Promise.all(
      rules
        .filter((r) => {
          const key = `${r.AccountId}/${r.AwsRegion}/${r.ConfigRuleName}`;
          return !seen.has(key) && seen.add(key);
        })
        .map((r) =>
          limit(() =>
            session.many(
              'config:GetAggregateComplianceDetailsByConfigRule',
              home,
              at(`GetAggregateComplianceDetailsByConfigRule/${r.AccountId}/${r.AwsRegion}/${r.ConfigRuleName}.json`),
              `${r.AccountId}/${r.AwsRegion}/${r.ConfigRuleName}`,
              paginate(
                paginateGetAggregateComplianceDetailsByConfigRule,
                { client: config, pageSize: 100 },
                { ...name, ConfigRuleName: r.ConfigRuleName, AccountId: r.AccountId, AwsRegion: r.AwsRegion },
              ),
            ),
          ),
        ),
    );

    // Scope: every account and region the aggregator reports on, whatever their status.
    const accountSources = sources.filter((s) => s.SourceType === 'ACCOUNT' && s.SourceId);
    const accounts = [...new Set([...accountSources.map((s) => s.SourceId!), ...rules.map((r) => r.AccountId!).filter(Boolean)])].sort();
    const regions = [...new Set([...sources.map((s) => s.AwsRegion!).filter(Boolean), ...rules.map((r) => r.AwsRegion!).filter(Boolean)])].sort();
    // An account and region in scope that no source status covers has never reported to the aggregator.
    if (statusPages) {
      for (const account of accounts) {
        for (const region of regions) {
          if (sources.some((s) => s.AwsRegion === region && (s.SourceType === 'ORGANIZATION' || s.SourceId === account))) continue;
          session.gaps.push({
            account,
            region,
            api: 'config:DescribeConfigurationAggregatorSourcesStatus',
            reason: `aggregator ${opts.aggregator} has no source status for account ${account} in ${region}: it has never reported`,
          });
        }
      }
    }

    await memberReads(session, accounts, regions, clientConfig(opts.region), opts, limit);

    const { calls, gaps } = session.sorted();
    const log: CollectionLog = { schema: 'evidence-pack/collection-log@1', calls };
    const meta: SnapshotMeta = {
      schema: 'evidence-pack/snapshot@1',
      snapshotId: snapshotIdFor(identity.account, opts.collectedAt),
      organization: opts.organization,
      collectedAt: opts.collectedAt,
      collector: {
        method: 'live',
        description:
          `AWS Config aggregator ${opts.aggregator} (${opts.region}, account ${identity.account}): ${accounts.length} account(s), ${regions.length} region(s)` +
          `${opts.assumeRole ? `; AWS Config recorders, WorkSpaces, Macie, CloudTrail, AppStream and IAM credential report read through role ${opts.assumeRole} in each account` : "; WorkSpaces, Macie, CloudTrail, AppStream and IAM credential report not read (no --assume-role), recorder state from the aggregator's source status"}` +
          '; aggregated rule results hold COMPLIANT and NON_COMPLIANT only',
        identity: identity.arn,
      },
      scope: { accounts, regions },
      gaps,
    };
    await writeSnapshotFiles(dir, log, meta);
    return { account: identity.account, accounts, identity: identity.arn, regions, gaps, log };
  } finally {
    config.destroy();
  }
}

/** The reads an aggregator cannot give, per member account and region: through the assumed role, or a gap saying why not. */
async function memberReads(session: CollectionSession, accounts: string[], regions: string[], home: ClientConfig, opts: AggregatorOptions, limit: <T>(fn: () => Promise<T>) => Promise<T>) {
  if (!opts.assumeRole) {
    for (const account of accounts) notRead(session, account, regions, 'not read: collecting through an aggregator without --assume-role');
    return;
  }
  await Promise.all(
    accounts.map(async (account) => {
      const roleArn = `arn:aws:iam::${account}:role/${opts.assumeRole}`;
      const credentials = memberRoleCredentials(roleArn, home);
      // The first AssumeRole is made here, so a role that cannot be assumed is one gap; later ones refresh the credentials.
      const assumed = await session.run('sts:AssumeRole', { account, region: home.region }, roleArn, async () => {
        await credentials();
        return { pages: [], attempts: 1 };
      });
      if (!assumed) {
        notRead(session, account, regions, `not read: cannot assume ${roleArn}`);
        return;
      }
      await Promise.all([
        ...regions.flatMap((region) => {
          const member = { ...home, region, credentials };
          const config = new ConfigServiceClient(member);
          const recorders = recorderReads(session, { account, region }, config, limit);
          void Promise.allSettled(recorders).then(() => config.destroy());
          return [...recorders, ...supplementaryReads(session, { account, region }, member, limit)];
        }),
        limit(() => accountReads(session, account, { ...home, credentials })),
      ]);
    }),
  );
}
