import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { compileSchema } from '../data-file.ts';
import { UserError } from '../errors.ts';
import { processAlive } from '../pid.ts';
import { removeOnInterrupt } from '../interrupt.ts';
import { join } from 'node:path';
import type { Result } from '../evaluate/result.ts';

/** "Example Corp (sample estate)" → "example-corp-sample-estate": the organization's folder under out/. */
export function organizationSlug(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'organization';
}

/** The newest pack of a period, if any: out/<org>/<period>/pack-*. */
export function latestPack(out: string, org: string, period: string): string | undefined {
  const dir = join(out, org, period);
  if (!existsSync(dir)) return undefined;
  const packs = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name.startsWith('pack-')).map((e) => e.name).sort();
  return packs.length ? join(dir, packs.at(-1)!) : undefined;
}

export interface IndexEntry { period: string; packId: string; path: string; generatedAt: string; controls: Result['summary']['controls'] }


async function lockState(lock: string): Promise<{ holder: number; stale: boolean }> {
  const holder = Number(await readFile(lock, 'utf8').catch(() => '0')) || 0;
  const age = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now());
  // The pid is written right after the file is made: an empty lock seconds old was left by a run killed in between.
  return { holder, stale: holder ? !processAlive(holder) : age > 5000 };
}

/**
 * Removes a stale lock, one waiter at a time (under <lock>.break), and only if it is still stale once
 * that is held: a second waiter that saw the same dead holder must not remove the lock the first one
 * has just taken.
 */
async function breakStaleLock(lock: string): Promise<void> {
  const breaker = `${lock}.break`;
  try {
    await (await open(breaker, 'wx')).close();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const age = Date.now() - ((await stat(breaker).catch(() => undefined))?.mtimeMs ?? Date.now());
    if (age > 5000) await rm(breaker, { force: true }); // left by a waiter killed while breaking
    return;
  }
  try {
    if ((await lockState(lock)).stale) await rm(lock, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
}

/** Runs fn holding an exclusive lock file (pid inside; a lock whose process is gone is taken over). */
async function withLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const { holder, stale } = await lockState(lock);
      if (stale) await breakStaleLock(lock);
      else if (attempt > 300) throw new UserError(`${lock}: held by process ${holder} for over a minute; remove it if no run is going on`);
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  const forget = removeOnInterrupt(lock);
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
    forget();
  }
}

/**
 * out/<org>/index.json: every pack written there, newest last (replaced atomically, under a lock).
 * Returns what was wrong with the index found there, if anything: it was rewritten without it.
 */
export async function addToIndex(out: string, org: string, entry: IndexEntry): Promise<string | undefined> {
  return withLock(join(out, org, 'index.json.lock'), () => writeIndex(out, org, entry));
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
