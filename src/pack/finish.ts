// A pack is whole with its archive (pack-….zip beside it) and its entry in out/<org>/index.json. The
// folder is renamed into place first, so a run stopped after that and before both are written must not
// leave the pack half-placed: a failure or a signal removes all three; a run killed outright (nothing can
// run then) is completed by the next run of the organization.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readResult } from '../evaluate/read-result.ts';
import { onInterrupt } from '../core/interrupt.ts';
import { addToIndex, indexedPackIds, indexTemporary, type IndexEntry } from '../period/placement.ts';
import { verifyPack } from '../sign/verify.ts';
import { processAlive } from '../core/pid.ts';
import { writePackArchive } from './archive.ts';
import { removeStaleTemporaries } from '../core/atomic-dir.ts';

/**
 * Writes the pack's archive, then its index entry; on a failure or a signal, removes the pack and both
 * (with keepPack, only what this call wrote: a pack completed after an interrupted run stays).
 */
export async function finishPack(out: string, org: string, packDir: string, entry: IndexEntry, opts: { keepPack?: boolean } = {}): Promise<{ archive: string; indexProblem?: string }> {
  const archive = `${packDir}.zip`;
  const partial = join(out, `.tmp-${process.pid}-${entry.packId}.zip`);
  const written = [partial, indexTemporary(out, org), ...(opts.keepPack ? [] : [archive, packDir])];
  const undo = () => {
    for (const p of written) rmSync(p, { recursive: true, force: true });
  };
  const forget = onInterrupt(undo);
  try {
    await writePackArchive(packDir, entry.packId, partial, new Date(entry.generatedAt));
    await rename(partial, archive);
    const indexProblem = await addToIndex(out, org, entry);
    return { archive, indexProblem };
  } catch (e) {
    undo();
    throw e;
  } finally {
    forget();
  }
}

/** Whether a live process is writing this pack's archive (its partial .tmp-<pid>-<packId>.zip is in out/). */
function beingZipped(out: string, packId: string): boolean {
  return readdirSync(out).some((n) => {
    const m = /^\.tmp-(\d+)-(.+)\.zip$/.exec(n);
    return m !== null && m[2] === packId && processAlive(Number(m[1]));
  });
}

/**
 * Completes the packs of an organization that a killed run left without their archive or index entry,
 * when they verify (a pack that does not is left as it is, and named); removes its stale temporaries.
 * Returns one line per pack completed or left.
 */
export async function completeInterruptedPacks(out: string, org: string): Promise<string[]> {
  const orgDir = join(out, org);
  if (!existsSync(orgDir)) return [];
  await removeStaleTemporaries(orgDir, /^index\.json\.tmp-(\d+)$/);
  const indexed = indexedPackIds(out, org);
  const notes: string[] = [];
  for (const period of readdirSync(orgDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()) {
    for (const e of readdirSync(join(orgDir, period), { withFileTypes: true })) {
      if (!e.isDirectory() || !e.name.startsWith('pack-')) continue;
      const packDir = join(orgDir, period, e.name);
      const zipped = existsSync(`${packDir}.zip`);
      if (zipped && indexed.has(e.name)) continue;
      if (!zipped && beingZipped(out, e.name)) continue; // a run going on now is finishing it
      const verified = await verifyPack(packDir);
      if (!verified.ok) {
        notes.push(`${packDir}: left by an interrupted run without its archive or index entry, and does not verify: left as it is`);
        continue;
      }
      const result = readResult(join(packDir, 'result.json'));
      const entry: IndexEntry = { period, packId: e.name, path: join(period, e.name), generatedAt: result.generatedAt, controls: result.summary.controls };
      const indexProblem = zipped ? await addToIndex(out, org, entry) : (await finishPack(out, org, packDir, entry, { keepPack: true })).indexProblem;
      // What the index held that was not a pack's is said once, as a run that finds it says it.
      if (indexProblem && !notes.includes(indexProblem)) notes.push(indexProblem);
      notes.push(`${packDir}: completed (${zipped ? 'index entry' : `${basename(packDir)}.zip and index entry`}) after an interrupted run`);
    }
  }
  return notes;
}
