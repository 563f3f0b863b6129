// Collection at scale against the tests' fake AWS endpoint (real SDK clients, 127.0.0.1): a generated
// estate's configuration items served by SelectResourceConfig, 100 a page as AWS pages them. Measures
// wall time and peak RSS of `evidence-pack collect`, and the API calls made against the minimum the page
// sizes allow. Needs the repository's test/ directory (a clone has it; the npm package does not).
import { spawn } from 'node:child_process';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';

export interface CollectMeasure {
  seconds: number;
  maxRssMb: number;
  ok: boolean;
  calls: number;
  minimum: number;
  items: number;
  note?: string;
}

const account = '123456789012';

/** Every configuration item of the generated snapshot files, in the advanced-query shape (configuration as an object). */
async function* queryRows(snapshots: string): AsyncGenerator<{ ci: any; row: Record<string, unknown> }> {
  for (const f of readdirSync(snapshots).sort()) {
    const chunks: Buffer[] = [];
    for await (const c of createReadStream(join(snapshots, f)).pipe(createGunzip())) chunks.push(c as Buffer);
    for (const ci of JSON.parse(Buffer.concat(chunks).toString('utf8')).configurationItems) {
      const { awsAccountId, ARN, ...rest } = ci;
      yield { ci, row: { ...rest, accountId: awsAccountId, arn: ARN } };
    }
  }
}

/** The items per region, all in one account (what one account's collection reads). */
async function itemsByRegion(snapshots: string): Promise<Map<string, object[]>> {
  const byRegion = new Map<string, object[]>();
  for await (const { ci, row } of queryRows(snapshots)) (byRegion.get(ci.awsRegion) ?? byRegion.set(ci.awsRegion, []).get(ci.awsRegion)!).push({ ...row, accountId: account });
  return byRegion;
}

/** Runs the CLI under GNU time without blocking this process's event loop (the fake endpoint lives here). */
function timedAsync(cmd: string, args: string[], env: NodeJS.ProcessEnv, okCodes = [0]): Promise<{ seconds: number; maxRssMb: number; ok: boolean; note?: string }> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { env: { ...process.env, ...env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const m = /^([\d.]+) (\d+)$/.exec(stderr.trim().split('\n').pop() ?? '');
      // Exit 5 = completed with gaps; the fake answers everything, so only 0 counts as success.
      const ok = okCodes.includes(code ?? -1);
      resolve({
        seconds: m ? Number(m[1]) : NaN,
        maxRssMb: m ? Number(m[2]) / 1024 : NaN,
        ok: ok && !!m,
        note: ok ? undefined : `exit ${code}: ${stderr.trim().split('\n').slice(-2, -1)[0] ?? ''}`.slice(0, 160),
      });
    });
  });
}

export async function benchCollect(estate: string, out: string, cli: string): Promise<CollectMeasure> {
  const { startFakeAws, fakeAwsEnv } = await import(join('..', '..', 'test', 'fake-aws.ts'));
  const regions = await itemsByRegion(join(estate, 'config-snapshots'));
  const aws = await startFakeAws({ account, regions: Object.fromEntries([...regions].map(([r, resources]) => [r, { resources, macie: 'ENABLED' }])) });
  try {
    const names = [...regions.keys()].sort();
    const run = await timedAsync(process.execPath, [cli, 'collect', ...names.flatMap((r) => ['--region', r]), '--out', out, '-q'], fakeAwsEnv(aws.url));
    const calls = [...(aws.calls as Map<string, number>).values()].reduce((a, b) => a + b, 0);
    // Per region: recorders, recorder status, rules, conformance packs, directories, Macie, events, stacks (one page each)
    // and the inventory at 100 items a page; per account: STS, and IAM's credential report (generate twice, as the fake
    // answers STARTED first, then get).
    const minimum = [...regions.values()].reduce((n, items) => n + 8 + Math.ceil(items.length / 100), 0) + 1 + 3;
    const pagesOf = (r: string): { Results: string[] }[] => {
      try {
        return JSON.parse(readFileSync(join(out, 'aws', account, r, 'config', 'SelectResourceConfig.json'), 'utf8'));
      } catch {
        return [];
      }
    };
    const items = names.reduce((n, r) => n + pagesOf(r).reduce((k, p) => k + p.Results.length, 0), 0);
    return { ...run, calls, minimum, items };
  } finally {
    await aws.close();
  }
}

export interface AggregatorMeasure {
  collect: Awaited<ReturnType<typeof timedAsync>>;
  evaluate: Awaited<ReturnType<typeof timedAsync>>;
  bytes: number;
}

/**
 * The same estate, its accounts and regions kept, collected through an AWS Config aggregator (one
 * SelectAggregateResourceConfig file of every item), then evaluated as a user would. Without a member role the
 * collection records the per-account reads as gaps and exits 5, which counts as done here.
 */
export async function benchAggregator(estate: string, out: string, work: string, cli: string): Promise<AggregatorMeasure> {
  const { startFakeAws, fakeAwsEnv } = await import(join('..', '..', 'test', 'fake-aws.ts'));
  const resources: object[] = [];
  const sources = new Map<string, object>();
  for await (const { ci, row } of queryRows(join(estate, 'config-snapshots'))) {
    resources.push(row);
    if (ci.awsRegion !== 'global') sources.set(`${ci.awsAccountId}/${ci.awsRegion}`, { SourceId: ci.awsAccountId, SourceType: 'ACCOUNT', AwsRegion: ci.awsRegion, LastUpdateStatus: 'SUCCEEDED' });
  }
  const aws = await startFakeAws({ account: '999999999999', regions: { 'us-east-1': {} }, aggregators: { 'org-all': { sources: [...sources.values()], resources, rules: [], evaluations: {} } } });
  try {
    const collect = await timedAsync(
      process.execPath,
      [cli, 'collect', '--aggregator', 'org-all', '--region', 'us-east-1', '--organization', 'Synthetic Corp', '--out', out, '-q'],
      fakeAwsEnv(aws.url),
      [0, 5],
    );
    const evaluate = await timedAsync(process.execPath, [cli, 'evaluate', '--evidence', out, '--out', work, '-q'], {});
    let bytes = 0;
    try {
      bytes = statSync(join(out, 'aws', 'aggregator', 'org-all', 'us-east-1', 'config', 'SelectAggregateResourceConfig.json')).size;
    } catch {
      /* the collection failed: reported by its measure */
    }
    return { collect, evaluate, bytes };
  } finally {
    await aws.close();
  }
}
