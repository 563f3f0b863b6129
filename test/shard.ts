import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { root } from './helpers.ts';

/** The fast lane's test files: test/*.test.ts and each check's src/checks/<service>/<check>/*.test.ts. */
export function fastLaneFiles(): string[] {
  const tests = readdirSync(join(root, 'test'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(root, 'test', f));
  const checks = (readdirSync(join(root, 'src/checks'), { recursive: true }) as string[]).filter((f) => f.split('/').length === 3 && f.endsWith('.test.ts')).map((f) => join(root, 'src/checks', f));
  return [...tests, ...checks].sort();
}

/**
 * The fast lane's files in `count` shards: largest first, each to the shard with the fewest bytes of tests so far,
 * so that shards take about as long.
 */
export function assignShards(count: number): string[][] {
  const shards = Array.from({ length: count }, () => ({ bytes: 0, files: [] as string[] }));
  const bySize = fastLaneFiles()
    .map((file) => ({ file, size: statSync(file).size }))
    .sort((a, b) => b.size - a.size || a.file.localeCompare(b.file));
  for (const { file, size } of bySize) {
    const lightest = shards.reduce((l, s) => (s.bytes < l.bytes ? s : l));
    lightest.bytes += size;
    lightest.files.push(file);
  }
  return shards.map((s) => s.files.sort());
}

/**
 * The test run's assignment: made by the first shard to start and read by the others (they start later), so a test
 * file edited during the run is still in exactly one shard.
 */
function runAssignment(count: number): string[][] {
  // The runner's start time (Linux) tells this run from an earlier one whose runner had the same pid.
  const started = existsSync(`/proc/${process.ppid}/stat`) ? readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ').pop()!.split(' ')[19] : '';
  const file = join(root, 'node_modules/.cache/evidence-pack-tests', `${process.ppid}-shards-${started}-${count}.json`);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const mine = `${file}.${process.pid}`;
    writeFileSync(mine, JSON.stringify(assignShards(count)));
    try {
      linkSync(mine, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(mine, { force: true });
    }
  }
  return JSON.parse(readFileSync(file, 'utf8')) as string[][];
}

/**
 * Runs one shard of the fast lane in this process. `npm test` runs test/shards/*.test.ts, a process per shard,
 * instead of a process per test file: starting node and tsx, and the program's first run, cost about two seconds
 * of CPU, paid once a shard instead of once a file. A shard's files run one after another, as each file's tests
 * do; the runner runs two shards at a time. A test file still runs alone: `node --import tsx --test FILE`.
 *
 * Every file is loaded before any test runs. Loading the next file while the previous file's tests ran hung a shard
 * now and then: a test's import of the compiled program stayed pending while the shard imported a file with a
 * top-level await, with nothing left to wake it, and the runner cancelled the rest ("Promise resolution is still
 * pending but the event loop has already resolved").
 */
export async function runShard(shardUrl: string): Promise<void> {
  const shard = fileURLToPath(shardUrl);
  const shards = readdirSync(dirname(shard))
    .filter((f) => f.endsWith('.test.ts'))
    .sort();
  const files = runAssignment(shards.length)[shards.indexOf(basename(shard))]!;
  let loaded!: (error?: Error) => void;
  const loading = new Promise<void>((resolve, reject) => (loaded = (error) => (error ? reject(error) : resolve())));
  // Top-level tests run one at a time, so the files' tests wait for this one.
  void test(`${basename(shard, '.test.ts')}: loads its ${files.length} test files before any runs`, () => loading);
  const failed: Error[] = [];
  for (const file of files) {
    try {
      await import(pathToFileURL(file).href);
    } catch (e) {
      failed.push(new Error(`${relative(root, file)} does not load: ${(e as Error).message}`, { cause: e }));
    }
  }
  loaded(failed.length > 1 ? new AggregateError(failed, failed.map((e) => e.message).join('; ')) : failed[0]);
}
