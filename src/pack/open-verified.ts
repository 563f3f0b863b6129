import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { readResult } from '../evaluate/read-result.ts';
import type { Result } from '../evaluate/result.ts';
import { ExitCode, UserError } from '../core/errors.ts';
import type { TrustedKey } from '../sign/trust.ts';
import { verifyPack, type VerifyReport } from '../sign/verify.ts';
import { extractPackArchive } from '../sign/read-archive.ts';
import { outputs } from './layout.ts';

export interface VerifiedPack {
  dir: string;
  result: Result;
  verification: VerifyReport;
}

/**
 * Verifies a pack (directory, or archive extracted under tmp) against the trust anchors and reads its
 * result; a pack that does not verify, or is signed by a key no anchor names, is refused with exit 3,
 * naming what `refusing` would have done with it. An intact pack with no anchor given is returned
 * with verification.signerVerified false: the caller decides (attach refuses it, diff says so).
 */
export async function openVerifiedPack(pack: string, tmp: string, refusing: string, trusted: TrustedKey[] = []): Promise<VerifiedPack> {
  const dir = pack.endsWith('.zip') ? await extractPackArchive(pack, await mkdtemp(join(tmp, 'pack-'))) : pack;
  const verification = await verifyPack(dir, { trusted });
  if (!verification.ok) {
    const untrusted = verification.problems.find((p) => p.problem === 'key-mismatch' && p.detail.startsWith('signed by key'));
    throw new UserError(
      `${pack}: does not verify (${untrusted ? untrusted.detail : verification.problems.map((p) => `${p.problem} ${p.file}`).join(', ')}); refusing to ${refusing}`,
      ExitCode.verifyFailed,
    );
  }
  return { dir, result: readResult(join(dir, outputs.result)), verification };
}

/** The one line that says a pack is intact but nobody vouched for its key. */
export const signerNotVerifiedLine = (pack: string, key: string | undefined) =>
  `${pack}: intact, signer not verified: signed by key ${key}, and no trust anchor was given (--expect-key, --expect-kms-key or trusted-keys)`;
