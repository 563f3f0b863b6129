import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { InputError } from '../errors.ts';
import { listPackFiles } from '../sign/sign.ts';

/** Zips packDir as <name>/<file>…, with a fixed time on every entry so the same pack gives the same bytes. */
export async function writePackArchive(packDir: string, name: string, zipFile: string, mtime: Date): Promise<void> {
  const zip = new yazl.ZipFile();
  const failed = new Promise<never>((_, reject) => zip.on('error', reject));
  // Each file streamed from disk as it is zipped: a large estate's pack has files over a gigabyte, gigabytes in all.
  for (const rel of listPackFiles(packDir)) {
    zip.addFile(join(packDir, rel), `${name}/${rel}`, { mtime, mode: 0o100644, compress: !/\.(pdf|zip|gz|png)$/.test(rel) });
  }
  zip.end();
  await Promise.race([pipeline(zip.outputStream, createWriteStream(zipFile)), failed]);
}

/**
 * Extracts a pack archive into dir and returns the pack directory inside it. Refuses entries that
 * would land outside dir, links, and archives holding anything but one top-level pack directory.
 */
export async function extractPackArchive(zipFile: string, dir: string): Promise<string> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipFile, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (err, z) => (err ? reject(new InputError(zipFile, undefined, `not a readable zip archive (${err.message})`)) : resolve(z!))));
  const tops = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    const fail = (problem: string) => { zip.close(); reject(new InputError(zipFile, undefined, problem)); };
    zip.on('error', (e: Error) => fail(e.message));
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      const path = normalize(entry.fileName);
      if (path.startsWith('..') || path.startsWith(sep) || /^[a-zA-Z]:/.test(path)) return fail(`entry ${entry.fileName} would be written outside the pack`);
      const kind = (entry.externalFileAttributes >>> 16) & 0o170000;
      if (kind === 0o120000) return fail(`entry ${entry.fileName} is a symbolic link`);
      tops.add(path.split(sep)[0]!);
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err) return fail(err.message);
        const target = join(dir, path);
        mkdir(dirname(target), { recursive: true })
          .then(() => pipeline(stream!, createWriteStream(target, { flags: 'wx' })))
          .then(() => zip.readEntry(), (e: Error) => fail(e.message));
      });
    });
    zip.readEntry();
  });
  if (tops.size !== 1) throw new InputError(zipFile, undefined, `expected one pack directory in the archive, found ${tops.size}`);
  return join(dir, [...tops][0]!);
}
