// Earlier packs under out/<org>/ (POA&M carry-over, drift, trend): each is read only once it verifies and is signed
// by a key this run trusts. What is read is handed to evaluation and rendering as data (PreviousPoam, DriftRecord,
// TrendPoint), so they never open or verify a pack themselves.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Period } from '../core/period.ts';
import { readResult } from '../evaluate/read-result.ts';
import type { Result } from '../evaluate/result.ts';
import { diffPacks, type DriftRecord } from '../period/drift.ts';
import { latestPack } from '../period/placement.ts';
import { earlierPeriods, type TrendPoint } from '../period/trend.ts';
import { poamFile, poamSchemaVersion, type PoamDocument, type PreviousPoam } from '../poam/poam.ts';
import type { TrustedKey } from '../sign/trust.ts';
import { verifyPack, type VerifyReport } from '../sign/verify.ts';

/** What is wrong with an earlier pack, short: "signed by an untrusted key sha256:…", or each problem and file. */
export function refusalReasons(report: VerifyReport): string[] {
  return report.problems.map((p) => {
    const untrusted = p.problem === 'key-mismatch' ? /^signed by key (sha256:[0-9a-f]+)/.exec(p.detail) : null;
    return untrusted ? `signed by an untrusted key ${untrusted[1]}` : `${p.problem} ${p.file}`;
  });
}

type EarlierPack = { state: 'none' } | { state: 'refused'; packId: string; problems: string[] } | { state: 'verified'; packId: string; dir: string };

/** The last pack of a period under out/<org>/, verified against the keys this run trusts. */
async function openEarlierPack(out: string, org: string, period: string, trusted: TrustedKey[]): Promise<EarlierPack> {
  const dir = latestPack(out, org, period);
  if (!dir) return { state: 'none' };
  const packId = dir.split('/').pop()!;
  const report = await verifyPack(dir, { trusted });
  if (!report.ok || !report.signerVerified) return { state: 'refused', packId, problems: report.ok ? ['no trusted key given'] : refusalReasons(report) };
  return { state: 'verified', packId, dir };
}

/**
 * The POA&M of the previous period's pack: what this period's POA&M remembers. A pack that does not verify, or
 * has another signer, is refused (and said); a pack made before POA&Ms were written has none, and the POA&M starts afresh.
 */
export async function previousPoam(out: string, org: string, previous: Period, trusted: TrustedKey[]): Promise<PreviousPoam> {
  const pack = await openEarlierPack(out, org, previous.label, trusted);
  if (pack.state === 'none') return { state: 'no-previous-pack', period: previous.label };
  if (pack.state === 'refused') return { state: 'previous-pack-refused', packId: pack.packId, period: previous.label, problems: pack.problems };
  const file = join(pack.dir, poamFile);
  const doc = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PoamDocument) : undefined;
  if (doc?.schema !== poamSchemaVersion) return { state: 'no-poam-in-pack', packId: pack.packId, period: previous.label };
  return { state: 'carried', packId: pack.packId, period: previous.label, doc };
}

/**
 * The previous period's pack compared with this one: what `run` puts into the pack (drift.json). A pack that does
 * not verify, or is signed by another key, is recorded as refused and not used.
 */
export async function driftFromPrevious(out: string, org: string, previous: Period, current: Result, currentDir: string, trusted: TrustedKey[]): Promise<DriftRecord> {
  const pack = await openEarlierPack(out, org, previous.label, trusted);
  if (pack.state === 'none') return { state: 'no-previous-pack', previousPeriod: previous.label };
  if (pack.state === 'refused') return { state: 'previous-pack-refused', previousPack: pack.packId, previousPeriod: previous.label, problems: pack.problems };
  return {
    state: 'compared',
    previousPack: pack.packId,
    previousPeriod: previous.label,
    ...(await diffPacks({ dir: pack.dir, result: readResult(join(pack.dir, 'result.json')) }, { dir: currentDir, result: current })),
  };
}

/**
 * The control counts of the last pack of each earlier period, each from its own result.json, plus this pack: what
 * the trend chart draws. index.json is not read: anyone who can write out/ can write it. An earlier pack that
 * does not verify, or has another signer, is listed as not used, with no counts.
 */
export async function buildTrend(out: string, org: string, current: { period: string; packId: string; result: Result }, trusted: TrustedKey[], max = 12): Promise<TrendPoint[]> {
  const points: TrendPoint[] = [];
  for (const period of earlierPeriods(out, org, current.period, max)) {
    const pack = await openEarlierPack(out, org, period, trusted);
    if (pack.state === 'refused') points.push({ period, packId: pack.packId, verified: false, notUsed: pack.problems.join(', ') });
    if (pack.state === 'verified') points.push({ period, packId: pack.packId, verified: true, controls: readResult(join(pack.dir, 'result.json')).summary.controls });
  }
  points.push({ period: current.period, packId: current.packId, verified: true, controls: current.result.summary.controls });
  return points;
}
