import { controlItemBatches, readResult, resultResourceBatches } from '../src/evaluate/read-result.ts';
import type { ControlResult, EvidenceItem, Result, ResultResource } from '../src/evaluate/result.ts';
import type { MemoryLinesStore } from '../src/evaluate/item-files.ts';
import { interruptSignals } from '../src/core/interrupt.ts';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const root = fileURLToPath(new URL('../', import.meta.url));
export const sampleDir = join(root, 'evidence/sample');
export const referenceDir = join(root, '../shared/reference');

/** The command as installed: the compiled CLI in dist/ (`npm test` builds it first). */
export const cliEntry = join(root, 'dist/bin/evidence-pack.js');

/** Fails a test run at once, with the fix, when dist/ is missing or older than a source file (not a test against stale code). */
function assertBuilt(): void {
  const built = statSync(join(root, 'dist/.tsbuildinfo'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = readdirSync(join(root, 'src'), { recursive: true }) as string[];
  const stale = sources.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('bench/') && !f.includes('/fixtures/') && statSync(join(root, 'src', f)).mtimeMs > built);
  if (stale.length) throw new Error(`dist/ is ${built ? `older than src/${stale[0]}` : 'missing'}: run \`npm run build\` (npm test does)`);
}
assertBuilt();

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The time every CLI run in the tests takes unless a test sets SOURCE_DATE_EPOCH itself:
 * 2026-11-01T00:00:00Z, the day after the sample's collection, so the default period is 2026-10
 * whatever the wall clock says.
 */
export const pinnedEpoch = '1793491200';

/**
 * Runs the real CLI in a child process, as a user would, at the pinned time unless env says otherwise.
 * For tests where the process is the thing under test (signals, crashes, exit by signal, a terminal,
 * runs at once); elsewhere runCliInProcess gives the same result without a process start.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = root): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...args], {
      cwd,
      env: { ...process.env, CI: '1', SOURCE_DATE_EPOCH: pinnedEpoch, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let inProcessQueue: Promise<unknown> = Promise.resolve();

/**
 * The compiled CLI's main in this process, with runCli's environment (CI, the pinned SOURCE_DATE_EPOCH, then env;
 * an undefined value removes the variable) and cwd, its output captured. Everything it changes is put
 * back after: process.env, the working directory, process.exitCode and the signal listeners main adds.
 * Calls run one at a time (process.env and the cwd are the process's), so calls made at once do not overlap.
 */
export function runCliInProcess(args: string[], env: NodeJS.ProcessEnv = {}, cwd = root): Promise<CliResult> {
  const run = inProcessQueue.then(async () => mainWithEnv(await compiledMain(), args, env, cwd));
  inProcessQueue = run.catch(() => undefined);
  return run;
}

/**
 * A module of the compiled program (`dist/<path>.js`), typed as its source: what it runs, worker threads included,
 * is what the installed command runs. From source, each worker thread loads the program again through tsx.
 */
export async function compiled<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(join(root, 'dist', `${path}.js`)).href)) as T;
}

const compiledMain = async () => (await compiled<typeof import('../src/cli/cli.ts')>('cli/cli')).main;

async function mainWithEnv(main: Awaited<ReturnType<typeof compiledMain>>, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  const savedExitCode = process.exitCode;
  const savedListeners = Object.fromEntries(interruptSignals.map((s) => [s, process.listeners(s)]));
  let stdout = '';
  let stderr = '';
  try {
    // As the bin does: the SDK's notice about future Node versions is off unless the user turns it on.
    for (const [k, v] of Object.entries({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', CI: '1', SOURCE_DATE_EPOCH: pinnedEpoch, ...env })) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    process.chdir(cwd);
    const code = await main(args, {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
    });
    return { code, stdout, stderr };
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
    process.chdir(savedCwd);
    process.exitCode = savedExitCode;
    for (const s of interruptSignals) {
      for (const l of process.listeners(s)) if (!savedListeners[s]!.includes(l)) process.removeListener(s, l);
    }
  }
}

const atExit: (() => void)[] = [];
/** For tempDir: removes the directory when the process exits, through one exit listener for every caller. */
export const untilExit = {
  after(fn: () => void): void {
    if (atExit.push(fn) === 1) process.on('exit', () => atExit.forEach((f) => f()));
  },
};

/** A temporary directory removed when the test ends. */
export function tempDir(t: { after(fn: () => void): void }, prefix = 'evidence-pack-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file under dir, relative, sorted. */
/** A pack file's text as an auditor reads it: gzip files (lines files, snapshot copies) decompressed, as zcat does. */
export function packFileText(file: string, encoding: BufferEncoding = 'utf8'): string {
  const bytes = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString(encoding);
}

export function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join((e as unknown as { parentPath?: string; path: string }).parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length + 1))
    .sort();
}

/** Every pack directory under out/ (packs are placed as out/<organization>/<period>/pack-…). */
export function packsUnder(out: string): string[] {
  return (readdirSync(out, { recursive: true }) as string[])
    .filter((p) => /(^|\/)pack-[^/]+$/.test(p) && !p.endsWith('.zip') && !p.includes('.tmp'))
    .map((p) => join(out, p))
    .sort();
}

/** The one pack directory a run wrote under out/. */
export function onlyPack(out: string): string {
  const packs = packsUnder(out);
  if (packs.length !== 1) throw new Error(`expected one pack in ${out}, found ${packs.join(', ') || 'none'}`);
  return packs[0]!;
}

/** `--expect-key` pinned to the key that signed this pack (a test trusts its own run's key). */
export function pinnedTo(pack: string): string[] {
  return ['--expect-key', JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8')).signature.keyFingerprint];
}

/** A pack's result.json with every evidence item and resource read in from the pack's JSON-lines files. */
export async function packResult(pack: string) {
  return withEveryItem(pack, readResult(join(pack, 'result.json')));
}

/** A pack's result with every item and resource in memory, as result@1 held them: what tests compare. */
export async function withEveryItem(packDir: string, result: Result): Promise<Result & { resources: ResultResource[] }> {
  const controls: ControlResult[] = [];
  for (const c of result.controls) {
    const evidence: EvidenceItem[] = [];
    for await (const batch of controlItemBatches(packDir, c)) evidence.push(...batch);
    controls.push({ ...c, evidence });
  }
  const resources: ResultResource[] = [];
  for await (const batch of resultResourceBatches(packDir, result)) resources.push(...batch);
  return { ...result, controls, resources };
}

/** Items compared as sets: member order and key order do not matter, content does. */
export const canonical = (i: EvidenceItem) =>
  JSON.stringify(i, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );

/** A streamed pack's evidence (every item read back) against the estate evaluated whole into `lines`. */
export function assertSameEvidence(whole: Result, lines: MemoryLinesStore, streamed: Result) {
  for (const c of whole.controls) {
    const s = streamed.controls.find((x) => x.id === c.id)!;
    assert.equal(s.status, c.status, `${c.id} status`);
    assert.deepEqual(s.counts, c.counts, `${c.id} counts`);
    assert.deepEqual([...s.disagreements].sort(), [...c.disagreements].sort(), `${c.id} disagreements`);
    const all = c.items ? c.items.flatMap((f) => lines.read<EvidenceItem>(f.file)) : [];
    assert.deepEqual(s.evidence.map(canonical).sort(), all.map(canonical).sort(), `${c.id}: the same items, streamed or read whole`);
  }
}
