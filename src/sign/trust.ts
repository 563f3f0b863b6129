// Trust anchors: the keys a verifier accepts as the signer of a pack. A signature proves a pack is
// intact; only a key known beforehand (pinned, listed in a trusted-keys file, read from KMS, or the
// run's own signing key) proves who signed it. No anchor means "intact, signer not verified".
import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.ts';

export interface TrustedKey {
  /** sha256:<64 hex>, lower case: the fingerprint `run` prints and the manifest names. */
  fingerprint: string;
  /** Where the anchor came from, for messages: "--expect-key", "trusted-keys keys.txt line 3", … */
  source: string;
}

const fingerprintShape = /^(?:sha256:)?([0-9a-f]{64})$/i;

/** The fingerprint as the manifest writes it, or undefined when the text is not one. */
export function normalizeFingerprint(text: string): string | undefined {
  const hex = fingerprintShape.exec(text.trim())?.[1];
  return hex ? `sha256:${hex.toLowerCase()}` : undefined;
}

/**
 * --expect-key as yargs hands it over: absent, one value, or several (the flag repeated). An empty
 * value (`--expect-key ''`, `--expect-key=`, the flag with nothing after it), `--no-expect-key` or
 * anything but a fingerprint is a usage error: a pin that is not a key must never mean "no pin".
 */
export function pinsFromFlag(value: unknown, flag = '--expect-key'): TrustedKey[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => {
    const fingerprint = typeof v === 'string' ? normalizeFingerprint(v) : undefined;
    if (!fingerprint) {
      const shown = typeof v === 'string' ? (v.trim() ? JSON.stringify(v.slice(0, 80)) : 'empty') : `given as ${String(v)}`;
      throw new UserError(`${flag}: ${shown}: expected the signer's key fingerprint, sha256:<64 hex digits>`);
    }
    return { fingerprint, source: flag };
  });
}

/**
 * A trusted-keys file: one fingerprint a line (a leading "- " is allowed, so a YAML list works too),
 * anything after it on the line and lines starting with # are comments. A file that names no key
 * is refused like an empty pin.
 */
export function readTrustedKeys(file: string): TrustedKey[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`trusted-keys ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const keys: TrustedKey[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\s*-\s+/, '').trim();
    if (!line || line.startsWith('#')) return;
    const word = line.split(/\s+/)[0]!;
    const fingerprint = normalizeFingerprint(word);
    if (!fingerprint) throw new UserError(`trusted-keys ${file}: line ${i + 1}: ${JSON.stringify(word.slice(0, 80))} is not a key fingerprint (sha256:<64 hex digits>)`);
    keys.push({ fingerprint, source: `trusted-keys ${file.split('/').pop()} line ${i + 1}` });
  });
  if (!keys.length) throw new UserError(`trusted-keys ${file}: names no key fingerprint (sha256:<64 hex digits>, one a line)`);
  return keys;
}

export interface TrustOptions {
  expectKey?: unknown;
  trustedKeys?: string;
  expectKmsKey?: string;
  profile?: string;
  region?: string;
}

/**
 * The anchors a command's flags and settings name. --expect-kms-key is the one online step: the
 * verifier asks KMS (kms:GetPublicKey) for the key's public half, as the tool did when signing;
 * the ARN a manifest names proves nothing by itself, as anyone can write it into a manifest.
 */
export async function trustAnchors(opts: TrustOptions): Promise<TrustedKey[]> {
  const anchors = [...pinsFromFlag(opts.expectKey), ...(opts.trustedKeys !== undefined ? readTrustedKeys(String(opts.trustedKeys)) : [])];
  if (opts.expectKmsKey !== undefined) {
    const arn = String(opts.expectKmsKey);
    if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(arn))
      throw new UserError(`--expect-kms-key ${JSON.stringify(arn.slice(0, 120))}: expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`);
    const { kmsPublicKeyFingerprint } = await import('./kms-key.ts');
    anchors.push({ fingerprint: await kmsPublicKeyFingerprint(arn, { profile: opts.profile, region: opts.region }), source: `--expect-kms-key ${arn}` });
  }
  return anchors;
}
