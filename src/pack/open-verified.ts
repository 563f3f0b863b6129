import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { readResult } from '../evaluate/read-result.ts';
import type { Result } from '../evaluate/result.ts';
import { ExitCode, UserError } from '../errors.ts';
import { verifyPack, type VerifyReport } from '../sign/verify.ts';
import { extractPackArchive } from './archive.ts';
import { outputs } from './stages.ts';

export interface VerifiedPack { dir: string; result: Result; verification: VerifyReport }

/**
 * Verifies a pack (directory, or archive extracted under tmp) and reads its result; a pack that does
 * not verify is refused with exit 3, naming what `refusing` would have done with it.
 */
export async function openVerifiedPack(pack: string, tmp: string, refusing: string): Promise<VerifiedPack> {
  const dir = pack.endsWith('.zip') ? await extractPackArchive(pack, await mkdtemp(join(tmp, 'pack-'))) : pack;
  const verification = await verifyPack(dir);
  if (!verification.ok) {
    throw new UserError(`${pack}: does not verify (${verification.problems.map((p) => `${p.problem} ${p.file}`).join(', ')}); refusing to ${refusing}`, ExitCode.verifyFailed);
  }
  return { dir, result: readResult(join(dir, outputs.result)), verification };
}
