import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { entryKind, shownName } from '../core/files.ts';
import { join } from 'node:path';
import { isSignatureAlgorithm, verifySignature } from './algorithms.ts';
import { publicKeyFingerprint } from './keys.ts';
import { normalizeFingerprint, type TrustedKey } from './trust.ts';
import { manifestFile, publicKeyFile, signatureFile, signatureFiles, type Manifest } from './manifest.ts';
import { listPackFiles, sha256File } from './sign.ts';

export interface VerifyProblem {
  file: string;
  problem: 'changed' | 'missing' | 'extra' | 'bad-signature' | 'unreadable' | 'key-mismatch' | 'not-a-pack';
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  packId?: string;
  keyFingerprint?: string;
  keyLabel?: string;
  managedKey?: boolean;
  algorithm?: string;
  /** True only when the signing key is one of the trust anchors given; an intact pack without one is "signer not verified". */
  signerVerified: boolean;
  /** The anchor that matched. */
  trustedBy?: string;
  filesChecked: number;
  problems: VerifyProblem[];
}

/**
 * Why a manifest path may not be read, or undefined: only a plain relative path to a file inside the
 * pack is (no '..', no absolute or drive path, no backslash, no empty or '.' segment, no control characters).
 */
export function unsafeManifestPath(path: unknown): string | undefined {
  if (typeof path !== 'string' || path === '') return 'is not a file name';
  if (shownName(path) !== path) return 'has control characters';
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.includes('\\')) return 'is not relative to the pack';
  if (path.split('/').some((s) => s === '' || s === '.' || s === '..')) return 'leaves the pack or is not plain';
  return undefined;
}

export interface SignedManifest {
  manifest: Manifest;
  fingerprint: string;
  anchor?: TrustedKey;
  algorithm: string;
}

/** The trust anchors of a verification: the trusted keys and --expect-key (one that is not a fingerprint matches nothing). */
export function anchorsOf(opts: { expectKey?: string; trusted?: TrustedKey[] }): TrustedKey[] {
  return [...(opts.trusted ?? []), ...(opts.expectKey !== undefined ? [{ fingerprint: normalizeFingerprint(opts.expectKey) ?? 'not a fingerprint', source: '--expect-key' }] : [])];
}

/**
 * The signature over manifest.json checked against public-key.pem and the anchors; undefined (with the
 * problems recorded) when nothing in the pack is worth reading further.
 */
export function checkSignedManifest(manifestBytes: Buffer, pem: Buffer, signature: Buffer, anchors: TrustedKey[], problems: VerifyProblem[]): SignedManifest | undefined {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(pem);
  } catch {
    problems.push({ file: publicKeyFile, problem: 'unreadable', detail: 'not a PEM public key' });
    return undefined;
  }
  const fingerprint = publicKeyFingerprint(publicKey);
  const anchor = anchors.find((a) => a.fingerprint === fingerprint);
  if (anchors.length && !anchor) {
    const sources = [...new Set(anchors.map((a) => a.source.replace(/ line \d+$/, '')))].join(', ');
    const expected = anchors.length === 1 ? `the expected ${anchors[0]!.fingerprint}` : `any of the ${anchors.length} trusted keys`;
    problems.push({ file: publicKeyFile, problem: 'key-mismatch', detail: `signed by key ${fingerprint}, not ${expected} (${sources})` });
    // Not the signer asked for: nothing in the pack is worth reading further.
    return undefined;
  }
  let manifest: Manifest | undefined;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
  } catch {
    manifest = undefined;
  }
  // Packs from before the algorithm field were Ed25519. The algorithm must fit the key's type, so a
  // changed field can only make verification fail, never choose a weaker check.
  const algorithm = manifest?.signature?.algorithm ?? 'Ed25519';
  if (!isSignatureAlgorithm(algorithm)) {
    problems.push({ file: manifestFile, problem: 'unreadable', detail: `unknown signature algorithm ${JSON.stringify(algorithm).slice(0, 60)}` });
    return undefined;
  }
  const signed = verifySignature(algorithm, manifestBytes, publicKey, signature);
  if (!signed) {
    const named = manifest?.signature?.keyFingerprint;
    if (named && named !== fingerprint) {
      problems.push({ file: publicKeyFile, problem: 'key-mismatch', detail: `manifest.json names key ${shownName(String(named)).slice(0, 100)}, public-key.pem holds ${fingerprint}` });
    } else {
      // The signed bytes and the signature disagree; either file may be the one that changed.
      const detail = 'manifest.json and manifest.sig do not match: one of them was changed';
      problems.push({ file: manifestFile, problem: 'bad-signature', detail }, { file: signatureFile, problem: 'bad-signature', detail });
    }
    return undefined;
  }
  if (!manifest || !Array.isArray(manifest.files)) {
    problems.push({ file: manifestFile, problem: 'unreadable', detail: 'signed, but not a manifest' });
    return undefined;
  }
  if (manifest.signature?.keyFingerprint !== fingerprint) {
    problems.push({
      file: publicKeyFile,
      problem: 'key-mismatch',
      detail: `manifest names key ${shownName(String(manifest.signature?.keyFingerprint)).slice(0, 100)}, public-key.pem is ${fingerprint}`,
    });
  }
  return { manifest, fingerprint, anchor, algorithm };
}

/** The report of a pack whose files were checked. */
export function signedReport(signed: SignedManifest, problems: VerifyProblem[]): VerifyReport {
  const { manifest, fingerprint, anchor, algorithm } = signed;
  return {
    ok: problems.length === 0,
    packId: manifest.packId,
    keyFingerprint: fingerprint,
    keyLabel: manifest.signature.keyLabel,
    managedKey: manifest.signature.managedKey,
    algorithm,
    signerVerified: problems.length === 0 && anchor !== undefined,
    ...(anchor && problems.length === 0 ? { trustedBy: anchor.source } : {}),
    filesChecked: manifest.files.length,
    problems,
  };
}

/**
 * Checks a pack offline: the signature over manifest.json, then every file's hash, then extra files.
 * With trust anchors (trusted, or expectKey), a pack signed by any other key fails (key-mismatch); an
 * expectKey that is not a fingerprint (an empty one too) matches no key, so it can only fail.
 */
export async function verifyPack(dir: string, opts: { expectKey?: string; trusted?: TrustedKey[] } = {}): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const report = (): VerifyReport => ({ ok: problems.length === 0, signerVerified: false, filesChecked: 0, problems });
  const anchors = anchorsOf(opts);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.push({ file: dir, problem: 'not-a-pack', detail: 'not a directory' });
    return report();
  }
  for (const f of signatureFiles) {
    if (!existsSync(join(dir, f))) problems.push({ file: f, problem: 'missing', detail: 'required for verification' });
    else if (!lstatSync(join(dir, f)).isFile()) problems.push({ file: f, problem: 'unreadable', detail: `${entryKind(lstatSync(join(dir, f)))}, not a regular file: not read` });
  }
  if (problems.length) return report();

  const signed = checkSignedManifest(readFileSync(join(dir, manifestFile)), readFileSync(join(dir, publicKeyFile)), readFileSync(join(dir, signatureFile)), anchors, problems);
  if (!signed) return report();
  const { manifest } = signed;
  const listed = new Set<string>();
  const realDir = realpathSync(dir);
  for (const entry of manifest.files) {
    const unsafe = unsafeManifestPath(entry?.path);
    if (unsafe) {
      problems.push({ file: shownName(String(entry?.path)), problem: 'unreadable', detail: `manifest path ${unsafe}: not checked` });
      continue;
    }
    listed.add(entry.path);
    const full = join(dir, entry.path);
    let kind: Stats;
    try {
      kind = lstatSync(full);
    } catch {
      problems.push({ file: entry.path, problem: 'missing', detail: 'listed in the manifest, not in the pack' });
      continue;
    }
    // A link anywhere on the way (a linked directory) would read a file outside the pack.
    if (!kind.isFile() || realpathSync(full) !== join(realDir, entry.path)) {
      problems.push({ file: entry.path, problem: 'changed', detail: `${kind.isFile() ? 'reached through a symbolic link' : entryKind(kind)}, not a regular file of the pack: not read` });
      continue;
    }
    const size = kind.size;
    const digest = await sha256File(full);
    if (digest !== entry.sha256 || size !== entry.bytes) {
      problems.push({ file: entry.path, problem: 'changed', detail: `sha256 ${digest.slice(0, 12)}…, manifest says ${entry.sha256.slice(0, 12)}…` });
    }
  }
  for (const path of listPackFiles(dir)) {
    if (!listed.has(path) && !(signatureFiles as readonly string[]).includes(path)) {
      problems.push({ file: shownName(path), problem: 'extra', detail: 'in the pack, not in the manifest' });
    }
  }
  return signedReport(signed, problems);
}
