import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { refusalReasons } from '../diff/previous.ts';
import type { Period } from '../core/period.ts';
import { latestPack } from '../period/placement.ts';
import type { TrustedKey } from '../sign/trust.ts';
import { verifyPack } from '../sign/verify.ts';
import { poamFile, poamSchemaVersion, type PoamDocument, type PreviousPoam } from './poam.ts';

/**
 * The POA&M of the previous period's pack under out/, once that pack verifies and is signed by a key this run
 * trusts: what this period's POA&M remembers. A pack that does not verify, or has another signer, is refused
 * (and said); a pack made before POA&Ms were written has none, and the POA&M starts afresh.
 */
export async function previousPoam(out: string, org: string, previous: Period, trusted: TrustedKey[]): Promise<PreviousPoam> {
  const pack = latestPack(out, org, previous.label);
  if (!pack) return { state: 'no-previous-pack', period: previous.label };
  const packId = pack.split('/').pop()!;
  const report = await verifyPack(pack, { trusted });
  if (!report.ok || !report.signerVerified) return { state: 'previous-pack-refused', packId, period: previous.label, problems: report.ok ? ['no trusted key given'] : refusalReasons(report) };
  const file = join(pack, poamFile);
  const doc = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PoamDocument) : undefined;
  if (doc?.schema !== poamSchemaVersion) return { state: 'no-poam-in-pack', packId, period: previous.label };
  return { state: 'carried', packId, period: previous.label, doc };
}
