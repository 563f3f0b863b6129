// Collection at scale against the tests' fake AWS endpoint (real SDK clients, 127.0.0.1): a generated
// estate's configuration items served by SelectResourceConfig, 100 a page as AWS pages them. Measures
// wall time and peak RSS of `evidence-pack collect`, and the API calls made against the minimum the page
// sizes allow. Needs the repository's test/ directory (a clone has it; the npm package does not).
import { spawn } from 'node:child_process';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';

export interface CollectMeasure { seconds: number; maxRssMb: number; ok: boolean; calls: number; minimum: number; items: number; note?: string }

const account = '123456789012';

/** The generated snapshot files' items, per region, in the advanced-query shape (configuration as an object). */
async function itemsByRegion(snapshots: string): Promise<Map<string, object[]>> {
  const byRegion = new Map<string, object[]>();
  for (const f of readdirSync(snapshots).sort()) {
    const chunks: Buffer[] = [];
    for await (const c of createReadStream(join(snapshots, f)).pipe(createGunzip())) chunks.push(c as Buffer);
    for (const ci of JSON.parse(Buffer.concat(chunks).toString('utf8')).configurationItems) {
      const { awsAccountId: _a, ARN, ...rest } = ci;
      const row = { ...rest, accountId: account, arn: ARN };
      (byRegion.get(ci.awsRegion) ?? byRegion.set(ci.awsRegion, []).get(ci.awsRegion)!).push(row);
    }
  }
  return byRegion;
}

/** Runs the CLI under GNU time without blocking this process's event loop (the fake endpoint lives here). */
function timedAsync(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ seconds: number; maxRssMb: number; ok: boolean; note?: string }> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { env: { ...process.env, ...env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const m = /^([\d.]+) (\d+)$/.exec(stderr.trim().split('\n').pop() ?? '');
      // Exit 5 = completed with gaps; the fake answers everything, so only 0 counts as success.
      resolve({ seconds: m ? Number(m[1]) : NaN, maxRssMb: m ? Number(m[2]) / 1024 : NaN, ok: code === 0 && !!m, note: code === 0 ? undefined : `exit ${code}: ${stderr.trim().split('\n').slice(-2, -1)[0] ?? ''}`.slice(0, 160) });
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
