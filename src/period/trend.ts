import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { refusalReasons } from '../diff/previous.ts';
import { readResult } from '../evaluate/read-result.ts';
import type { ControlStatus, Result } from '../evaluate/result.ts';
import type { TrustedKey } from '../sign/trust.ts';
import { verifyPack } from '../sign/verify.ts';
import { latestPack } from './placement.ts';

export const trendFile = 'trend.json';

export type TrendPoint = { period: string; packId: string; verified: true; controls: Record<ControlStatus, number> } | { period: string; packId: string; verified: false; notUsed: string };

/** The folders `run` names after a period: 2026-10, 2026-Q3, 2026-10-01_2026-10-15. */
const periodFolder = /^\d{4}-(?:0[1-9]|1[0-2]|Q[1-4])$|^\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}$/;

/**
 * The control counts of the last pack of each earlier period found under out/<org>/, each taken from
 * its own result.json once the pack verifies and is signed by a key this run trusts, plus this pack:
 * what the trend chart draws. index.json is not read: anyone who can write out/ can write it.
 * An earlier pack that does not verify, or has another signer, is listed as not used, with no counts.
 */
export async function buildTrend(out: string, org: string, current: { period: string; packId: string; result: Result }, trusted: TrustedKey[], max = 12): Promise<TrendPoint[]> {
  const orgDir = join(out, org);
  const periods = existsSync(orgDir)
    ? readdirSync(orgDir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && periodFolder.test(e.name) && e.name < current.period)
        .map((e) => e.name)
        .sort()
        .slice(-(max - 1))
    : [];
  const points: TrendPoint[] = [];
  for (const period of periods) {
    const dir = latestPack(out, org, period);
    if (!dir) continue;
    const packId = dir.split('/').pop()!;
    const report = await verifyPack(dir, { trusted });
    if (!report.ok || !report.signerVerified) {
      points.push({ period, packId, verified: false, notUsed: report.ok ? 'no trusted key given' : refusalReasons(report).join(', ') });
      continue;
    }
    points.push({ period, packId, verified: true, controls: readResult(join(dir, 'result.json')).summary.controls });
  }
  points.push({ period: current.period, packId: current.packId, verified: true, controls: current.result.summary.controls });
  return points;
}
