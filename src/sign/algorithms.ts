// The signature algorithms a manifest may carry: Ed25519 for local keys, and the AWS KMS signing
// algorithms whose signatures Node and OpenSSL verify offline. Names are KMS's own, so the
// manifest records exactly what KMS was asked to do.
import { constants, verify, type KeyObject } from 'node:crypto';

interface Algorithm {
  /** Key type the algorithm needs (a pack whose key does not match is refused, not downgraded). */
  keyType: 'ed25519' | 'ec' | 'rsa';
  /** Digest the signature covers; undefined for Ed25519, which signs the message itself. */
  hash?: 'sha256' | 'sha384' | 'sha512';
  padding?: 'pss' | 'pkcs1';
}

export const signatureAlgorithms = {
  Ed25519: { keyType: 'ed25519' },
  ECDSA_SHA_256: { keyType: 'ec', hash: 'sha256' },
  ECDSA_SHA_384: { keyType: 'ec', hash: 'sha384' },
  ECDSA_SHA_512: { keyType: 'ec', hash: 'sha512' },
  RSASSA_PSS_SHA_256: { keyType: 'rsa', hash: 'sha256', padding: 'pss' },
  RSASSA_PSS_SHA_384: { keyType: 'rsa', hash: 'sha384', padding: 'pss' },
  RSASSA_PSS_SHA_512: { keyType: 'rsa', hash: 'sha512', padding: 'pss' },
  RSASSA_PKCS1_V1_5_SHA_256: { keyType: 'rsa', hash: 'sha256', padding: 'pkcs1' },
  RSASSA_PKCS1_V1_5_SHA_384: { keyType: 'rsa', hash: 'sha384', padding: 'pkcs1' },
  RSASSA_PKCS1_V1_5_SHA_512: { keyType: 'rsa', hash: 'sha512', padding: 'pkcs1' },
} as const satisfies Record<string, Algorithm>;

export type SignatureAlgorithm = keyof typeof signatureAlgorithms;

export function isSignatureAlgorithm(name: unknown): name is SignatureAlgorithm {
  return typeof name === 'string' && Object.hasOwn(signatureAlgorithms, name);
}

const digestBytes = { sha256: 32, sha384: 48, sha512: 64 } as const;

/** Verifies a signature over data; false (never a throw) for a wrong key type or a malformed signature. */
export function verifySignature(name: SignatureAlgorithm, data: Buffer, publicKey: KeyObject, signature: Buffer): boolean {
  const a: Algorithm = signatureAlgorithms[name];
  if (publicKey.asymmetricKeyType !== a.keyType) return false;
  try {
    if (!a.hash) return verify(null, data, publicKey, signature);
    // KMS signs PSS with a salt as long as the digest.
    const key = a.padding === 'pss' ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: digestBytes[a.hash] } : { key: publicKey };
    return verify(a.hash, data, key, signature);
  } catch {
    return false;
  }
}

export function digestOf(name: SignatureAlgorithm): 'sha256' | 'sha384' | 'sha512' | undefined {
  return (signatureAlgorithms[name] as Algorithm).hash;
}

/** The OpenSSL 3 command that checks manifest.sig, for the pack's README. */
export function opensslVerifyCommand(name: SignatureAlgorithm): string {
  const a: Algorithm = signatureAlgorithms[name];
  if (!a.hash) return 'openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig';
  const pss = a.padding === 'pss' ? ` -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:${digestBytes[a.hash]}` : '';
  return `openssl dgst -${a.hash} -verify public-key.pem${pss} -signature manifest.sig manifest.json`;
}
