import { ExitCode } from '../../core/errors.ts';
import { trustAnchors, type TrustOptions } from '../../sign/trust.ts';
import { verifyPack, type VerifyReport } from '../../sign/verify.ts';
import { verifyPackArchive } from '../../sign/verify-archive.ts';
import type { GlobalOptions } from './output.ts';
import { stdout, stderr } from '../../core/io.ts';

/**
 * Verifies a pack directory, or a pack archive (.zip) hashed entry by entry as it streams (nothing extracted): exit 0
 * only when it is intact and signed by a trusted key; 8 when intact but no anchor names its key.
 */
export async function verifyCommand(opts: GlobalOptions & TrustOptions & { pack: string }): Promise<number> {
  const trusted = await trustAnchors(opts);
  let r: VerifyReport;
  if (opts.pack.endsWith('.zip')) {
    r = await verifyPackArchive(opts.pack, { trusted });
  } else {
    r = await verifyPack(opts.pack, { trusted });
  }
  const code = !r.ok ? ExitCode.verifyFailed : r.signerVerified ? ExitCode.ok : ExitCode.signerNotVerified;
  if (opts.json) {
    stdout(`${JSON.stringify({ pack: opts.pack, ...r }, null, 2)}\n`);
  } else if (code === ExitCode.ok) {
    if (!opts.quiet)
      stdout(
        `Verified ${opts.pack}: ${r.filesChecked} files intact, signature valid, signer verified (key ${r.keyFingerprint}, trusted by ${r.trustedBy}${r.managedKey ? '' : '; an unmanaged demo key'})\n`,
      );
  } else if (code === ExitCode.signerNotVerified) {
    stderr(
      `${opts.pack}: ${r.filesChecked} files intact, signer not verified: signed by key ${r.keyFingerprint}, and no trust anchor was given (pin the fingerprint you were given with --expect-key, or list it in a trusted-keys file)\n`,
    );
  } else {
    for (const p of r.problems) stderr(`${p.problem}: ${p.file}: ${p.detail}\n`);
    stderr(`FAILED ${opts.pack}: ${r.problems.length} problem(s)\n`);
  }
  return code;
}
