import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFilesUnder } from '../core/files.ts';
import type { SigningKey } from './keys.ts';
import { mediaTypeOf } from '../core/media-type.ts';
import { manifestFile, publicKeyFile, signatureFile, signatureFiles, type Manifest, type ManifestEntry } from './manifest.ts';

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (c) => hash.update(c))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Every entry under dir but directories (a link or device in a pack is a file it must account for), sorted. */
export const listPackFiles = (dir: string): string[] => listFilesUnder(dir, { everyEntry: true });

/** Writes manifest.json (sha256 of every other file), manifest.sig (the key's raw signature over it) and public-key.pem. */
export async function signPack(dir: string, opts: { packId: string; createdAt: string; tool: Manifest['tool']; key: SigningKey }): Promise<Manifest> {
  const files: ManifestEntry[] = [];
  // Only regular files with printable names are signed: a link, pipe or device is refused (exit 2), as is
  // a name that would break the line-based recipe in README.txt.
  for (const path of listFilesUnder(dir)) {
    if ((signatureFiles as readonly string[]).includes(path)) continue;
    const full = join(dir, path);
    files.push({ path, sha256: await sha256File(full), bytes: statSync(full).size, mediaType: mediaTypeOf(path) });
  }
  const manifest: Manifest = {
    schema: 'evidence-pack/manifest@1',
    packId: opts.packId,
    tool: opts.tool,
    createdAt: opts.createdAt,
    signature: {
      algorithm: opts.key.algorithm,
      publicKey: publicKeyFile,
      keyFingerprint: opts.key.fingerprint,
      keyLabel: opts.key.label,
      managedKey: opts.key.managed,
      ...(opts.key.kmsKeyArn ? { kmsKeyArn: opts.key.kmsKeyArn } : {}),
    },
    files,
  };
  const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  await writeFile(join(dir, manifestFile), bytes);
  await writeFile(join(dir, signatureFile), await opts.key.sign(bytes));
  await writeFile(join(dir, publicKeyFile), opts.key.publicKeyPem);
  return manifest;
}
