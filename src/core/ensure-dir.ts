import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * mkdir -p, one level at a time. Node 20's mkdir({ recursive: true }) never returns for some paths
 * (e.g. under /proc), so a user's --out must not go through it.
 */
export async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let p = resolve(dir); ; p = dirname(p)) {
    const found = await stat(p).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (found) break;
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const d of missing.reverse()) {
    await mkdir(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
  }
}
