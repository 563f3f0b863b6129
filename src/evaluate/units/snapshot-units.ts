// AWS-delivered snapshot files evaluated a unit at a time (one account and region's files), in worker
// threads when the estate is large. Each unit's items, inventory and redacted copies are written apart
// and taken into the estate's evaluation in the units' order, so the pack is the same whichever thread
// evaluated a unit and however many there were.
import { statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../../catalog/load.ts';
import { checksById } from '../../checks/index.ts';
import { Evaluation, type EvaluateInput, type EvaluationPart } from '../evaluate.ts';
import { FileLinesStore } from '../item-files.ts';
import { scopeCheck, type ReadSnapshotOptions } from '../../evidence/read.ts';
import { readConfigSnapshotFile, type SnapshotFileRead } from '../../evidence/read-snapshot-file.ts';
import type { Resource, Snapshot } from '../../evidence/types.ts';
import { workerPool } from '../../core/worker-pool.ts';
import { evidenceCopyPath, RedactedCopies } from '../../evidence/redacted-copies.ts';

/** What a unit's evaluation needs besides the catalog and checks (which each thread loads): plain data. */
export interface UnitInput {
  evidenceDir: string;
  outDir: string;
  /** The estate as read before the first configuration item (what checks look up). */
  snapshot: Snapshot;
  /** catalogDirs: the user's --catalog directories, loaded on top of the built-in catalogs. */
  evaluate: Pick<EvaluateInput, 'generatedAt' | 'tool' | 'waivers' | 'period' | 'maxEvaluationAgeDays'> & { catalogDirs?: string[] };
}

export interface UnitOutcome {
  reads: SnapshotFileRead[];
  copies: [string, { sha256: string; bytes: number }][];
  part: EvaluationPart;
  /** Global resources (any region's file may hold them): counted once, by the estate's reader. */
  handBack: Resource[];
}

const partDirOf = (outDir: string, index: number) => join(outDir, '.units', String(index));

const catalogs = new Map<string, ReturnType<typeof loadCatalog>>();
/**
 * The catalog of the run's directories, loaded once a thread. Keyed by the directories: a process that runs twice
 * (the tests run the CLI in-process) must not evaluate a run with --catalog against an earlier run's catalog.
 */
export function threadCatalog(userDirs: string[] = []): ReturnType<typeof loadCatalog> {
  const key = JSON.stringify(userDirs);
  let catalog = catalogs.get(key);
  if (!catalog) catalogs.set(key, (catalog = loadCatalog(new Set(checksById.keys()), undefined, userDirs)));
  return catalog;
}

/** Reads and evaluates one unit's files, writing its lines files under the unit's own directory. */
export async function evaluateUnit(unit: string[], index: number, input: UnitInput): Promise<UnitOutcome> {
  const copies = new RedactedCopies(input.outDir);
  const evaluation = new Evaluation({
    ...input.evaluate,
    catalog: threadCatalog(input.evaluate.catalogDirs),
    checks: checksById,
    packPathOf: evidenceCopyPath,
    lines: new FileLinesStore(partDirOf(input.outDir, index), { emptyFile: false }),
  });
  evaluation.begin(input.snapshot);
  const seen = new Set<string>();
  const handBack: Resource[] = [];
  const reads: SnapshotFileRead[] = [];
  for (const rel of unit) {
    reads.push(
      await readConfigSnapshotFile(rel, {
        dir: input.evidenceDir,
        shown: (f) => join(input.evidenceDir, f),
        inScope: scopeCheck(input.snapshot.meta),
        copies,
        addResource(r) {
          if (r.region === 'global') return void handBack.push(r);
          if (seen.has(r.key)) return; // the same item in two of the unit's files counts once
          seen.add(r.key);
          evaluation.resource(r, input.snapshot);
        },
      }),
    );
  }
  return { reads, copies: [...copies.written], part: evaluation.part(), handBack };
}

/**
 * One thread per core when the files hold more than about 25,000 items (a thread costs about half a
 * second to start: loading the checks and catalog), none below; sizes as stored, gzip shrinks items about 20×.
 */
function defaultThreads(dir: string, units: string[][]): number {
  return threadsForItemBytes(units.flat().reduce((n, rel) => n + statSync(join(dir, rel)).size * (rel.endsWith('.gz') ? 20 : 1), 0));
}

/**
 * Evaluation threads for this many bytes of configuration items as JSON: none up to 16 MiB (about 25,000 items). At
 * 100,000 items over 8 account/regions two threads took 15.1 s against 21.6 s with none (issue 26's note).
 */
export function threadsForItemBytes(bytes: number): number {
  return bytes > 16 * 1024 * 1024 ? threadsFor(availableParallelism(), memoryLimit()) : 0;
}

/** The memory this process may use: a container's limit (cgroup) when it has one, else the machine's. */
function memoryLimit(): number {
  const constrained = process.constrainedMemory?.();
  return constrained && Number.isFinite(constrained) && constrained < totalmem() ? constrained : totalmem();
}

/**
 * A thread per core, as many as the memory allows: the main thread keeps about 512 MiB at a million items, and
 * each evaluation thread up to about 384 MiB more (measured: 548 MiB with none, 808 MiB with two). A 1 GiB
 * container gets one thread, a 2 GiB one four.
 */
export function threadsFor(cores: number, memory: number): number {
  const mib = 1024 * 1024;
  return Math.max(1, Math.min(cores, Math.floor((memory - 512 * mib) / (384 * mib))));
}

type UnitRunner = (unit: string[], index: number) => Promise<UnitOutcome>;

/**
 * The reader's hook for delivered snapshot files: evaluates the units (on `threads` workers, or here when
 * 0) and absorbs each, in order, into the estate's evaluation.
 */
export function snapshotUnitReader(opts: {
  evidenceDir: string;
  outDir: string;
  evaluation: Evaluation;
  copies: RedactedCopies;
  evaluate: UnitInput['evaluate'];
  threads?: number;
}): NonNullable<ReadSnapshotOptions['readSnapshotUnits']> {
  return async (units, ctx) => {
    const input: UnitInput = { evidenceDir: opts.evidenceDir, outDir: opts.outDir, snapshot: ctx.snapshot, evaluate: opts.evaluate };
    const threads = Math.min(opts.threads ?? defaultThreads(opts.evidenceDir, units), units.length);
    const pool = threads > 0 ? workerPool<{ index: number; unit: string[] }, UnitOutcome>(new URL('./snapshot-unit-thread.ts', import.meta.url), threads, input) : undefined;
    const run: UnitRunner = pool ? (unit, index) => pool.run({ index, unit }) : (unit, index) => evaluateUnit(unit, index, input);
    // Workers run ahead; here units start one at a time, each after the one before is absorbed.
    const started = pool ? units.map((unit, i) => run(unit, i)) : [];
    started.forEach((p) => p.catch(() => {}));
    const reads: SnapshotFileRead[] = [];
    try {
      for (let i = 0; i < units.length; i++) {
        const outcome = await (started[i] ?? run(units[i]!, i));
        opts.evaluation.absorb(outcome.part, partDirOf(opts.outDir, i), ctx.snapshot);
        for (const r of outcome.handBack) ctx.addResource(r);
        for (const [rel, written] of outcome.copies) opts.copies.written.set(rel, written);
        reads.push(...outcome.reads);
        ctx.unitRead(units[i]!);
        await rm(partDirOf(opts.outDir, i), { recursive: true, force: true });
      }
    } finally {
      await pool?.stop();
      await rm(join(opts.outDir, '.units'), { recursive: true, force: true });
    }
    return reads;
  };
}
