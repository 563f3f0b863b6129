// The only code that talks to AWS. It writes raw API responses into the evidence layout that
// readSnapshot reads, and turns every failed call into a recorded gap instead of stopping.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  paginateDescribeConfigRules,
  paginateDescribeConformancePackCompliance,
  paginateDescribeConformancePacks,
  paginateGetComplianceDetailsByConfigRule,
  paginateSelectResourceConfig,
} from '@aws-sdk/client-config-service';
import { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import { CloudTrailClient, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { GetMacieSessionCommand, Macie2Client } from '@aws-sdk/client-macie2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { paginateDescribeWorkspaceDirectories, WorkSpacesClient } from '@aws-sdk/client-workspaces';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import pLimit from 'p-limit';
import { UserError } from '../errors.ts';
import type { Gap, SnapshotMeta } from '../evidence/types.ts';
import { inventoryQuery } from './inventory.ts';
import type { CallRecord, CollectionLog } from './log.ts';
import type { Operation } from './operations.ts';

/** Management events sampled per region for TLS details (LookupEvents returns at most 50 a page). */
export const cloudtrailSampleSize = 500;

export interface CollectOptions {
  /** Regions to collect; 'all' asks the Account API for every enabled region. */
  regions: string[] | 'all';
  profile?: string;
  organization: string;
  collectedAt: string;
  /** Concurrent calls per region (the SDK's adaptive retry handles throttling within that). */
  concurrency?: number;
  onProgress?: (label: string) => void;
}

export interface CollectOutcome {
  account: string;
  regions: string[];
  identity: string;
  gaps: Gap[];
  log: CollectionLog;
}

interface Metadata { $metadata?: { attempts?: number } }

function withoutMetadata<T extends Metadata>(page: T): Omit<T, '$metadata'> {
  const { $metadata: _m, ...rest } = page;
  return rest;
}

/** Stops a paginator once `max` items have arrived: a bounded sample whose size the evidence states. */
async function* bounded<T>(pages: AsyncIterable<T>, max: number, count: (page: T) => number): AsyncGenerator<T> {
  let seen = 0;
  for await (const page of pages) {
    yield page;
    seen += count(page);
    if (seen >= max) return;
  }
}

function describeError(e: unknown): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode ? ` (HTTP ${err.$metadata.httpStatusCode})` : '';
  return `${err.name ?? 'Error'}: ${(err.message ?? String(e)).split('\n')[0]}${status}`;
}

/** Every region enabled in the account (opted-in ones included): what --all-regions collects. */
async function enabledRegions(client: AccountClient): Promise<string[]> {
  const regions: string[] = [];
  try {
    for await (const page of paginateListRegions({ client }, { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] })) {
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

/** Collects one account's evidence for the given regions into dir (an empty directory). */
export async function collect(dir: string, opts: CollectOptions): Promise<CollectOutcome> {
  const credentials = fromNodeProviderChain({ profile: opts.profile });
  const clientConfig = (region: string) => ({ region, credentials, retryMode: 'adaptive' as const, maxAttempts: 6 });
  const calls: CallRecord[] = [];
  const gaps: Gap[] = [];

  const homeRegion = opts.regions === 'all' ? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1' : opts.regions[0]!;
  let identity: { Account?: string; Arn?: string };
  try {
    identity = await new STSClient(clientConfig(homeRegion)).send(new GetCallerIdentityCommand({}));
  } catch (e) {
    throw new UserError(`cannot establish AWS credentials${opts.profile ? ` for profile ${opts.profile}` : ''} in ${homeRegion}: ${describeError(e)}`);
  }
  const account = identity.Account!;
  const regions = opts.regions === 'all' ? await enabledRegions(new AccountClient(clientConfig(homeRegion))) : opts.regions;

  const save = async (region: string, rel: string, value: unknown) => {
    const file = join(dir, 'aws', account, region, rel);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
  };

  /** Runs one operation (all its pages); on failure records a gap and writes nothing for it. */
  const record = async (operation: Operation, region: string, target: string | undefined, fetch: () => Promise<{ pages: unknown[]; attempts: number }>) => {
    const started = performance.now();
    try {
      const { pages, attempts } = await fetch();
      calls.push({ operation, account, region, target, pages: pages.length, attempts, durationMs: Math.round(performance.now() - started), outcome: 'ok' });
      return pages;
    } catch (e) {
      const attempts = (e as Metadata).$metadata?.attempts ?? 1;
      const reason = describeError(e);
      calls.push({ operation, account, region, target, pages: 0, attempts, durationMs: Math.round(performance.now() - started), outcome: reason });
      gaps.push({ account, region, api: operation, reason: target ? `${target}: ${reason}` : reason });
      return undefined;
    } finally {
      opts.onProgress?.(`${region} ${operation}${target ? ` ${target}` : ''}`);
    }
  };
  const single = (send: () => Promise<Metadata>) => async () => {
    const page = await send();
    return { pages: [withoutMetadata(page)], attempts: page.$metadata?.attempts ?? 1 };
  };
  const paged = (pages: AsyncIterable<Metadata>) => async () => {
    const out: unknown[] = [];
    let attempts = 0;
    for await (const page of pages) {
      out.push(withoutMetadata(page));
      attempts += page.$metadata?.attempts ?? 1;
    }
    return { pages: out, attempts };
  };

  const collectRegion = async (region: string) => {
    const limit = pLimit(opts.concurrency ?? 4);
    const config = new ConfigServiceClient(clientConfig(region));
    const workspaces = new WorkSpacesClient(clientConfig(region));
    const macie = new Macie2Client(clientConfig(region));
    const cloudtrail = new CloudTrailClient(clientConfig(region));

    const one = async (operation: Operation, rel: string, send: () => Promise<Metadata>) => {
      const pages = await record(operation, region, undefined, single(send));
      if (pages) await save(region, rel, pages[0]);
    };
    const many = async (operation: Operation, rel: string, target: string | undefined, pages: AsyncIterable<Metadata>) => {
      const got = await record(operation, region, target, paged(pages));
      if (got) await save(region, rel, got);
      return got;
    };

    const ruleNames = async () => {
      const pages = await many('config:DescribeConfigRules', 'config/DescribeConfigRules.json', undefined, paginateDescribeConfigRules({ client: config }, {}));
      return (pages ?? []).flatMap((p) => ((p as { ConfigRules?: { ConfigRuleName?: string }[] }).ConfigRules ?? []).map((r) => r.ConfigRuleName!));
    };
    const packNames = async () => {
      const pages = await many('config:DescribeConformancePacks', 'config/DescribeConformancePacks.json', undefined, paginateDescribeConformancePacks({ client: config }, {}));
      return (pages ?? []).flatMap((p) => ((p as { ConformancePackDetails?: { ConformancePackName?: string }[] }).ConformancePackDetails ?? []).map((d) => d.ConformancePackName!));
    };
    const conformancePacks = async () => {
      const names = await limit(packNames);
      // The packs' evaluation results are those of their rules, already read above; only membership is needed here.
      await Promise.all(names.map((name) => limit(() => many(
        'config:DescribeConformancePackCompliance',
        `config/DescribeConformancePackCompliance/${name}.json`,
        name,
        paginateDescribeConformancePackCompliance({ client: config, pageSize: 1000 }, { ConformancePackName: name }),
      ))));
    };
    await Promise.all([
      conformancePacks(),
      limit(() => one('config:DescribeConfigurationRecorders', 'config/DescribeConfigurationRecorders.json', () => config.send(new DescribeConfigurationRecordersCommand({})))),
      limit(() => one('config:DescribeConfigurationRecorderStatus', 'config/DescribeConfigurationRecorderStatus.json', () => config.send(new DescribeConfigurationRecorderStatusCommand({})))),
      limit(() => many('config:SelectResourceConfig', 'config/SelectResourceConfig.json', undefined, paginateSelectResourceConfig({ client: config, pageSize: 100 }, { Expression: inventoryQuery() }))),
      limit(() => many('workspaces:DescribeWorkspaceDirectories', 'workspaces/DescribeWorkspaceDirectories.json', undefined, paginateDescribeWorkspaceDirectories({ client: workspaces }, {}))),
      limit(() => one('macie2:GetMacieSession', 'macie2/GetMacieSession.json', () => macie.send(new GetMacieSessionCommand({})))),
      limit(() => many('cloudtrail:LookupEvents', 'cloudtrail/LookupEvents.json', undefined, bounded(paginateLookupEvents({ client: cloudtrail, pageSize: 50 }, { LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }] }), cloudtrailSampleSize, (p) => (p as { Events?: unknown[] }).Events?.length ?? 0))),
      (async () => {
        const names = await limit(ruleNames);
        await Promise.all(names.map((name) => limit(() => many(
          'config:GetComplianceDetailsByConfigRule',
          `config/GetComplianceDetailsByConfigRule/${name}.json`,
          name,
          paginateGetComplianceDetailsByConfigRule({ client: config, pageSize: 100 }, { ConfigRuleName: name }),
        ))));
      })(),
    ]);
    for (const c of [config, workspaces, macie, cloudtrail]) c.destroy();
  };

  await Promise.all(regions.map((r) => collectRegion(r)));

  calls.sort((a, b) => a.region.localeCompare(b.region) || a.operation.localeCompare(b.operation) || (a.target ?? '').localeCompare(b.target ?? ''));
  gaps.sort((a, b) => (a.region ?? '').localeCompare(b.region ?? '') || (a.api ?? '').localeCompare(b.api ?? '') || a.reason.localeCompare(b.reason));
  const log: CollectionLog = { schema: 'evidence-pack/collection-log@1', calls };
  const meta: SnapshotMeta = {
    schema: 'evidence-pack/snapshot@1',
    snapshotId: `live-${account}-${opts.collectedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`,
    organization: opts.organization,
    collectedAt: opts.collectedAt,
    collector: { method: 'live', description: `AWS APIs, account ${account}, regions ${regions.join(', ')}${opts.regions === 'all' ? ' (all enabled)' : ''}${opts.profile ? `, profile ${opts.profile}` : ''}`, identity: identity.Arn ?? null },
    scope: { accounts: [account], regions },
    gaps,
  };
  await writeFile(join(dir, 'collection-log.json'), `${JSON.stringify(log, null, 2)}\n`);
  await writeFile(join(dir, 'snapshot.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return { account, identity: identity.Arn ?? account, regions, gaps, log };
}
