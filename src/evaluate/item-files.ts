// Every evidence item of a control, one JSON document a line, beside result.json in the pack.
// result.json lists only what the report shows (every failing, gap and waived item and the first few
// others), so it grows with the failures, not with the estate; these files hold the rest.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, renameSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { BufferedFileWriter } from '../buffered-writer.ts';
import { join } from 'node:path';
import type { EvidenceItem, JsonLinesFile } from './result.ts';

export const itemsFileOf = (control: string) => `items/${control}.jsonl`;
/** Every resource evaluated, one a line. */
export const inventoryFile = 'resources.jsonl';

export interface LinesWriter<T = EvidenceItem> {
  /** `line`: the value's JSON when the caller has it already (built from parts shared by many items). */
  write(value: T, line?: string): void;
  /** Appends the lines of another JSON-lines file (`count` of them), as if each were written here. */
  append(path: string, count: number): void;
  /** Removes the lines written so far that match (items of a scope found uncovered at the end); returns them. */
  dropWhere(drop: (value: T) => boolean): T[];
  close(): JsonLinesFile;
}

/** Where evaluation writes its JSON-lines files, each named by its path inside the pack. */
export interface LinesStore {
  open<T>(rel: string): LinesWriter<T>;
}


class FileLinesWriter<T> implements LinesWriter<T> {
  private out: BufferedFileWriter;
  private count = 0;

  constructor(private readonly path: string, private readonly rel: string, private readonly hashed: boolean) {
    this.out = new BufferedFileWriter(path, { hashed });
  }

  write(value: T, line = JSON.stringify(value)): void {
    this.out.write(`${line}\n`);
    this.count++;
  }

  append(path: string, count: number): void {
    this.out.writeFileContents(path);
    this.count += count;
  }

  /** Copies the lines to keep into a new file, a megabyte at a time (a large estate's file is more than a string can hold). */
  dropWhere(drop: (value: T) => boolean): T[] {
    this.out.close();
    const keptPath = `${this.path}.kept`;
    const kept = new BufferedFileWriter(keptPath, { hashed: this.hashed });
    const dropped: T[] = [];
    let count = 0;
    for (const lines of lineBatches(this.path)) {
      for (const line of lines) {
        const value = JSON.parse(line) as T;
        if (drop(value)) dropped.push(value);
        else {
          kept.write(`${line}\n`);
          count++;
        }
      }
    }
    renameSync(keptPath, this.path); // the writer's descriptor follows the file
    this.out = kept;
    this.count = count;
    return dropped;
  }

  close(): JsonLinesFile {
    const { sha256, bytes } = this.out.close();
    return { file: this.rel, count: this.count, bytes, sha256 };
  }
}

/** Writes each file under a directory (the pack being made; `hashed: false` for a unit's parts, hashed when absorbed). */
export class FileLinesStore implements LinesStore {
  constructor(private readonly dir: string, private readonly opts: { hashed?: boolean } = {}) {
    mkdirSync(join(dir, 'items'), { recursive: true });
  }
  open<T>(rel: string): LinesWriter<T> {
    return new FileLinesWriter<T>(join(this.dir, rel), rel, this.opts.hashed ?? true);
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
      append: (path) => {
        for (const batch of lineBatches(path)) lines.push(...batch);
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
        return { file: rel, count: lines.length, bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
      },
    };
  }
  read<T>(rel: string): T[] {
    return (this.files.get(rel) ?? []).map((l) => JSON.parse(l) as T);
  }
}

/**
 * The non-blank lines of a file, a batch per megabyte read, synchronously: from the page cache a megabyte takes a
 * fraction of a millisecond, less than a thread-pool round trip.
 */
function* lineBatches(path: string): Generator<string[]> {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0;) {
      const lines = (rest + decoder.write(buffer.subarray(0, n))).split('\n');
      rest = lines.pop()!;
      yield lines.filter((l) => l.trim() !== '');
    }
    rest += decoder.end();
    if (rest.trim() !== '') yield [rest];
  } finally {
    closeSync(fd);
  }
}

/**
 * The lines of one of the pack's JSON-lines files, parsed, a batch per megabyte read: a million items cost
 * a few hundred awaits, not a million (a line at a time through readline was most of a large CSV's time).
 */
export async function* readLineBatches<T>(packDir: string, file: JsonLinesFile): AsyncGenerator<T[]> {
  for (const lines of lineBatches(join(packDir, file.file))) yield lines.map((l) => JSON.parse(l) as T);
}

/** The lines of one of the pack's JSON-lines files, one at a time. */
export async function* readLinesFile<T>(packDir: string, file: JsonLinesFile): AsyncGenerator<T> {
  for await (const batch of readLineBatches<T>(packDir, file)) yield* batch;
}
