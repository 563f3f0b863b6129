import { lstatSync, readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { InputError } from './errors.ts';

/** What a directory entry is, for an error naming one that is not a regular file. */
export function entryKind(e: Pick<Dirent, 'isSymbolicLink' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice' | 'isDirectory' | 'isFile'>): string {
  return e.isSymbolicLink()
    ? 'a symbolic link'
    : e.isFIFO()
      ? 'a named pipe (FIFO)'
      : e.isSocket()
        ? 'a socket'
        : e.isCharacterDevice() || e.isBlockDevice()
          ? 'a device'
          : e.isDirectory()
            ? 'a directory'
            : e.isFile()
              ? 'a regular file'
              : 'not a regular file';
}

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: a name holding one prints
// as something else, and breaks line-based recipes such as `sha256sum -c`.
const unprintable = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A name with control characters, shown escaped (as a JSON string) so it cannot move the cursor or split a line. */
export const shownName = (name: string): string => (unprintable.test(name) ? JSON.stringify(name) : name);

/**
 * Every regular file under dir, as sorted '/'-separated paths relative to it. Input directories are
 * untrusted: a symbolic link, named pipe, socket or device anywhere under dir, or a name with control
 * characters, is refused (exit 2, naming it) rather than skipped or followed. With everyEntry (a pack
 * being checked), every entry but directories is listed instead, so that verification can name it.
 */
export function listFilesUnder(dir: string, opts: { everyEntry?: boolean } = {}): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      const rel = relative(dir, p).split(sep).join('/');
      if (entry.isDirectory()) walk(p);
      else if (opts.everyEntry) out.push(rel);
      else if (!entry.isFile()) throw new InputError(join(dir, shownName(rel)), undefined, `${entryKind(entry)}, not a regular file: refused (links and special files are not followed)`);
      else if (unprintable.test(rel)) throw new InputError(join(dir, shownName(rel)), undefined, 'a file name with control characters (a newline, an escape…): refused; rename it');
      else out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Refuses (exit 2, naming it) a path that is not a regular file: a named pipe would hang the read, a
 * device never end, a link lead outside what the user handed over. Links are refused unless
 * followLinks (a file the user names on the command line). Returns its size.
 */
export function regularFile(path: string, opts: { followLinks?: boolean; shownAs?: string } = {}): number {
  const shownAs = opts.shownAs ?? shownName(path);
  let s: Stats;
  try {
    s = opts.followLinks ? statSync(path) : lstatSync(path);
  } catch (e) {
    throw new InputError(shownAs, undefined, `cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!s.isFile()) throw new InputError(shownAs, undefined, `${entryKind(s)}, not a regular file: refused`);
  return s.size;
}
