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

const mediaTypes: Record<string, string> = {
  json: 'application/json',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  pem: 'application/x-pem-file',
  gz: 'application/gzip',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function mediaTypeOf(path: string): string {
  return mediaTypes[path.split('.').pop()!.toLowerCase()] ?? 'application/octet-stream';
}
