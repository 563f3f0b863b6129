import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ControlStatus } from '../evaluate/result.ts';

export const trendFile = 'trend.json';

export type TrendPoint = { period: string; packId: string; verified: true; controls: Record<ControlStatus, number> } | { period: string; packId: string; verified: false; notUsed: string };

/** The folders `run` names after a period: 2026-10, 2026-Q3, 2026-10-01_2026-10-15. */
const periodFolder = /^\d{4}-(?:0[1-9]|1[0-2]|Q[1-4])$|^\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}$/;

/** The periods before `current` with a folder under out/<org>/, oldest first: the last max - 1 (the trend draws max points with this one). */
export function earlierPeriods(out: string, org: string, current: string, max: number): string[] {
  const orgDir = join(out, org);
  return existsSync(orgDir)
    ? readdirSync(orgDir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && periodFolder.test(e.name) && e.name < current)
        .map((e) => e.name)
        .sort()
        .slice(-(max - 1))
    : [];
}
