import { readdirSync, statSync } from 'node:fs';
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
 * The fast lane's files that shard `index` of `count` runs: largest first, each to the shard with the fewest
 * bytes of tests so far, so that shards take about as long.
 */
export function shardFiles(index: number, count: number): string[] {
  const bytes = new Array<number>(count).fill(0);
  const mine: string[] = [];
  const bySize = fastLaneFiles()
    .map((file) => ({ file, size: statSync(file).size }))
    .sort((a, b) => b.size - a.size || a.file.localeCompare(b.file));
  for (const { file, size } of bySize) {
    const lightest = bytes.indexOf(Math.min(...bytes));
    bytes[lightest]! += size;
    if (lightest === index) mine.push(file);
  }
  return mine.sort();
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
  const files = shardFiles(shards.indexOf(basename(shard)), shards.length);
  // Files remove their temporary directories on exit: a shard adds more exit listeners than node's default warns at.
  process.setMaxListeners(0);
  let loaded!: (error?: Error) => void;
  const loading = new Promise<void>((resolve, reject) => (loaded = (error) => (error ? reject(error) : resolve())));
  // Top-level tests run one at a time, so the files' tests wait for this one.
  void test(`${basename(shard, '.test.ts')}: loads its ${files.length} test files before any runs`, () => loading);
  for (const file of files) {
    try {
      await import(pathToFileURL(file).href);
    } catch (e) {
      return loaded(new Error(`${relative(root, file)} does not load: ${(e as Error).message}`, { cause: e }));
    }
  }
  loaded();
}
