import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../core/paths.ts';
import type { Check } from './types.ts';

/** A mistake in the checks directory (a developer's, not a user's): one line naming the folder. */
export class CheckFolderError extends Error {
  constructor(
    readonly folder: string,
    problem: string,
  ) {
    super(`${folder}: ${problem}`);
    this.name = 'CheckFolderError';
  }
}

export interface CheckDiscovery {
  /** The directory holding `<service>/<check-id>/`. */
  root: string;
  /** The module each check folder holds: `check.ts` under tsx, `check.js` when compiled. */
  moduleFile: string;
}

const isCheck = (value: unknown): value is Check => typeof value === 'object' && value !== null && typeof (value as Check).id === 'string' && typeof (value as Check).evaluate === 'function';

const subfolders = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

/** A folder as a developer finds it: relative to the package (src/checks/s3/…), else absolute. */
function shown(folder: string): string {
  const path = relative(packageRoot, folder);
  return path.startsWith('..') || isAbsolute(path) ? folder : path;
}

/**
 * Every check under `root`: each folder `<service>/<check-id>/` holds `moduleFile`, which exports `check`
 * (a Check whose id is the folder's name). Files beside the service folders (shared helpers) and
 * subfolders of a check (fixtures) are not checks. Sorted by service and id, so a run's result does not
 * depend on the order the file system lists folders in. That each check is on a control (has its
 * catalog line) is checked where the catalog is parsed anyway: loadCatalog.
 */
export async function discoverChecks({ root, moduleFile }: CheckDiscovery): Promise<Check[]> {
  const checks: Check[] = [];
  const folderOf = new Map<string, string>();
  for (const service of subfolders(root)) {
    for (const name of subfolders(join(root, service))) {
      const folder = join(root, service, name);
      const file = join(folder, moduleFile);
      if (!existsSync(file)) throw new CheckFolderError(shown(folder), `no ${moduleFile} (each folder under a service folder is one check)`);
      let exported: unknown;
      try {
        exported = ((await import(pathToFileURL(file).href)) as { check?: unknown }).check;
      } catch (e) {
        throw new CheckFolderError(shown(folder), `${moduleFile} does not load: ${(e as Error).message.split('\n')[0]}`);
      }
      if (!isCheck(exported)) throw new CheckFolderError(shown(folder), `${moduleFile} does not export \`check\` (a Check with an id and evaluate)`);
      const { id } = exported;
      const other = folderOf.get(id);
      if (other !== undefined) throw new CheckFolderError(shown(folder), `duplicate check id "${id}" (also ${shown(other)})`);
      if (id !== name) throw new CheckFolderError(shown(folder), `check id "${id}" is not the folder's name`);
      folderOf.set(id, folder);
      checks.push(exported);
    }
  }
  return checks;
}
