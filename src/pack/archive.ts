import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
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
