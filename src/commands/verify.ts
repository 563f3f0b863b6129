import { ExitCode } from '../errors.ts';
import { verifyPack } from '../sign/verify.ts';
import type { GlobalOptions } from './output.ts';

export async function verifyCommand(opts: GlobalOptions & { pack: string; expectKey?: string }): Promise<number> {
  const r = await verifyPack(opts.pack, { expectKey: opts.expectKey });
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
