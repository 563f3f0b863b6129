import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.ts';
import type { SignatureAlgorithm } from './algorithms.ts';

export const signingKeyEnv = 'EVIDENCE_PACK_SIGNING_KEY';

export interface SigningKey {
  algorithm: SignatureAlgorithm;
  sign(data: Buffer): Promise<Buffer>;
  publicKeyPem: string;
  /** sha256 of the DER SubjectPublicKeyInfo, hex: what an auditor pins with --expect-key. */
  fingerprint: string;
  /** Where the key came from, written into the manifest. */
  label: string;
  managed: boolean;
  /** The KMS key ARN when AWS KMS signs. */
  kmsKeyArn?: string;
}

export function publicKeyFingerprint(publicKey: KeyObject): string {
  return `sha256:${createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

function localEd25519(privateKey: KeyObject, label: string, managed: boolean): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return {
    algorithm: 'Ed25519',
    sign: async (data) => sign(null, data, privateKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: publicKeyFingerprint(publicKey),
    label,
    managed,
  };
}

function fromPem(pem: string | Buffer, shownAs: string, label: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new UserError(`${shownAs}: not a PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new UserError(`${shownAs}: an Ed25519 key is required, got ${privateKey.asymmetricKeyType} (openssl genpkey -algorithm ed25519)`);
  }
  return localEd25519(privateKey, label, true);
}

/**
 * The signing key, from a PEM file, else from the environment, else a freshly generated demo key
 * that the manifest and the report label as unmanaged.
 */
export function resolveSigningKey(file: string | undefined, env: NodeJS.ProcessEnv = process.env): SigningKey {
  if (file) {
    let pem: Buffer;
    try {
      pem = readFileSync(file);
    } catch (e) {
      throw new UserError(`--signing-key ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return fromPem(pem, `--signing-key ${file}`, `Ed25519 key from file ${file.split('/').pop()}`);
  }
  const fromEnv = env[signingKeyEnv];
  if (fromEnv) return fromPem(fromEnv, signingKeyEnv, `Ed25519 key from ${signingKeyEnv}`);
  const { privateKey } = generateKeyPairSync('ed25519');
  return localEd25519(privateKey, 'UNMANAGED DEMO KEY generated for this run only: it proves the pack is intact, not who made it', false);
}
