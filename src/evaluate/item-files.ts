// Every evidence item of a control, one JSON document a line, beside result.json in the pack, gzip-compressed
// (`zcat items/WSAS-03.jsonl.gz | jq`). result.json lists only what the report shows (every failing, gap and
// waived item and the first few others), so it grows with the failures, not with the estate; these files hold the rest.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { BufferedFileWriter, gunzipFile } from '../core/buffered-writer.ts';
import { InputError } from '../core/errors.ts';
import type { EvidenceItem, JsonLinesFile } from './result.ts';

export const itemsFileOf = (control: string) => `items/${control}.jsonl.gz`;
/** Every resource evaluated, one a line. */
export const inventoryFile = 'resources.jsonl.gz';
/** Packs of result@4 and older hold their lines files as plain text. */
const isGzip = (file: string) => file.endsWith('.gz');
const writerFor = (path: string) => new BufferedFileWriter(path, { gzip: isGzip(path) });

export interface LinesWriter<T = EvidenceItem> {
  /** `line`: the value's JSON when the caller has it already (built from parts shared by many items). */
  write(value: T, line?: string): void;
  /**
   * Takes in lines written elsewhere (a unit's part files, under `dir`), after the lines written so far. A large
   * file becomes the next part as it is, moved, not copied (a million items' lines are gigabytes); a small one
   * is copied in, so that a small estate's pack keeps a file per control.
   */
  adopt(dir: string, parts: JsonLinesFile[]): void;
  /** Removes the lines written so far that match (items of a scope found uncovered at the end); returns them. */
  dropWhere(drop: (value: T) => boolean): T[];
  /** The file's parts, in order: one, unless large files were adopted. */
  close(): JsonLinesFile[];
}

/** Where evaluation writes its JSON-lines files, each named by its path inside the pack. */
export interface LinesStore {
  open<T>(rel: string): LinesWriter<T>;
}

/** Adopted files this large are moved into the pack as parts of their own; smaller ones are copied into the current part. */
const defaultOwnPartFrom = 8 * 1024 * 1024;

/** `items/WSAS-03.jsonl.gz`, then `items/WSAS-03.2.jsonl.gz`, … */
const partName = (rel: string, index: number) => (index === 0 ? rel : rel.replace(/\.jsonl(\.gz)?$/, `.${index + 1}.jsonl$1`));

interface OpenPart {
  rel: string;
  out: BufferedFileWriter;
  count: number;
}

/**
 * A JSON-lines file of the pack, hashed as it is written. Lines written here go to the current part, which is
 * opened at the first line; adopted files become parts of their own, so the lines stay in the order they came.
 */
class FileLinesWriter<T> implements LinesWriter<T> {
  private readonly parts: JsonLinesFile[] = [];
  private current?: OpenPart;

  constructor(
    private readonly dir: string,
    private readonly rel: string,
    private readonly ownPartFrom: number,
    private readonly emptyFile: boolean,
  ) {}

  private nextRel(): string {
    return partName(this.rel, this.parts.length);
  }

  private open(): OpenPart {
    if (!this.current) {
      const rel = this.nextRel();
      this.current = { rel, out: writerFor(join(this.dir, rel)), count: 0 };
    }
    return this.current;
  }

  write(value: T, line = JSON.stringify(value)): void {
    const current = this.open();
    current.out.write(`${line}\n`);
    current.count++;
  }

  private closeCurrent(): void {
    if (!this.current) return;
    const { rel, out, count } = this.current;
    this.parts.push({ file: rel, count, ...out.close() });
    this.current = undefined;
  }

  adopt(dir: string, parts: JsonLinesFile[]): void {
    for (const part of parts) {
      if (part.count === 0) continue;
      if (part.bytes < this.ownPartFrom) {
        const current = this.open();
        current.out.writeFileContents(join(dir, part.file));
        current.count += part.count;
        continue;
      }
      this.closeCurrent();
      const rel = this.nextRel();
      renameSync(join(dir, part.file), join(this.dir, rel));
      this.parts.push({ ...part, file: rel });
    }
  }

  dropWhere(drop: (value: T) => boolean): T[] {
    const dropped: T[] = [];
    for (const [i, part] of this.parts.entries()) {
      const kept = keepLines(join(this.dir, part.file), drop, dropped);
      this.parts[i] = { file: part.file, count: kept.count, ...kept.out.close() };
    }
    if (this.current) {
      this.current.out.close();
      const kept = keepLines(join(this.dir, this.current.rel), drop, dropped);
      this.current = { rel: this.current.rel, ...kept }; // written on after the kept lines
    }
    return dropped;
  }

  close(): JsonLinesFile[] {
    this.closeCurrent();
    if (this.parts.length === 0 && this.emptyFile) this.parts.push({ file: this.rel, count: 0, ...writerFor(join(this.dir, this.rel)).close() });
    return this.parts;
  }
}

/**
 * Rewrites a closed lines file without the lines that match (into `dropped`), a megabyte at a time (a large
 * estate's file is more than a string can hold); the returned writer is still open, at the end of the kept lines.
 */
function keepLines<T>(path: string, drop: (value: T) => boolean, dropped: T[]): { out: BufferedFileWriter; count: number } {
  const keptPath = `${path}.kept`;
  const out = new BufferedFileWriter(keptPath, { gzip: isGzip(path) });
  let count = 0;
  for (const lines of lineBatches(path)) {
    for (const line of lines) {
      const value = JSON.parse(line) as T;
      if (drop(value)) dropped.push(value);
      else {
        out.write(`${line}\n`);
        count++;
      }
    }
  }
  renameSync(keptPath, path); // the writer's descriptor follows the file
  return { out, count };
}

/** Writes each file under a directory (the pack being made, or a unit's part of it). */
export class FileLinesStore implements LinesStore {
  constructor(
    private readonly dir: string,
    /** emptyFile: false for a unit's files, which are taken in and need no file when they hold no line. */
    private readonly opts: { ownPartFrom?: number; emptyFile?: boolean } = {},
  ) {
    mkdirSync(join(dir, 'items'), { recursive: true });
  }
  open<T>(rel: string): LinesWriter<T> {
    return new FileLinesWriter<T>(this.dir, rel, this.opts.ownPartFrom ?? defaultOwnPartFrom, this.opts.emptyFile ?? true);
  }
}

/** Keeps the lines in memory: for evaluating without a pack (tests, previews). */
export class MemoryLinesStore implements LinesStore {
  private readonly files = new Map<string, string[]>();
  open<T>(rel: string): LinesWriter<T> {
    let lines: string[] = [];
    this.files.set(rel, lines);
    return {
      write: (value, line = JSON.stringify(value)) => void lines.push(line),
      adopt: (dir, parts) => {
        for (const part of parts) for (const batch of lineBatches(join(dir, part.file))) lines.push(...batch);
      },
      dropWhere: (drop) => {
        const dropped: T[] = [];
        lines = lines.filter((l) => {
          const value = JSON.parse(l) as T;
          if (!drop(value)) return true;
          dropped.push(value);
          return false;
        });
        this.files.set(rel, lines);
        return dropped;
      },
      close: () => {
        const text = lines.map((l) => `${l}\n`).join('');
        return [{ file: rel, count: lines.length, bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') }];
      },
    };
  }
  read<T>(rel: string): T[] {
    return (this.files.get(rel) ?? []).map((l) => JSON.parse(l) as T);
  }
}

/**
 * Bytes arriving in chunks, split into their non-blank lines: a batch per chunk, then what the last chunk left.
 * Cuts bytes into lines at each newline byte and decodes each line on its own: a newline byte is never inside a
 * UTF-8 sequence, and a line of ASCII decodes to a one-byte string that JSON.parse reads quickly. Decoding a
 * megabyte at a time and splitting the text took five times as long once a chunk held one non-ASCII character.
 */
class LineSplitter {
  private rest: Buffer | undefined;
  push(chunk: Buffer): string[] {
    const bytes = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const lines: string[] = [];
    let start = 0;
    for (let newline = bytes.indexOf(10); newline !== -1; newline = bytes.indexOf(10, start)) {
      keepLine(lines, bytes.toString('utf8', start, newline));
      start = newline + 1;
    }
    // Copied: a caller may read its next chunk into the same buffer.
    this.rest = start < bytes.length ? Buffer.from(bytes.subarray(start)) : undefined;
    return lines;
  }
  end(): string[] {
    const lines: string[] = [];
    if (this.rest) keepLine(lines, this.rest.toString('utf8'));
    this.rest = undefined;
    return lines;
  }
}

/** Adds a line unless it is blank (only a line that starts with white space can be). */
function keepLine(lines: string[], line: string): void {
  if (line.length === 0 || (/^\s/.test(line) && line.trim() === '')) return;
  lines.push(line);
}

/**
 * The non-blank lines of a file, a batch per megabyte read, synchronously: from the page cache a megabyte takes a
 * fraction of a millisecond, less than a thread-pool round trip. A gzip file is decompressed whole (a unit's part, or
 * a file whose lines are being dropped).
 */
function* lineBatches(path: string): Generator<string[]> {
  const lines = new LineSplitter();
  if (isGzip(path)) {
    const text = gunzipFile(path);
    for (let at = 0; at < text.length; at += 1 << 20) yield lines.push(text.subarray(at, at + (1 << 20)));
    yield lines.end();
    return;
  }
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  try {
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0;) yield lines.push(buffer.subarray(0, n));
    yield lines.end();
  } finally {
    closeSync(fd);
  }
}

/** A gzip lines file's lines, a batch per chunk the decompressor gives, without holding the whole text. */
async function* gzipLineBatches(path: string): AsyncGenerator<string[]> {
  const lines = new LineSplitter();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }).pipe(createGunzip({ chunkSize: 1 << 20 }))) yield lines.push(chunk as Buffer);
  yield lines.end();
}

/**
 * The lines of one of the pack's JSON-lines files (its parts, in order), parsed, a batch per megabyte read: a
 * million items cost a few hundred awaits, not a million (a line at a time through readline was most of a large CSV's time).
 */
export async function* readLineBatches<T>(packDir: string, parts: JsonLinesFile[]): AsyncGenerator<T[]> {
  for (const part of parts) {
    const path = join(packDir, part.file);
    checkPinned(path, part);
    let read = 0;
    for await (const lines of isGzip(path) ? gzipLineBatches(path) : lineBatches(path)) {
      yield lines.map((line, i) => {
        try {
          return JSON.parse(line) as T;
        } catch (e) {
          throw new InputError(path, `line ${read + i + 1}`, `not JSON (${(e as Error).message})`);
        }
      });
      read += lines.length;
    }
    // A gzip file's sha256 was checked before reading; its lines are counted as they are read.
    if (read !== part.count) throw new InputError(path, undefined, `${read} lines, where result.json pins ${part.count} (changed since evaluation: \`evidence-pack verify\` the pack)`);
  }
}

/**
 * A report is a function of what result.json pins: a lines file changed since evaluation (or cut short) is
 * refused before any of it is used. Hashing a file is a few times faster than parsing it.
 */
function checkPinned(path: string, part: JsonLinesFile): void {
  if (!existsSync(path)) throw new InputError(path, undefined, 'missing (result.json lists it)');
  const hash = createHash('sha256');
  // A gzip file's lines are counted as they are read (readLineBatches); its newline bytes say nothing.
  const counting = !isGzip(path);
  let lines = 0;
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  try {
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0;) {
      const chunk = buffer.subarray(0, n);
      hash.update(chunk);
      if (counting) for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    }
  } finally {
    closeSync(fd);
  }
  const sha256 = hash.digest('hex');
  if ((counting && lines !== part.count) || sha256 !== part.sha256) {
    throw new InputError(
      path,
      undefined,
      `${counting ? `${lines} lines, ` : ''}sha256 ${sha256.slice(0, 12)}…, where result.json pins ${part.count} lines, sha256 ${part.sha256.slice(0, 12)}… (changed since evaluation: \`evidence-pack verify\` the pack)`,
    );
  }
}
