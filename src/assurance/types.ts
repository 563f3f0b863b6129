export interface Attestation {
  /** The attestation file, relative to the attestations directory. */
  file: string;
  control: string;
  statement: string;
  attestedBy: { name: string; role: string; email?: string };
  date: string;
  expires: string;
  evidence: { path: string; sha256: string; bytes: number }[];
}

export interface Waiver {
  id: string;
  scope: { control?: string; rule?: string; resource?: string; account?: string };
  owner: string;
  reason: string;
  ticket: string;
  expires: string;
}
