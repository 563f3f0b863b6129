// Reading a pack archive, which is untrusted: every entry is checked from the central directory before a byte is read.
// Below pack/ because verify reads archives too; pack/archive.ts writes them.
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { dirname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { InputError } from '../core/errors.ts';

const MiB = 1024 * 1024;
/** An archive may always hold this much once extracted, whatever its ratio. */
export const freeArchiveBytes = 64 * MiB;
/** Beyond freeArchiveBytes, at most this many bytes extracted per archive byte (a pack compresses about 7 to 30 times). */
export const maxArchiveRatio = 100;

const unprintableName = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export interface CheckedArchive {
  zip: yauzl.ZipFile;
  /** Every entry, each checked: inside the archive, a regular file or directory, no overlap, within the size bounds. */
  entries: yauzl.Entry[];
  /** The one top-level (pack) directory. */
  top: string;
  refuse: (problem: string) => InputError;
}

/**
 * Opens a pack archive and checks every entry from the central directory before one byte is read. Archives
 * are untrusted: refuses entries that would land outside the pack, links and other special files, names with
 * control characters, entries whose compressed data overlap (one stream counted many times: a zip bomb), a
 * total past the size bounds, and archives holding anything but one top-level pack directory. The caller
 * closes the zip.
 */
export async function openPackArchive(zipFile: string): Promise<CheckedArchive> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipFile, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true }, (err, z) =>
      err ? reject(new InputError(zipFile, undefined, `not a readable zip archive (${err.message})`)) : resolve(z!),
    ),
  );
  const refuse = (problem: string) => new InputError(zipFile, undefined, problem);
  try {
    const entries = await new Promise<yauzl.Entry[]>((resolve, reject) => {
      const all: yauzl.Entry[] = [];
      zip.on('error', (e: Error) => reject(refuse(e.message)));
      zip.on('end', () => resolve(all));
      zip.on('entry', (entry: yauzl.Entry) => {
        all.push(entry);
        zip.readEntry();
      });
      zip.readEntry();
    });
    const tops = new Set<string>();
    let total = 0;
    for (const entry of entries) {
      const shown = JSON.stringify(entry.fileName);
      if (unprintableName.test(entry.fileName)) throw refuse(`entry ${shown} has control characters in its name`);
      const path = normalize(entry.fileName);
      if (path.startsWith('..') || path.startsWith(sep) || /^[a-zA-Z]:/.test(path)) throw refuse(`entry ${entry.fileName} would be written outside the pack`);
      const kind = (entry.externalFileAttributes >>> 16) & 0o170000;
      if (kind === 0o120000) throw refuse(`entry ${entry.fileName} is a symbolic link`);
      if (kind !== 0 && kind !== 0o100000 && kind !== 0o040000) throw refuse(`entry ${entry.fileName} is not a regular file or directory (mode ${kind.toString(8)})`);
      tops.add(path.split(sep)[0]!);
      total += entry.uncompressedSize;
    }
    const archiveBytes = (await stat(zipFile)).size;
    if (total > freeArchiveBytes && total > maxArchiveRatio * archiveBytes) {
      throw refuse(`would extract to ${Math.round(total / MiB)} MiB from ${archiveBytes} bytes (over ${maxArchiveRatio} times, beyond the first ${freeArchiveBytes / MiB} MiB): refused as a zip bomb`);
    }
    // A local header is at least 30 bytes, then the compressed data: an entry that starts before the
    // previous one's data ends shares its bytes.
    const byOffset = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
    for (let i = 1; i < byOffset.length; i++) {
      const a = byOffset[i - 1]!;
      const b = byOffset[i]!;
      if (a.relativeOffsetOfLocalHeader + 30 + a.compressedSize > b.relativeOffsetOfLocalHeader) {
        throw refuse(`entries ${a.fileName} and ${b.fileName} overlap (they share compressed data, as a zip bomb does): refused`);
      }
    }
    if (tops.size !== 1) throw refuse(`expected one pack directory in the archive, found ${tops.size}`);
    return { zip, entries, top: [...tops][0]!, refuse };
  } catch (e) {
    zip.close();
    throw e;
  }
}

/** An entry's bytes as a stream (its size is checked against the declared one as it is read). */
export function entryStream(archive: CheckedArchive, entry: yauzl.Entry): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => archive.zip.openReadStream(entry, (err, s) => (err ? reject(archive.refuse(err.message)) : resolve(s!))));
}

/**
 * Extracts a pack archive (checked as openPackArchive does) into dir and returns the pack directory inside it.
 * What was written is the caller's to remove (dir).
 */
export async function extractPackArchive(zipFile: string, dir: string): Promise<string> {
  const archive = await openPackArchive(zipFile);
  const { entries, refuse } = archive;
  try {
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      const target = join(dir, normalize(entry.fileName));
      const stream = await entryStream(archive, entry);
      await mkdir(dirname(target), { recursive: true });
      await pipeline(stream, createWriteStream(target, { flags: 'wx' })).catch((e: Error) => {
        throw e instanceof InputError || (e as NodeJS.ErrnoException).code === 'ENOSPC' ? e : refuse(`entry ${entry.fileName}: ${e.message}`);
      });
    }
    return join(dir, archive.top);
  } finally {
    archive.zip.close();
  }
}
