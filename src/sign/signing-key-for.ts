import { resolveSigningKey, type SigningKey } from './keys.ts';

export interface SigningKeyOptions {
  signingKey?: string;
  kmsKeyId?: string;
  kmsSigningAlgorithm?: string;
  profile?: string;
  region?: string;
}

/** The key the command's options name: an AWS KMS key, a local PEM key, or the demo key. */
export async function signingKeyFor(opts: SigningKeyOptions): Promise<SigningKey> {
  if (!opts.kmsKeyId) return resolveSigningKey(opts.signingKey);
  const { kmsSigningKey } = await import('./kms-key.ts');
  return kmsSigningKey(opts.kmsKeyId, { profile: opts.profile, region: opts.region, algorithm: opts.kmsSigningAlgorithm });
}
