import { join } from 'node:path';
import { readResult } from '../evaluate/read-result.ts';
import type { Result } from '../evaluate/result.ts';
import type { Period } from '../period/period.ts';
import { latestPack } from '../period/placement.ts';
import { verifyPack } from '../sign/verify.ts';
import { diffPacks, type Drift } from './diff.ts';

export const driftFile = 'drift.json';

export type DriftRecord =
  | ({ state: 'compared'; previousPack: string; previousPeriod: string } & Drift)
  | { state: 'no-previous-pack'; previousPeriod: string }
  | { state: 'previous-pack-refused'; previousPack: string; previousPeriod: string; problems: string[] };

/** Finds the previous period's pack under out/, verifies it, and compares: what `run` puts into the pack. */
export async function driftFromPrevious(out: string, org: string, previous: Period, current: Result, currentDir: string): Promise<DriftRecord> {
  const pack = latestPack(out, org, previous.label);
  if (!pack) return { state: 'no-previous-pack', previousPeriod: previous.label };
  const name = pack.split('/').pop()!;
  const report = await verifyPack(pack);
  if (!report.ok) return { state: 'previous-pack-refused', previousPack: name, previousPeriod: previous.label, problems: report.problems.map((p) => `${p.problem} ${p.file}`) };
  return { state: 'compared', previousPack: name, previousPeriod: previous.label, ...(await diffPacks({ dir: pack, result: readResult(join(pack, 'result.json')) }, { dir: currentDir, result: current })) };
}
