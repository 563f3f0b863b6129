import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const bufferSize = 1 << 20;

/**
 * Writes text to a file through one reused buffer, hashing what it writes unless told not to. Text goes into the buffer at
 * once, so the strings die young: a large estate's millions of lines, kept as strings until a flush,
 * would outlive V8's young generation and pile up as old garbage (measured: 1.1 GiB → 0.6 GiB at 1M items).
 */
export class BufferedFileWriter {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(bufferSize);
  private used = 0;
  private readonly hash;
  private bytes = 0;

  constructor(path: string, opts: { hashed?: boolean } = {}) {
    this.fd = openSync(path, 'w');
    this.hash = opts.hashed === false ? undefined : createHash('sha256');
  }

  write(text: string): void {
    if (this.used + text.length * 3 > bufferSize) this.flush();
    if (text.length * 3 > bufferSize) this.append(Buffer.from(text));
    else this.used += this.buffer.write(text, this.used);
  }

  /** Bytes as they are (a PDF's binary streams). */
  writeBytes(chunk: Uint8Array): void {
    if (this.used + chunk.length > bufferSize) this.flush();
    if (chunk.length > bufferSize) this.append(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    else {
      this.buffer.set(chunk, this.used);
      this.used += chunk.length;
    }
  }

  /** Bytes written so far, buffered ones included: where the next write starts in the file. */
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
    this.append(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  /** Appends another file's bytes (through the hash), a buffer at a time. */
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
      this.flush();
    } finally {
      closeSync(this.fd); // also when the last write fails (a full disk): the descriptor would outlive the error
    }
    return { sha256: this.hash?.digest('hex') ?? '', bytes: this.bytes };
  }
}
