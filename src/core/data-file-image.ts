// The built-in catalogs' data as parsed at build time (`npm run build` writes dist/data-files.json with
// write-data-file-image.ts): a process that loads the catalog does not parse its ~260 kB of YAML cold (about 0.4 s
// of every command's start). Keyed by the sha256 of a file's bytes, so an edited or a user's file is parsed as
// ever; from source (no image beside the module) every file is parsed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const dataFileImage = new URL('../data-files.json', import.meta.url);

let image: Record<string, string> | undefined;

/** The data of a file with these bytes when the image holds it (a fresh copy each call), else undefined. */
export function imagedData(bytes: Buffer): unknown {
  image ??= readImage();
  const json = image[createHash('sha256').update(bytes).digest('hex')];
  return json === undefined ? undefined : JSON.parse(json);
}

function readImage(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(dataFileImage, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}
