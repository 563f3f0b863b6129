// An (Aggregate)SelectResourceConfig file evaluated a run of pages at a time, in worker threads when it is
// large (an organization's aggregator file holds every item of the estate). The main thread only finds where
// pages begin and end; each run is parsed, checked, evaluated and copied in a thread, and the runs are taken
// in in the file's order, so the pack is the same however many threads there were.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BufferedFileWriter } from '../../core/buffered-writer.ts';
import { checksById } from '../../checks/index.ts';
import { Evaluation } from '../evaluate.ts';
import { FileLinesStore } from '../item-files.ts';
import { scopeCheck, type ReadSnapshotOptions } from '../../evidence/read.ts';
import { resourcesOfPage } from '../../evidence/read-select-pages.ts';
import { streamConfigSnapshot } from '../../evidence/snapshot-stream.ts';
import { evidenceCopyPath, listedPageCopy, pageCopy, type RedactedCopies } from '../../evidence/redacted-copies.ts';
import { threadCatalog, threadsForItemBytes, type UnitInput, type UnitOutcome } from './snapshot-units.ts';
import { workerPool, type WorkerPool } from '../../core/worker-pool.ts';

/** Consecutive pages of one file, as text, and the rows (by their order in the run) not to evaluate. */
export interface PageRun {
  index: number;
  rel: string;
  api: string;
  firstPage: number;
  texts: string[];
  skip: number[];
}

export interface PageRunOutcome {
  /** Every row's resource key, in order, skipped ones too. */
  keys: string[];
  part: UnitOutcome['part'];
}

const runDirOf = (outDir: string, index: number) => join(outDir, '.page-runs', String(index));
const copyFileOf = (dir: string) => join(dir, 'pages.json');

/** Evaluates one run of pages, writing its lines files and its pages' copies under the run's own directory. */
export async function evaluatePageRun(run: PageRun, input: UnitInput): Promise<PageRunOutcome> {
  const dir = runDirOf(input.outDir, run.index);
  const evaluation = new Evaluation({
    ...input.evaluate,
    catalog: threadCatalog(input.evaluate.catalogDirs),
    checks: checksById,
    packPathOf: evidenceCopyPath,
    lines: new FileLinesStore(dir, { emptyFile: false }),
  });
  evaluation.begin(input.snapshot);
  const shown = join(input.evidenceDir, run.rel);
  const inScope = scopeCheck(input.snapshot.meta);
  const skip = new Set(run.skip);
  const keys: string[] = [];
  const copy = new BufferedFileWriter(copyFileOf(dir), { hashed: false });
  try {
    run.texts.forEach((text, i) => {
      const p = run.firstPage + i;
      const { page, resources } = resourcesOfPage(text, undefined, p, run.rel, shown, run.api, (account, region) => inScope(shown, account, region));
      for (const r of resources) {
        if (!skip.has(keys.length)) evaluation.resource(r, input.snapshot);
        keys.push(r.key);
      }
      copy.write(listedPageCopy(pageCopy(page), p));
    });
  } finally {
    copy.close();
  }
  return { keys, part: evaluation.part() };
}

/** Whether the file is a list of pages as collect writes it (not gzipped, not one page on its own). */
function isPageList(path: string): boolean {
  if (path.endsWith('.gz')) return false;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(256);
    const text = head
      .subarray(0, readSync(fd, head, 0, head.length, 0))
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    return text.trimStart().startsWith('[');
  } finally {
    closeSync(fd);
  }
}

/**
 * Characters of page text a run holds, about: each thread holds a run's text, its parse and its items' lines. Measured
 * at 1,000,000 items on two threads: 2 Mi 34 s / 825 MiB, 4 Mi 33 s / 903 MiB, 8 Mi 32 s / 1,058 MiB.
 */
const defaultRunChars = 4 * 1024 * 1024;

export interface SelectPageRunsOptions {
  evidenceDir: string;
  outDir: string;
  evaluation: Evaluation;
  copies: RedactedCopies;
  evaluate: UnitInput['evaluate'];
  threads?: number;
  /** Characters of page text a run holds (default 4 Mi; tests set it small). */
  runChars?: number;
  /** After each run: the file's rows evaluated so far (an aggregator's file can take a minute). */
  onRows?: (rel: string, rows: number) => void;
}

/**
 * The reader's hook for (Aggregate)SelectResourceConfig files: their runs of pages are evaluated (in worker threads
 * when the file is large, or here) and absorbed, in order, into the estate's evaluation. close() ends the threads.
 */
export function selectPageRuns(opts: SelectPageRunsOptions): { read: NonNullable<ReadSnapshotOptions['readSelectPages']>; close(): Promise<void> } {
  let pool: WorkerPool<PageRun, PageRunOutcome> | undefined;
  let runs = 0;
  const read: NonNullable<ReadSnapshotOptions['readSelectPages']> = async (rel, api, ctx) => {
    const path = join(opts.evidenceDir, rel);
    if (!isPageList(path)) return undefined;
    const input: UnitInput = { evidenceDir: opts.evidenceDir, outDir: opts.outDir, snapshot: ctx.snapshot, evaluate: opts.evaluate };
    const threads = opts.threads ?? threadsForItemBytes(statSync(path).size);
    if (threads > 0) pool ??= workerPool<PageRun, PageRunOutcome>(new URL('./select-page-run-thread.ts', import.meta.url), threads, input);
    const evaluateRun = (run: PageRun) => (threads > 0 ? pool!.run(run) : evaluatePageRun(run, input));
    const copy = opts.copies.pageFiles(rel);
    const inFlight: { run: PageRun; outcome: Promise<PageRunOutcome> }[] = [];
    let rows = 0;

    // Runs are taken in in order. A row whose resource was seen before (a duplicate row, a resource read from
    // its history) is not evaluated: the run is evaluated again without it, which a well-formed file never needs.
    const takeIn = async () => {
      const { run, outcome } = inFlight.shift()!;
      let taken = await outcome;
      const skip = taken.keys.flatMap((key, i) => (ctx.admit(key) ? [] : [i]));
      const dir = runDirOf(opts.outDir, run.index);
      if (skip.length) {
        await rm(dir, { recursive: true, force: true });
        taken = await evaluateRun({ ...run, skip });
      }
      opts.evaluation.absorb(taken.part, dir, ctx.snapshot);
      await copy.append(copyFileOf(dir), run.texts.length);
      await rm(dir, { recursive: true, force: true });
      opts.onRows?.(rel, (rows += taken.keys.length));
    };

    let texts: string[] = [];
    let chars = 0;
    let pages = 0;
    const dispatch = async () => {
      if (!texts.length) return;
      const run: PageRun = { index: runs++, rel, api, firstPage: pages - texts.length, texts, skip: [] };
      texts = [];
      chars = 0;
      const outcome = evaluateRun(run);
      outcome.catch(() => {});
      inFlight.push({ run, outcome });
      // Each thread busy and one run waiting: the file is read no further ahead than that.
      while (inFlight.length > threads) await takeIn();
    };
    const streamed = await streamConfigSnapshot(
      path,
      join(opts.evidenceDir, rel),
      async (_page, _p, text) => {
        texts.push(text);
        chars += text.length;
        pages++;
        if (chars >= (opts.runChars ?? defaultRunChars)) await dispatch();
      },
      'pages',
      { parse: false },
    );
    await dispatch();
    while (inFlight.length) await takeIn();
    await copy.end();
    return { sha256: streamed.sha256, bytes: streamed.bytes };
  };
  return {
    read,
    close: async () => {
      await pool?.stop();
      await rm(join(opts.outDir, '.page-runs'), { recursive: true, force: true });
    },
  };
}
