// Verifies a pack archive without extracting it: the signature files are read from the zip into memory,
// every other entry is hashed as it streams out of the zip, and nothing is written to disk.
import { createHash } from 'node:crypto';
import { normalize, sep } from 'node:path';
import type { Entry } from 'yauzl';
import { shownName } from '../core/files.ts';
import { entryStream, freeArchiveBytes, openPackArchive, type CheckedArchive } from './read-archive.ts';
import { manifestFile, publicKeyFile, signatureFile, signatureFiles } from './manifest.ts';
import type { TrustedKey } from './trust.ts';
import { anchorsOf, checkSignedManifest, signedReport, unsafeManifestPath, type VerifyProblem, type VerifyReport } from './verify.ts';

/** An entry's sha256 and size, read as it streams (yauzl checks the size against the declared one). */
async function digestOf(archive: CheckedArchive, entry: Entry): Promise<{ sha256: string; bytes: number; data?: Buffer }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of await entryStream(archive, entry)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch (e) {
    throw archive.refuse(`entry ${entry.fileName}: ${(e as Error).message}`);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** A signature file's bytes (bounded: the archive's checks bound every entry's size). */
async function bytesOf(archive: CheckedArchive, entry: Entry): Promise<Buffer> {
  if (entry.uncompressedSize > freeArchiveBytes) throw archive.refuse(`entry ${entry.fileName} is ${entry.uncompressedSize} bytes: too large for a signature file`);
  const chunks: Buffer[] = [];
  for await (const chunk of await entryStream(archive, entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function verifyPackArchive(zipFile: string, opts: { expectKey?: string; trusted?: TrustedKey[] } = {}): Promise<VerifyReport> {
  const archive = await openPackArchive(zipFile);
  try {
    const problems: VerifyProblem[] = [];
    const report = (): VerifyReport => ({ ok: problems.length === 0, signerVerified: false, filesChecked: 0, problems });
    // Files by their path inside the pack directory.
    const files = new Map<string, Entry>();
    for (const entry of archive.entries) {
      if (entry.fileName.endsWith('/')) continue;
      const path = normalize(entry.fileName).split(sep).slice(1).join('/');
      if (files.has(path)) throw archive.refuse(`entry ${shownName(entry.fileName)} is in the archive twice`);
      files.set(path, entry);
    }
    for (const f of signatureFiles) if (!files.has(f)) problems.push({ file: f, problem: 'missing', detail: 'required for verification' });
    if (problems.length) return report();
    const signed = checkSignedManifest(
      await bytesOf(archive, files.get(manifestFile)!),
      await bytesOf(archive, files.get(publicKeyFile)!),
      await bytesOf(archive, files.get(signatureFile)!),
      anchorsOf(opts),
      problems,
    );
    if (!signed) return report();
    const listed = new Set<string>();
    for (const entry of signed.manifest.files) {
      const unsafe = unsafeManifestPath(entry?.path);
      if (unsafe) {
        problems.push({ file: shownName(String(entry?.path)), problem: 'unreadable', detail: `manifest path ${unsafe}: not checked` });
        continue;
      }
      listed.add(entry.path);
      const held = files.get(entry.path);
      if (!held) {
        problems.push({ file: entry.path, problem: 'missing', detail: 'listed in the manifest, not in the pack' });
        continue;
      }
      const { sha256, bytes } = await digestOf(archive, held);
      if (sha256 !== entry.sha256 || bytes !== entry.bytes) {
        problems.push({ file: entry.path, problem: 'changed', detail: `sha256 ${sha256.slice(0, 12)}…, manifest says ${String(entry.sha256).slice(0, 12)}…` });
      }
    }
    for (const path of [...files.keys()].sort()) {
      if (!listed.has(path) && !(signatureFiles as readonly string[]).includes(path)) problems.push({ file: shownName(path), problem: 'extra', detail: 'in the pack, not in the manifest' });
    }
    return signedReport(signed, problems);
  } finally {
    archive.zip.close();
  }
}
