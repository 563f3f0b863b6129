import { closeSync, fsyncSync, openSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensureDir } from './ensure-dir.ts';
import { UserError } from './errors.ts';
import { onInterrupt } from './interrupt.ts';
import { processAlive } from './pid.ts';

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncTree(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) fsyncTree(p);
    else fsyncPath(p);
  }
  fsyncPath(dir);
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

const tmpPrefix = `.tmp-${process.pid}-`;

/** Removes what killed runs left behind: temporary entries (named with their process id, as pattern's first group) whose process is gone. */
export async function removeStaleTemporaries(parent: string, pattern = /^\.tmp-(\d+)-/): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    await rm(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Builds a directory in a temporary folder inside `parent` and renames it to the name `build`
 * returns (a relative path, e.g. org/period/pack-id) only when complete, so a failed or killed run leaves no partial output under that name.
 * A parent created here is removed again if the build fails and leaves it empty.
 */
export async function writeDirAtomically<T extends { name: string }>(parent: string, build: (tmp: string) => Promise<T>, opts: { force?: boolean } = {}): Promise<T & { path: string }> {
  const parentExisted = await exists(parent);
  let tmp: string;
  try {
    await ensureDir(parent);
    await removeStaleTemporaries(parent);
    tmp = await mkdtemp(join(parent, tmpPrefix));
  } catch (e) {
    throw new UserError(`${parent}: cannot write the output directory (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const forget = onInterrupt(() => {
    rmSync(tmp, { recursive: true, force: true });
    if (!parentExisted) rmdirSync(parent);
  });
  try {
    const value = await build(tmp);
    const target = join(parent, value.name);
    const targetExists = await exists(target);
    if (targetExists && !opts.force) throw new UserError(`${target}: already exists (use --force to replace it)`);
    await chmod(tmp, 0o755); // mkdtemp makes it private; a pack is meant to be shared
    fsyncTree(tmp);
    if (targetExists) await rm(target, { recursive: true, force: true });
    await mkdir(dirname(target), { recursive: true });
    await rename(tmp, target).catch((e: NodeJS.ErrnoException) => {
      // Another run (e.g. with the same SOURCE_DATE_EPOCH) placed the same name since the check above.
      if (e.code === 'ENOTEMPTY' || e.code === 'EEXIST') throw new UserError(`${target}: already exists (written by another run meanwhile; use --force to replace it)`);
      throw e;
    });
    fsyncPath(dirname(target));
    return { ...value, path: target };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    if (!parentExisted) await rmdir(parent).catch(() => undefined);
    throw e;
  } finally {
    forget();
  }
}
