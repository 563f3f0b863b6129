import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ControlStatus, Result } from '../evaluate/result.ts';
import { verifyPack } from '../sign/verify.ts';
import type { IndexEntry } from './placement.ts';

export const trendFile = 'trend.json';

export interface TrendPoint { period: string; packId: string; controls: Record<ControlStatus, number>; verified: boolean }

/**
 * The control counts of the last packs of earlier periods (one per period, newest first in the index),
 * each taken from its own verified result.json, plus this pack: what the trend chart draws.
 */
export async function buildTrend(out: string, org: string, current: { period: string; packId: string; result: Result }, max = 12): Promise<TrendPoint[]> {
  const indexFile = join(out, org, 'index.json');
  const entries: IndexEntry[] = existsSync(indexFile) ? (JSON.parse(readFileSync(indexFile, 'utf8')) as { packs: IndexEntry[] }).packs : [];
  const lastPerPeriod = new Map<string, IndexEntry>();
  for (const e of entries) if (e.period < current.period) lastPerPeriod.set(e.period, e);
  const earlier = [...lastPerPeriod.values()].sort((a, b) => a.period.localeCompare(b.period)).slice(-(max - 1));
  const points: TrendPoint[] = [];
  for (const e of earlier) {
    const dir = join(out, org, e.path);
    if (!existsSync(dir)) continue;
    const ok = (await verifyPack(dir)).ok;
    if (!ok) {
      points.push({ period: e.period, packId: e.packId, controls: e.controls, verified: false });
      continue;
    }
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as Result;
    points.push({ period: e.period, packId: e.packId, controls: result.summary.controls, verified: true });
  }
  points.push({ period: current.period, packId: current.packId, controls: current.result.summary.controls, verified: true });
  return points;
}
