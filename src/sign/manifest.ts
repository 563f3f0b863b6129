import type { SignatureAlgorithm } from './algorithms.ts';

export const manifestFile = 'manifest.json';
export const signatureFile = 'manifest.sig';
export const publicKeyFile = 'public-key.pem';
/** The three files that describe the pack rather than belong to it. */
export const signatureFiles = [manifestFile, signatureFile, publicKeyFile] as const;

export interface ManifestEntry {
  path: string;
  sha256: string;
  bytes: number;
  mediaType: string;
}

export interface Manifest {
  schema: 'evidence-pack/manifest@1';
  packId: string;
  tool: { name: string; version: string };
  createdAt: string;
  signature: { algorithm: SignatureAlgorithm; publicKey: typeof publicKeyFile; keyFingerprint: string; keyLabel: string; managedKey: boolean; kmsKeyArn?: string };
  files: ManifestEntry[];
}
