// Signing with an AWS KMS asymmetric key: KMS holds the private key, the pack carries the public key,
// so verification stays offline. The manifest is larger than KMS's 4 KiB raw-message limit, so KMS
// signs its digest (MessageType DIGEST), which verifies exactly like a signature over the file.
import { createHash, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { describeError } from '../core/aws-error.ts';
import { UserError } from '../core/errors.ts';
import { digestOf, verifySignature, type SignatureAlgorithm } from './algorithms.ts';
import { publicKeyFingerprint, type SigningKey } from './keys.ts';

/** Which KMS algorithm to ask for when the key offers several: ECDSA first (short signatures), then RSA-PSS. */
type KmsAlgorithm = Exclude<SignatureAlgorithm, 'Ed25519'>;
const preference: KmsAlgorithm[] = [
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
];

/** The region of a key or alias ARN (arn:aws:kms:eu-west-1:…), if the id is one. */
export function regionOfKeyId(keyId: string): string | undefined {
  return /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(keyId)?.[1];
}

export interface KmsKeyOptions {
  profile?: string;
  region?: string;
  algorithm?: string;
}

/** Reads the key's public half and returns a SigningKey whose sign() calls kms:Sign. */
export async function kmsSigningKey(keyId: string, opts: KmsKeyOptions = {}): Promise<SigningKey> {
  const region = regionOfKeyId(keyId) ?? opts.region;
  const newClient = () => new KMSClient({ ...(region ? { region } : {}), ...(opts.profile ? { profile: opts.profile } : {}), retryMode: 'adaptive', maxAttempts: 6 });
  const where = `--kms-key-id ${keyId}${region ? ` (${region})` : ''}`;
  const client = newClient();
  let key;
  try {
    key = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
  } catch (e) {
    throw new UserError(`${where}: cannot read the public key (kms:GetPublicKey): ${describeError(e)}`);
  } finally {
    client.destroy();
  }
  if (key.KeyUsage !== 'SIGN_VERIFY' || !key.PublicKey) {
    throw new UserError(`${where}: key usage is ${key.KeyUsage ?? 'unknown'}; an asymmetric SIGN_VERIFY key is required`);
  }
  const offered = key.SigningAlgorithms ?? [];
  let algorithm: KmsAlgorithm | undefined;
  if (opts.algorithm) {
    if (!preference.includes(opts.algorithm as KmsAlgorithm) || !offered.includes(opts.algorithm as KmsAlgorithm)) {
      throw new UserError(`--kms-signing-algorithm ${opts.algorithm}: key ${keyId} offers ${offered.join(', ') || 'none'}; this tool verifies ${preference.join(', ')}`);
    }
    algorithm = opts.algorithm as KmsAlgorithm;
  } else {
    algorithm = preference.find((a) => offered.includes(a));
  }
  if (!algorithm) {
    throw new UserError(`${where}: key spec ${key.KeySpec} offers ${offered.join(', ') || 'no algorithm'}; use an ECC_NIST_* or RSA_* signing key`);
  }
  const publicKey = createPublicKey({ key: Buffer.from(key.PublicKey), format: 'der', type: 'spki' });
  const keyArn = key.KeyId ?? keyId;
  const chosen = algorithm;
  return {
    algorithm: chosen,
    kmsKeyArn: keyArn,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: publicKeyFingerprint(publicKey),
    label: `AWS KMS key ${keyArn} (${key.KeySpec}, ${chosen})`,
    managed: true,
    async sign(data: Buffer): Promise<Buffer> {
      const digest = createHash(digestOf(chosen)!).update(data).digest();
      const client = newClient();
      let signature: Buffer;
      try {
        const out = await client.send(new SignCommand({ KeyId: keyArn, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: chosen }));
        signature = Buffer.from(out.Signature ?? []);
      } catch (e) {
        throw new UserError(`${where}: signing failed (kms:Sign): ${describeError(e)}`);
      } finally {
        client.destroy();
      }
      // A signature the pack's own public key does not accept must never be written.
      if (!verifySignature(chosen, data, publicKey, signature)) throw new UserError(`${where}: KMS returned a signature that the key's public key does not verify`);
      return signature;
    },
  };
}

/** The fingerprint of a KMS key's public half, read from KMS: what --expect-kms-key pins. */
export async function kmsPublicKeyFingerprint(keyArn: string, opts: KmsKeyOptions = {}): Promise<string> {
  return (await kmsSigningKey(keyArn, opts)).fingerprint;
}
