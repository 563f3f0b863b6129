import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

/** The installed package's root: catalogs, templates and the sample ship beside dist/ (src/ in development). */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
export const catalogsDir = `${packageRoot}catalogs`;
export const templatesDir = `${packageRoot}templates`;
export const sampleEvidenceDir = `${packageRoot}evidence/sample`;

export const tool = (() => {
  const pkg = JSON.parse(readFileSync(`${packageRoot}package.json`, 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
})();
