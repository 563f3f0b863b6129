import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

const bufferSize = 1 << 20;
/**
 * A gzip file is written as a series of gzip members, one per MiB of text (RFC 1952 allows it; gzip, zcat and Node read
 * them as one stream). A member ends at each full MiB, so the bytes do not depend on how the text was cut into writes.
 * Level 1: several hundred MB/s, and JSON lines still shrink 15–25 times.
 */
const gzipLevel = 1;

/**
 * Writes text to a file through one reused buffer, hashing what it writes unless told not to. Text goes into the buffer at
 * once, so the strings die young: a large estate's millions of lines, kept as strings until a flush,
 * would outlive V8's young generation and pile up as old garbage (measured: 1.1 GiB → 0.6 GiB at 1M items).
 */
/**
 * Buffers of closed writers, reused: an estate of 200 account/region files opens thousands of writers (a lines file per
 * control per unit), and a fresh megabyte each was most of the garbage collector's work (5.3 s of 33 s at 100k items).
 */
const spareBuffers: Buffer[] = [];
const sparesKept = 64;
const closedBuffer = Buffer.alloc(0);

export class BufferedFileWriter {
  private readonly fd: number;
  private buffer = spareBuffers.pop() ?? Buffer.allocUnsafe(bufferSize);
  private used = 0;
  private readonly hash;
  private bytes = 0;

  private readonly gzip: boolean;

  /** `gzip`: the file is gzip-compressed (sha256 and size are the compressed file's, as stored). */
  constructor(path: string, opts: { hashed?: boolean; gzip?: boolean } = {}) {
    this.fd = openSync(path, 'w');
    this.hash = opts.hashed === false ? undefined : createHash('sha256');
    this.gzip = opts.gzip ?? false;
  }

  write(text: string): void {
    if (this.buffer === closedBuffer) throw new Error('BufferedFileWriter: write after close');
    if (this.used + text.length * 3 > bufferSize) {
      if (this.gzip) return this.writeBytes(Buffer.from(text));
      this.flush();
    }
    if (text.length * 3 > bufferSize) this.append(Buffer.from(text));
    else this.used += this.buffer.write(text, this.used);
  }

  /** Bytes as they are (a PDF's binary streams). */
  writeBytes(chunk: Uint8Array): void {
    if (this.gzip) {
      // Fills each member to exactly bufferSize, so members fall at the same offsets whatever the writes were.
      for (let done = 0; done < chunk.length;) {
        const n = Math.min(bufferSize - this.used, chunk.length - done);
        this.buffer.set(chunk.subarray(done, done + n), this.used);
        this.used += n;
        done += n;
        if (this.used === bufferSize) this.flush();
      }
      return;
    }
    if (this.used + chunk.length > bufferSize) this.flush();
    if (chunk.length > bufferSize) this.append(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    else {
      this.buffer.set(chunk, this.used);
      this.used += chunk.length;
    }
  }

  /** Bytes written so far, buffered ones included: where the next write starts in the file (not for gzip files). */
  get position(): number {
    return this.bytes + this.used;
  }

  private append(chunk: Buffer): void {
    this.hash?.update(chunk);
    this.bytes += chunk.length;
    for (let done = 0; done < chunk.length;) done += writeSync(this.fd, chunk, done, chunk.length - done);
  }

  private flush(): void {
    if (!this.used) return;
    const text = this.buffer.subarray(0, this.used);
    this.append(this.gzip ? gzipSync(text, { level: gzipLevel }) : text);
    this.used = 0;
  }

  /**
   * Appends another file's bytes (through the hash), a buffer at a time. To a gzip file, another gzip file's members as
   * they are (not compressed again): the members then fall where the files were joined, the same on every run.
   */
  writeFileContents(path: string): void {
    this.flush();
    const fd = openSync(path, 'r');
    try {
      for (let n; (n = readSync(fd, this.buffer, 0, bufferSize, null)) > 0;) this.append(this.buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  }

  /** Writes what is buffered and closes the file: its sha256 (empty when not hashed) and size. */
  close(): { sha256: string; bytes: number } {
    try {
      // An empty gzip file is still a gzip stream (of no text), so that gzip -dc reads it.
      if (this.gzip && this.bytes === 0 && this.used === 0) this.append(gzipSync(Buffer.alloc(0), { level: gzipLevel }));
      this.flush();
    } finally {
      closeSync(this.fd); // also when the last write fails (a full disk): the descriptor would outlive the error
      if (spareBuffers.length < sparesKept) spareBuffers.push(this.buffer);
      this.buffer = closedBuffer; // the buffer is another writer's now
    }
    return { sha256: this.hash?.digest('hex') ?? '', bytes: this.bytes };
  }
}

/** A whole gzip file's text (every member). */
export function gunzipFile(path: string): Buffer {
  const fd = openSync(path, 'r');
  const chunks: Buffer[] = [];
  try {
    const buffer = Buffer.allocUnsafe(bufferSize);
    for (let n; (n = readSync(fd, buffer, 0, bufferSize, null)) > 0;) chunks.push(Buffer.from(buffer.subarray(0, n)));
  } finally {
    closeSync(fd);
  }
  return chunks.length ? gunzipSync(Buffer.concat(chunks)) : Buffer.alloc(0);
}
