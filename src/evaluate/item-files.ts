// Every evidence item of a control, one JSON document a line, beside result.json in the pack.
// result.json lists only what the report shows (every failing, gap and waived item and the first few
// others), so it grows with the failures, not with the estate; these files hold the rest.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { EvidenceItem, JsonLinesFile } from './result.ts';

export const itemsFileOf = (control: string) => `items/${control}.jsonl`;
/** Every resource evaluated, one a line. */
export const inventoryFile = 'resources.jsonl';

export interface LinesWriter<T = EvidenceItem> {
  write(value: T): void;
  /** Removes the lines written so far that match (items of a scope found uncovered at the end); returns them. */
  dropWhere(drop: (value: T) => boolean): T[];
  close(): JsonLinesFile;
}

/** Where evaluation writes its JSON-lines files, each named by its path inside the pack. */
export interface LinesStore {
  open<T>(rel: string): LinesWriter<T>;
}

const flushAt = 1 << 20;

class FileLinesWriter<T> implements LinesWriter<T> {
  private fd: number;
  // Lines go straight into one reused buffer: a string kept until a flush would outlive the young generation,
  // and a large estate's millions of lines would then pile up as old garbage.
  private readonly buffer = Buffer.allocUnsafe(flushAt);
  private used = 0;
  private hash = createHash('sha256');
  private bytes = 0;
  private count = 0;

  constructor(private readonly path: string, private readonly rel: string) {
    this.fd = openSync(path, 'w');
  }

  write(value: T): void {
    const line = `${JSON.stringify(value)}\n`;
    this.count++;
    if (this.used + line.length * 3 > this.buffer.length) this.flush();
    if (line.length * 3 > this.buffer.length) this.append(Buffer.from(line));
    else this.used += this.buffer.write(line, this.used);
  }

  private append(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    for (let done = 0; done < chunk.length;) done += writeSync(this.fd, chunk, done, chunk.length - done);
  }

  private flush(): void {
    if (!this.used) return;
    this.append(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  dropWhere(drop: (value: T) => boolean): T[] {
    this.flush();
    closeSync(this.fd);
    const kept: string[] = [];
    const dropped: T[] = [];
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (!line) continue;
      const value = JSON.parse(line) as T;
      if (drop(value)) dropped.push(value);
      else kept.push(line);
    }
    const text = kept.map((l) => `${l}\n`).join('');
    writeFileSync(this.path, text);
    this.hash = createHash('sha256').update(text);
    this.bytes = Buffer.byteLength(text);
    this.count = kept.length;
    this.fd = openSync(this.path, 'a');
    return dropped;
  }

  close(): JsonLinesFile {
    this.flush();
    closeSync(this.fd);
    return { file: this.rel, count: this.count, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

/** Writes each file under a directory (the pack being made). */
export class FileLinesStore implements LinesStore {
  constructor(private readonly dir: string) {
    mkdirSync(join(dir, 'items'), { recursive: true });
  }
  open<T>(rel: string): LinesWriter<T> {
    return new FileLinesWriter<T>(join(this.dir, rel), rel);
  }
}

/** Keeps the lines in memory: for evaluating without a pack (tests, previews). */
export class MemoryLinesStore implements LinesStore {
  private readonly files = new Map<string, string[]>();
  open<T>(rel: string): LinesWriter<T> {
    let lines: string[] = [];
    this.files.set(rel, lines);
    return {
      write: (value) => void lines.push(JSON.stringify(value)),
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

/** The lines of one of the pack's JSON-lines files, read one at a time. */
export async function* readLinesFile<T>(packDir: string, file: JsonLinesFile): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(join(packDir, file.file), { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield JSON.parse(line) as T;
}
