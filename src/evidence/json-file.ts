import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { ValidateFunction } from 'ajv';
import { describeAjvError } from '../data-file.ts';
import { InputError } from '../errors.ts';

export interface JsonFile<T> { value: T; sha256: string; bytes: number }

/** Deeper than any AWS response or configuration item; guards every recursive step that follows. */
export const maxDepth = 64;
/** Longer than any value AWS Config records (policies are capped at tens of KB). */
export const maxStringLength = 8 * 1024 * 1024;

/** Rejects documents nested too deep or holding giant strings, without recursion, naming where. */
export function checkShape(value: unknown, shownAs: string, at = ''): void {
  const where = (path: string) => (path.length > 100 ? `${path.slice(0, 100)}…` : path) || '(top level)';
  const stack: [unknown, string, number][] = [[value, at, 0]];
  while (stack.length) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.length > maxStringLength) throw new InputError(shownAs, where(path), `a string of ${v.length} characters is longer than the ${maxStringLength / 1024 / 1024} MiB limit`);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) throw new InputError(shownAs, where(path), `nested deeper than ${maxDepth} levels`);
    if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, `${path}[${i}]`, depth + 1]));
    else for (const [k, x] of Object.entries(v)) stack.push([x, path ? `${path}.${k}` : k, depth + 1]);
  }
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return `line ${line}, column ${position - before.lastIndexOf('\n')}`;
}

/** Reads a .json or .json.gz file; `shownAs` is the name used in errors. */
export function readJsonFile<T>(path: string, shownAs: string, validate?: ValidateFunction<T>): JsonFile<T> {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new InputError(shownAs, undefined, `cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let bytes = raw;
  if (path.endsWith('.gz')) {
    try {
      bytes = gunzipSync(raw);
    } catch {
      throw new InputError(shownAs, undefined, 'not a valid gzip file');
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new InputError(shownAs, undefined, 'not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    throw new InputError(shownAs, undefined, `malformed JSON${m ? ` at ${lineAndColumn(text, Number(m[1]))}` : ''}`);
  }
  checkShape(value, shownAs);
  if (validate && !validate(value)) {
    const { field, problem } = describeAjvError(validate.errors![0]!);
    throw new InputError(shownAs, field, problem);
  }
  return { value: value as T, sha256: createHash('sha256').update(raw).digest('hex'), bytes: raw.length };
}

/** AWS timestamps arrive as ISO strings (files) or epoch seconds (API/CLI JSON). */
export function isoTime(value: unknown, file: string, field: string): string {
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new InputError(file, field, `not a timestamp: ${JSON.stringify(value)}`);
  return date.toISOString();
}
