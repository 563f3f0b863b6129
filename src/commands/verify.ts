import { ExitCode } from '../errors.ts';
import { removeOnInterrupt } from '../interrupt.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractPackArchive } from '../pack/archive.ts';
import { verifyPack, type VerifyReport } from '../sign/verify.ts';
import type { GlobalOptions } from './output.ts';

/** Verifies a pack directory, or a pack archive (.zip) extracted into a temporary directory. */
export async function verifyCommand(opts: GlobalOptions & { pack: string; expectKey?: string }): Promise<number> {
  let r: VerifyReport;
  if (opts.pack.endsWith('.zip')) {
    const tmp = await mkdtemp(join(tmpdir(), 'evidence-pack-verify-'));
    const forget = removeOnInterrupt(tmp);
    try {
      r = await verifyPack(await extractPackArchive(opts.pack, tmp), { expectKey: opts.expectKey });
    } finally {
      await rm(tmp, { recursive: true, force: true });
      forget();
    }
  } else {
    r = await verifyPack(opts.pack, { expectKey: opts.expectKey });
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ pack: opts.pack, ...r }, null, 2)}\n`);
  } else if (r.ok) {
    if (!opts.quiet) process.stdout.write(`Verified ${opts.pack}: ${r.filesChecked} files intact, signature valid (key ${r.keyFingerprint}${r.managedKey ? '' : ', unmanaged demo key'})\n`);
  } else {
    for (const p of r.problems) process.stderr.write(`${p.problem}: ${p.file}: ${p.detail}\n`);
    process.stderr.write(`FAILED ${opts.pack}: ${r.problems.length} problem(s)\n`);
  }
  return r.ok ? ExitCode.ok : ExitCode.verifyFailed;
}
