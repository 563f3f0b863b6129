// Build step (npm run build): dist/data-files.json, the built-in catalogs' data by the sha256 of each file (see
// data-file-image.ts). The image is removed first, so every file is parsed; one that does not parse, or whose data
// JSON cannot carry as it is, is left out.
import { createHash } from 'node:crypto';
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { readDataFile } from './data-file.ts';
import { dataFileImage } from './data-file-image.ts';
import { InputError } from './errors.ts';
import { catalogsDir } from './paths.ts';

const target = fileURLToPath(dataFileImage);
rmSync(target, { force: true });
const image: Record<string, string> = {};
for (const name of (readdirSync(catalogsDir, { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  let read;
  try {
    read = readDataFile(join(catalogsDir, name));
  } catch (e) {
    if (e instanceof InputError) continue;
    throw e;
  }
  const json = JSON.stringify(read.data);
  if (json === undefined || !isDeepStrictEqual(JSON.parse(json), read.data)) continue;
  image[createHash('sha256').update(read.bytes).digest('hex')] = json;
}
writeFileSync(`${target}.tmp`, `${JSON.stringify(image)}\n`);
renameSync(`${target}.tmp`, target);
