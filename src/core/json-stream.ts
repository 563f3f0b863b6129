import { BufferedFileWriter } from './buffered-writer.ts';

/**
 * A list written as a JSON array whose items are made one at a time while it is written, so a long
 * one (an OSCAL document's observations) never sits in memory whole.
 */
export class LazyList<T> {
  constructor(
    readonly length: number,
    private readonly items: () => Iterable<T>,
  ) {}
  [Symbol.iterator](): Iterator<T> {
    return this.items()[Symbol.iterator]();
  }
  toJSON(): T[] {
    if (stringifyingNatively) throw new LazyListMet();
    return [...this];
  }
}

/**
 * Set while jsonChunks hands a value to the native stringify: a LazyList met there stops it at once, and the value is
 * walked instead. Made whole, the lists of an OSCAL document's findings (each pointing at up to hundreds of
 * thousands of observations) took more memory than the rest of the document.
 */
let stringifyingNatively = false;
class LazyListMet extends Error {}

/**
 * The text of JSON.stringify(value, null, 2) + "\n", in pieces: a document larger than the
 * largest string V8 allows (~512 MiB) can still be written.
 */
export function* jsonChunks(value: unknown, indent = '', depth = 0): Generator<string> {
  // Below the top four levels a value is usually small, and the native stringify is many times faster than walking it
  // here; re-indented, it is the same text. A long list, or a value whose text would pass V8's string limit (an OSCAL
  // document nests its big lists deeper), is walked instead.
  if (value instanceof LazyList) {
    if (value.length === 0) return yield '[]';
    const inner = `${indent}  `;
    yield '[';
    let first = true;
    for (const item of value) {
      yield `${first ? '' : ','}\n${inner}`;
      yield* jsonChunks(item, inner, depth + 1);
      first = false;
    }
    yield `\n${indent}]`;
    return;
  }
  if (depth >= 4 && !(Array.isArray(value) && value.length > 1000)) {
    let text: string | undefined;
    try {
      stringifyingNatively = true;
      text = (JSON.stringify(value, null, 2) ?? 'null').replace(/\n/g, `\n${indent}`);
    } catch (e) {
      if (!(e instanceof RangeError || e instanceof LazyListMet)) throw e;
    } finally {
      stringifyingNatively = false;
    }
    if (text !== undefined) {
      yield text;
      return;
    }
  }
  if (value === null || typeof value !== 'object') {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    yield* jsonChunks((value as { toJSON: () => unknown }).toJSON(), indent, depth);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return yield '[]';
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield `${i ? ',' : ''}\n${inner}`;
      yield* jsonChunks(value[i] === undefined || typeof value[i] === 'function' ? null : value[i], inner, depth + 1);
    }
    yield `\n${indent}]`;
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) return yield '{}';
  yield '{';
  let first = true;
  for (const [k, v] of entries) {
    yield `${first ? '' : ','}\n${inner}${JSON.stringify(k)}: `;
    yield* jsonChunks(v, inner, depth + 1);
    first = false;
  }
  yield `\n${indent}}`;
}

const nonAscii = /[\u0080-\uffff]/g;
const escapeNonAscii = (text: string) => text.replace(nonAscii, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Writes value as pretty JSON (same bytes as JSON.stringify(value, null, 2) + "\n"), streaming.
 * `ascii`: characters beyond ASCII written as \u escapes (the same JSON value): read back, the text is
 * a one-byte string, half the memory of one that holds a single such character (a large result.json).
 */
export async function writeJsonFile(file: string, value: unknown, opts: { ascii?: boolean } = {}): Promise<void> {
  const out = new BufferedFileWriter(file, { hashed: false });
  try {
    for (const piece of jsonChunks(value)) out.write(opts.ascii ? escapeNonAscii(piece) : piece);
    out.write('\n');
  } finally {
    out.close();
  }
}
