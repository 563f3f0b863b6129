import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Every regular file under dir (every entry but directories, with everyEntry), as sorted '/'-separated paths relative to it. */
export function listFilesUnder(dir: string, opts: { everyEntry?: boolean } = {}): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (opts.everyEntry || entry.isFile()) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
