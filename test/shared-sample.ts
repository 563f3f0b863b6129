import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { onlyPack, root, runCliInProcess, tempDir, type CliResult, untilExit } from './helpers.ts';

const cacheRoot = join(root, 'node_modules/.cache/evidence-pack-tests');

/**
 * What the cached pack was made from: the test runner (`node --test` starts each shard, or each test file, as its
 * child, so one `npm test` shares one pack), and the newest of the build, templates, catalogs and sample it was made with.
 */
function runKey(): string {
  const newest = (dir: string) => Math.max(0, ...(readdirSync(dir, { recursive: true }) as string[]).map((f) => statSync(join(dir, f)).mtimeMs));
  const made = Math.max(statSync(join(root, 'dist/.tsbuildinfo')).mtimeMs, ...['templates', 'catalogs', 'evidence/sample'].map((d) => newest(join(root, d))));
  return `${process.ppid}-${Math.floor(made)}`;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Runs make() unless `made` is done (holds output.json), one process at a time: the first to create `<made>.claim`
 * (O_EXCL, with its pid) makes it while the others wait; a claim whose process has died is taken over. No lock
 * by modification time: under faketime the clock and the files' times disagree.
 */
async function makeOnce(made: string, make: () => Promise<void>): Promise<void> {
  const claim = `${made}.claim`;
  mkdirSync(dirname(made), { recursive: true });
  while (!existsSync(join(made, 'output.json'))) {
    try {
      writeFileSync(claim, String(process.pid), { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(claim, 'utf8'));
      if (holder && !alive(holder)) rmSync(claim, { force: true });
      else await sleep(200);
      continue;
    }
    try {
      rmSync(made, { recursive: true, force: true });
      await make();
    } finally {
      rmSync(claim, { force: true });
    }
  }
}

/** Caches of test runs that have ended. */
function removeEndedRuns(): void {
  for (const name of readdirSync(cacheRoot)) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && alive(pid)) continue;
    rmSync(join(cacheRoot, name), { recursive: true, force: true });
  }
}

/**
 * The embedded sample's `run` (at the pinned time, with its PDF or with --no-pdf), made once per test run by whichever
 * test file asks first and copied for each caller: a dozen files only read such a pack, and a run (a print above all)
 * is most of their time. Returns the copy's out/ directory (pack, archive and index, removed when the process exits),
 * its pack and the run's output.
 */
export async function sampleRunCopy({ pdf = true } = {}): Promise<{ out: string; pack: string; output: CliResult }> {
  mkdirSync(cacheRoot, { recursive: true });
  const made = join(cacheRoot, runKey(), pdf ? 'pdf' : 'no-pdf');
  await makeOnce(made, async () => {
    removeEndedRuns();
    const output = await runCliInProcess(['run', '--out', join(made, 'out'), ...(pdf ? [] : ['--no-pdf'])]);
    assert.equal(output.code, 0, output.stderr);
    writeFileSync(join(made, 'output.json'), JSON.stringify(output));
  });
  const out = tempDir(untilExit);
  cpSync(join(made, 'out'), out, { recursive: true });
  return { out, pack: onlyPack(out), output: JSON.parse(readFileSync(join(made, 'output.json'), 'utf8')) as CliResult };
}

/** The pack of sampleRunCopy. */
export const sampleRunPack = async (opts: { pdf?: boolean } = {}): Promise<string> => (await sampleRunCopy(opts)).pack;
