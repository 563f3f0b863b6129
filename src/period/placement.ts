import fs, { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import { compileSchema } from '../core/data-file.ts';
import { UserError } from '../core/errors.ts';
import { removeOnInterrupt } from '../core/interrupt.ts';
import { join, resolve } from 'node:path';
import type { Result } from '../evaluate/result.ts';

/** "Example Corp (sample estate)" → "example-corp-sample-estate": the organization's folder under out/. */
export function organizationSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'organization'
  );
}

/** The newest pack of a period, if any: out/<org>/<period>/pack-*. */
export function latestPack(out: string, org: string, period: string): string | undefined {
  const dir = join(out, org, period);
  if (!existsSync(dir)) return undefined;
  const packs = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name.startsWith('pack-'))
    .map((e) => e.name)
    .sort();
  return packs.length ? join(dir, packs.at(-1)!) : undefined;
}

export interface IndexEntry {
  period: string;
  packId: string;
  path: string;
  generatedAt: string;
  controls: Result['summary']['controls'];
}

/** A lock untouched this long is a crashed run's and is taken over (the holder touches it every half of it). */
const lockStaleMs = 10_000;

/** The locks this process is releasing: removed whatever their age. */
const releasing = new Set<string>();

/**
 * The file system proper-lockfile works through, with three differences. A lock directory gets this process's
 * time as it is made (not the file system's, a moment later): under a shifted clock (faketime) a lock just made
 * must not look years old. A stale lock is removed only if it is still stale at that moment: two waiters that
 * found the same crashed run's lock must not have the second remove the lock the first has just taken. And a
 * lock left by an earlier version, a file, can be removed.
 */
const lockFs = {
  ...fs,
  mkdir(path: string, done: (e: Error | null) => void) {
    try {
      fs.mkdirSync(path);
      const now = new Date();
      fs.utimesSync(path, now, now);
    } catch (e) {
      return done(e as Error);
    }
    done(null);
  },
  rmdir(path: string, done: (e: Error | null) => void) {
    try {
      const fresh = fs.statSync(path).mtimeMs >= Date.now() - lockStaleMs;
      if (releasing.has(path) || !fresh) fs.rmSync(path, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return done(e as Error);
    }
    done(null);
  },
};

/**
 * Runs fn holding `<file>.lock` (proper-lockfile: a directory kept fresh while held; one left stale by a crashed
 * run is taken over). Waits up to a minute for another run to finish with it.
 */
export async function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const lockPath = `${resolve(file)}.lock`; // as proper-lockfile names it
  let compromised: Error | undefined;
  const release = await lockfile
    .lock(file, {
      realpath: false,
      stale: lockStaleMs,
      retries: { retries: 600, factor: 1, minTimeout: 100, maxTimeout: 100 },
      fs: lockFs,
      onCompromised: (e) => {
        compromised = e;
      },
    })
    .catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ELOCKED') throw new UserError(`${lock}: held by another run for over a minute; remove it if no run is going on`);
      throw e;
    });
  const forget = removeOnInterrupt(lock);
  let outcome: T;
  try {
    outcome = await fn();
  } finally {
    forget();
    releasing.add(lockPath);
    await release().catch(() => {}); // a compromised lock is said below
    releasing.delete(lockPath);
  }
  if (compromised) throw new UserError(`${lock}: another run took the lock over while this one held it (${compromised.message}); the index may lack this pack: run again`);
  return outcome;
}

/**
 * out/<org>/index.json: every pack written there, newest last (replaced atomically, under a lock).
 * Returns what was wrong with the index found there, if anything: it was rewritten without it.
 */
export async function addToIndex(out: string, org: string, entry: IndexEntry): Promise<string | undefined> {
  return withLock(join(out, org, 'index.json'), () => writeIndex(out, org, entry));
}

const validIndex = compileSchema<{ packs: IndexEntry[] }>({
  type: 'object',
  required: ['packs'],
  properties: { packs: { type: 'array', maxItems: 100_000 } },
});
const validEntry = compileSchema<IndexEntry>({
  type: 'object',
  required: ['period', 'packId', 'path', 'generatedAt', 'controls'],
  properties: {
    period: { type: 'string', pattern: '^[0-9A-Za-z_-]{1,40}$' },
    packId: { type: 'string', pattern: '^pack-[0-9A-Za-z_-]{1,80}$' },
    path: { type: 'string', pattern: '^[0-9A-Za-z_-]{1,40}/pack-[0-9A-Za-z_-]{1,80}$' },
    generatedAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z$' },
    controls: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
  },
});

/**
 * The entries of an index file, each checked: the file is anyone's who can write out/, so an entry that
 * is not what `run` writes is dropped (and said), and a file that is not an index at all is started afresh.
 */
export function readIndex(file: string): { entries: IndexEntry[]; problem?: string } {
  if (!existsSync(file)) return { entries: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { entries: [], problem: `${file}: not valid JSON (${(e as Error).message.split('\n')[0]!.slice(0, 80)}); started afresh` };
  }
  if (!validIndex(doc)) return { entries: [], problem: `${file}: not an index (no list of packs); started afresh` };
  const entries = doc.packs.filter((e) => validEntry(e));
  const dropped = doc.packs.length - entries.length;
  return { entries, ...(dropped ? { problem: `${file}: ${dropped} entr${dropped === 1 ? 'y is' : 'ies are'} not a pack's (period, packId, path, generatedAt, counts); left out` } : {}) };
}

async function writeIndex(out: string, org: string, entry: IndexEntry): Promise<string | undefined> {
  const file = join(out, org, 'index.json');
  const { entries: found, problem } = readIndex(file);
  const entries = [...found.filter((e) => e.packId !== entry.packId), entry].sort((a, b) => a.period.localeCompare(b.period) || a.generatedAt.localeCompare(b.generatedAt));
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify({ organization: org, packs: entries }, null, 2)}\n`);
  await rename(tmp, file);
  return problem;
}

/** The temporary file writeIndex replaces index.json with: removed by a run that stops before the rename. */
export function indexTemporary(out: string, org: string): string {
  return join(out, org, `index.json.tmp-${process.pid}`);
}

/** The packIds index.json lists; none when it is missing or unreadable (every pack is then added again). */
export function indexedPackIds(out: string, org: string): Set<string> {
  try {
    const doc = JSON.parse(readFileSync(join(out, org, 'index.json'), 'utf8')) as { packs?: { packId?: unknown }[] };
    return new Set((Array.isArray(doc.packs) ? doc.packs : []).map((e) => String(e?.packId)));
  } catch {
    return new Set();
  }
}
