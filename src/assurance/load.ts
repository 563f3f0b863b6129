import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { compileSchema, loadYamlFile } from '../core/data-file.ts';
import { InputError } from '../core/errors.ts';
import { listFilesUnder, regularFile, shownName } from '../core/files.ts';
import { attestationSchema, waiversSchema } from './schemas.ts';
import type { Attestation, Waiver } from './types.ts';

interface AttestationFile {
  control: string;
  statement: string;
  attested_by: { name: string; role: string; email?: string };
  date: string;
  expires: string;
  evidence?: string[];
}

const validateAttestation = compileSchema<AttestationFile>(attestationSchema);
const validateWaivers = compileSchema<{ waivers: Waiver[] }>(waiversSchema);

/** Every *.yaml attestation in dir, with the evidence files it names hashed. */
export function loadAttestations(dir: string): Attestation[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(dir, undefined, 'attestations directory not found');
  // Every entry is a regular file (links and special files are refused), so what a statement names is copied from inside dir.
  const present = new Set(listFilesUnder(dir));
  const files = [...present].filter((f) => /\.ya?ml$/.test(f));
  return files.map((rel) => {
    const file = join(dir, rel);
    const { data } = loadYamlFile(file, validateAttestation);
    if (data.expires <= data.date) throw new InputError(file, 'expires', `must be after date ${data.date}`);
    const evidence = (data.evidence ?? []).map((e, i) => {
      const path = normalize(join(dirname(rel), e));
      if (path.startsWith('..') || path.startsWith(sep)) throw new InputError(file, `evidence[${i}]`, 'must be a file inside the attestations directory');
      if (!present.has(path.split(sep).join('/'))) throw new InputError(file, `evidence[${i}]`, `${shownName(e)}: file not found`);
      const bytes = readFileSync(join(dir, path));
      return { path: path.split(sep).join('/'), sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    });
    return { file: rel.split(sep).join('/'), control: data.control, statement: data.statement, attestedBy: data.attested_by, date: data.date, expires: data.expires, evidence };
  });
}

export function loadWaivers(file: string): Waiver[] {
  regularFile(file);
  const { data } = loadYamlFile(file, validateWaivers);
  const ids = new Set<string>();
  data.waivers.forEach((w, i) => {
    if (ids.has(w.id)) throw new InputError(file, `waivers[${i}].id`, `duplicate waiver id ${w.id}`);
    ids.add(w.id);
  });
  return data.waivers;
}
