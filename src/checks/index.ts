import { dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverChecks } from './discover.ts';
import type { Check } from './types.ts';

const here = fileURLToPath(import.meta.url);

/**
 * Every built-in check: the folders under src/checks/<service>/<check-id>/, found at load (no list to
 * keep). Their module has this file's extension: check.ts under tsx, check.js when compiled.
 */
export const checks: readonly Check[] = await discoverChecks({ root: dirname(here), moduleFile: `check${extname(here)}` });

export const checksById: ReadonlyMap<string, Check> = new Map(checks.map((c) => [c.id, c]));
