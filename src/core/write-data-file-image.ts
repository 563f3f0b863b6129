// Build step (npm run build): dist/data-files.json, the built-in catalogs' data by the sha256 of each file (see
// data-file-image.ts). A file that does not parse, or whose data JSON cannot carry as it is, is left out.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { dataFileImage } from './data-file-image.ts';
import { catalogsDir } from './paths.ts';
import { parseYamlText } from './yaml-documents.ts';

const image: Record<string, string> = {};
for (const name of (readdirSync(catalogsDir, { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  const file = join(catalogsDir, name);
  const bytes = readFileSync(file);
  const { doc } = parseYamlText(file, bytes.toString('utf8'));
  if (doc.errors.length > 0) continue;
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const json = JSON.stringify(data);
  if (json === undefined || !isDeepStrictEqual(JSON.parse(json), data)) continue;
  image[createHash('sha256').update(bytes).digest('hex')] = json;
}
const target = fileURLToPath(dataFileImage);
writeFileSync(`${target}.tmp`, `${JSON.stringify(image)}\n`);
renameSync(`${target}.tmp`, target);
