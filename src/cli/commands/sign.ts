import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runTime } from '../../core/clock.ts';
import { readResult } from '../../evaluate/read-result.ts';
import { UserError } from '../../core/errors.ts';
import { outputs, packIdFor } from '../../pack/stages.ts';
import { tool } from '../../core/paths.ts';
import { signingKeyFor, type SigningKeyOptions } from '../../sign/signing-key-for.ts';
import { manifestFile } from '../../sign/manifest.ts';
import { signPack } from '../../sign/sign.ts';
import { report, type GlobalOptions } from './output.ts';

export async function signCommand(opts: GlobalOptions & SigningKeyOptions & { dir: string; force?: boolean }): Promise<number> {
  if (!existsSync(opts.dir)) throw new UserError(`${opts.dir}: directory not found`);
  if (existsSync(join(opts.dir, manifestFile)) && !opts.force) throw new UserError(`${join(opts.dir, manifestFile)}: the pack is already signed (use --force to sign again)`);
  const key = await signingKeyFor(opts);
  const resultFile = join(opts.dir, outputs.result);
  const packId = existsSync(resultFile) ? packIdFor(readResult(resultFile)) : basename(opts.dir);
  const manifest = await signPack(opts.dir, { packId, createdAt: runTime(), tool, key });
  report(opts, `Signed ${manifest.files.length} files in ${opts.dir} with ${key.fingerprint} (${key.algorithm}${key.managed ? '' : ', unmanaged demo key'})`, {
    dir: opts.dir,
    files: manifest.files.length,
    keyFingerprint: key.fingerprint,
    algorithm: key.algorithm,
    managedKey: key.managed,
    ...(key.kmsKeyArn ? { kmsKeyArn: key.kmsKeyArn } : {}),
  });
  return 0;
}
