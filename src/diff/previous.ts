import { join } from 'node:path';
import { readResult } from '../evaluate/read-result.ts';
import type { Result } from '../evaluate/result.ts';
import type { Period } from '../core/period.ts';
import { latestPack } from '../period/placement.ts';
import type { TrustedKey } from '../sign/trust.ts';
import { verifyPack, type VerifyReport } from '../sign/verify.ts';
import { diffPacks, type Drift } from './diff.ts';

export const driftFile = 'drift.json';

export type DriftRecord =
  | ({ state: 'compared'; previousPack: string; previousPeriod: string } & Drift)
  | { state: 'no-previous-pack'; previousPeriod: string }
  | { state: 'previous-pack-refused'; previousPack: string; previousPeriod: string; problems: string[] };

/** What is wrong with an earlier pack, short: "signed by an untrusted key sha256:…", or each problem and file. */
export function refusalReasons(report: VerifyReport): string[] {
  return report.problems.map((p) => {
    const untrusted = p.problem === 'key-mismatch' ? /^signed by key (sha256:[0-9a-f]+)/.exec(p.detail) : null;
    return untrusted ? `signed by an untrusted key ${untrusted[1]}` : `${p.problem} ${p.file}`;
  });
}

/**
 * Finds the previous period's pack under out/, verifies it against the keys this run trusts, and
 * compares: what `run` puts into the pack. A pack that does not verify, or is signed by another key,
 * is recorded as refused and not used.
 */
export async function driftFromPrevious(out: string, org: string, previous: Period, current: Result, currentDir: string, trusted: TrustedKey[]): Promise<DriftRecord> {
  const pack = latestPack(out, org, previous.label);
  if (!pack) return { state: 'no-previous-pack', previousPeriod: previous.label };
  const name = pack.split('/').pop()!;
  const report = await verifyPack(pack, { trusted });
  if (!report.ok || !report.signerVerified)
    return { state: 'previous-pack-refused', previousPack: name, previousPeriod: previous.label, problems: report.ok ? ['no trusted key given'] : refusalReasons(report) };
  return {
    state: 'compared',
    previousPack: name,
    previousPeriod: previous.label,
    ...(await diffPacks({ dir: pack, result: readResult(join(pack, 'result.json')) }, { dir: currentDir, result: current })),
  };
}
