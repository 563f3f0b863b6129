import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { describeAjvError } from '../core/data-file.ts';
import { InputError } from '../core/errors.ts';
import { gunzipBounded, maxWholeFileBytes } from './gzip-limits.ts';

export interface JsonFile<T> {
  value: T;
  sha256: string;
  bytes: number;
}

/** Deeper than any AWS response or configuration item; guards every recursive step that follows. */
export const maxDepth = 64;
/** Longer than any value AWS Config records (policies are capped at tens of KB). */
export const maxStringLength = 8 * 1024 * 1024;

/** Rejects documents nested too deep or holding giant strings, without recursion, naming where. Returns how many object members it saw. */
export function checkShape(value: unknown, shownAs: string, at = ''): number {
  // Depth first with one cursor per level: only the current path's containers are held, and a path is
  // spelled out only for an error (a large document holds millions of values).
  interface Frame {
    node: object;
    keys: string[] | null;
    next: number;
  }
  const frames: Frame[] = [];
  const pathNow = () => {
    let path = at;
    for (const f of frames) {
      const k = f.keys ? f.keys[f.next - 1]! : f.next - 1;
      path = typeof k === 'number' ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    }
    return (path.length > 100 ? `${path.slice(0, 100)}…` : path) || '(top level)';
  };
  let members = 0;
  const enter = (v: unknown) => {
    if (typeof v === 'string') {
      if (v.length > maxStringLength) throw new InputError(shownAs, pathNow(), `a string of ${v.length} characters is longer than the ${maxStringLength / 1024 / 1024} MiB limit`);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (frames.length >= maxDepth) throw new InputError(shownAs, pathNow(), `nested deeper than ${maxDepth} levels`);
    const keys = Array.isArray(v) ? null : Object.keys(v);
    if (keys) members += keys.length;
    frames.push({ node: v, keys, next: 0 });
  };
  enter(value);
  while (frames.length) {
    const f = frames[frames.length - 1]!;
    if (f.next >= (f.keys ? f.keys.length : (f.node as unknown[]).length)) {
      frames.pop();
      continue;
    }
    const child = f.keys ? (f.node as Record<string, unknown>)[f.keys[f.next]!] : (f.node as unknown[])[f.next];
    f.next++;
    enter(child);
  }
  return members;
}

export const duplicateMember = 'member written twice (JSON readers disagree on which value counts)';

// Every JSON string token in order: between two tokens there are only numbers, literals and punctuation.
const stringToken = /"[^"\\]*(?:\\.[^"\\]*)*"(\s*:)?/g;

/** Member names written in a JSON text (strings followed by a colon). */
export function countMemberNames(text: string): number {
  let n = 0;
  stringToken.lastIndex = 0;
  for (let m = stringToken.exec(text); m; m = stringToken.exec(text)) if (m[1]) n++;
  return n;
}

/**
 * JSON.parse keeps the last of two equal member names silently, and another reader may keep the
 * first: evidence with duplicates could say two things. Compares the names written with the members
 * parsed, and names the first duplicate (its path) when they differ.
 */
export function checkNoDuplicateMembers(text: string, parsedMembers: number, shownAs: string, at = ''): void {
  if (countMemberNames(text) === parsedMembers) return;
  const frames: { keys?: Set<string>; key?: string; index: number }[] = [];
  const path = () => frames.map((f, i) => (f.keys ? (f.key === undefined ? '' : `${i ? '.' : ''}${f.key}`) : `[${f.index}]`)).join('');
  let last = 0;
  stringToken.lastIndex = 0;
  const structure = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const c = text[i];
      if (c === '{') frames.push({ keys: new Set(), index: 0 });
      else if (c === '[') frames.push({ index: 0 });
      else if (c === '}' || c === ']') frames.pop();
      else if (c === ',' && frames.length && !frames.at(-1)!.keys) frames.at(-1)!.index++;
    }
  };
  for (let m = stringToken.exec(text); m; m = stringToken.exec(text)) {
    structure(last, m.index);
    last = m.index + m[0].length;
    if (!m[1]) continue;
    const frame = frames.at(-1)!;
    const name = JSON.parse(m[0].slice(0, m[0].lastIndexOf('"') + 1)) as string;
    if (frame.keys!.has(name)) {
      frame.key = name;
      const where = `${at}${at && !path().startsWith('[') ? '.' : ''}${path()}`;
      throw new InputError(shownAs, where || '(top level)', duplicateMember);
    }
    frame.keys!.add(name);
    frame.key = name;
  }
  throw new InputError(shownAs, at || '(top level)', 'duplicate member names');
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return `line ${line}, column ${position - before.lastIndexOf('\n')}`;
}

/** Reads a .json or .json.gz file; `shownAs` is the name used in errors. */
export function readJsonFile<T>(path: string, shownAs: string, validate?: ValidateFunction<T>): JsonFile<T> {
  let raw: Buffer | undefined;
  try {
    if (statSync(path).size > maxWholeFileBytes) throw new InputError(shownAs, undefined, `larger than ${maxWholeFileBytes / 1024 / 1024} MiB, the most a file read whole may hold: refused`);
    raw = readFileSync(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(shownAs, undefined, `cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const size = raw.length;
  let bytes: Buffer | undefined = raw;
  if (path.endsWith('.gz')) bytes = gunzipBounded(raw, shownAs);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new InputError(shownAs, undefined, 'not valid UTF-8');
  }
  // The bytes are not needed once decoded: a large file's buffer need not outlive its parse.
  // eslint-disable-next-line no-useless-assignment -- dropping the references is the point
  raw = bytes = undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    throw new InputError(shownAs, undefined, `malformed JSON${m ? ` at ${lineAndColumn(text, Number(m[1]))}` : ''}`);
  }
  checkNoDuplicateMembers(text, checkShape(value, shownAs), shownAs);
  if (validate && !validate(value)) {
    const { field, problem } = describeAjvError(validate.errors![0]!);
    throw new InputError(shownAs, field, problem);
  }
  return { value: value as T, sha256, bytes: size };
}

// An ISO 8601 date and time with its zone (Z or ±hh:mm). A time without one would be read in the
// host's zone, and the same evidence would mean another instant on another machine.
const zonedTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Milliseconds since the epoch of an ISO time with a zone, or NaN for anything else (no zone, no time, not a date). */
export function parseZonedTime(value: string): number {
  return zonedTime.test(value) ? Date.parse(value) : NaN;
}

/** AWS timestamps arrive as ISO strings with a zone (files) or epoch seconds (API/CLI JSON). */
export function isoTime(value: unknown, file: string, field: string): string {
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(parseZonedTime(value)) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    const zoneless = typeof value === 'string' && !Number.isNaN(Date.parse(value));
    throw new InputError(file, field, `not a timestamp: ${JSON.stringify(value).slice(0, 80)}${zoneless ? ' (an ISO 8601 time with its zone is expected, e.g. 2026-10-31T23:55:00Z)' : ''}`);
  }
  return date.toISOString();
}
