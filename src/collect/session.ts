// What every collection path shares: each API operation is run through one recorder that writes its
// pages, logs the call (pages, attempts, duration, outcome) and turns a failure into a recorded gap.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeError } from '../aws-error.ts';
import type { Gap } from '../evidence/types.ts';
import type { CallRecord } from './log.ts';
import type { Operation } from './operations.ts';

export interface Metadata { $metadata?: { attempts?: number } }

export function withoutMetadata<T extends Metadata>(page: T): Omit<T, '$metadata'> {
  const { $metadata: _m, ...rest } = page;
  return rest;
}

/** Stops a paginator once `max` items have arrived: a bounded sample whose size the evidence states. */
export async function* bounded<T>(pages: AsyncIterable<T>, max: number, count: (page: T) => number): AsyncGenerator<T> {
  let seen = 0;
  for await (const page of pages) {
    yield page;
    seen += count(page);
    if (seen >= max) return;
  }
}

/** Where a call is made: the account whose data it reads and the region (and, for logs, a target such as a rule). */
export interface CallScope { account: string; region: string }

export class CollectionSession {
  readonly calls: CallRecord[] = [];
  readonly gaps: Gap[] = [];

  constructor(private readonly dir: string, private readonly onProgress?: (label: string) => void) {}

  async save(rel: string, value: unknown): Promise<void> {
    const file = join(this.dir, rel);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Runs one operation (all its pages); on failure records a gap and returns undefined. */
  async run(operation: Operation, scope: CallScope, target: string | undefined, fetch: () => Promise<{ pages: unknown[]; attempts: number }>): Promise<unknown[] | undefined> {
    const started = performance.now();
    const { account, region } = scope;
    try {
      const { pages, attempts } = await fetch();
      this.calls.push({ operation, account, region, target, pages: pages.length, attempts, durationMs: Math.round(performance.now() - started), outcome: 'ok' });
      return pages;
    } catch (e) {
      const attempts = (e as Metadata).$metadata?.attempts ?? 1;
      const reason = describeError(e);
      this.calls.push({ operation, account, region, target, pages: 0, attempts, durationMs: Math.round(performance.now() - started), outcome: reason });
      this.gaps.push({ account, region, api: operation, reason: target ? `${target}: ${reason}` : reason });
      return undefined;
    } finally {
      this.onProgress?.(`${region} ${operation}${target ? ` ${target}` : ''}`);
    }
  }

  /** A single-response operation, saved as one object at rel. */
  async one(operation: Operation, scope: CallScope, rel: string, send: () => Promise<Metadata>): Promise<unknown | undefined> {
    const pages = await this.run(operation, scope, undefined, async () => {
      const page = await send();
      return { pages: [withoutMetadata(page)], attempts: page.$metadata?.attempts ?? 1 };
    });
    if (pages) await this.save(rel, pages[0]);
    return pages?.[0];
  }

  /** A paginated operation, saved as the array of its pages at rel. */
  async many(operation: Operation, scope: CallScope, rel: string, target: string | undefined, source: AsyncIterable<Metadata>): Promise<unknown[] | undefined> {
    const got = await this.run(operation, scope, target, async () => {
      const out: unknown[] = [];
      let attempts = 0;
      for await (const page of source) {
        out.push(withoutMetadata(page));
        attempts += page.$metadata?.attempts ?? 1;
      }
      return { pages: out, attempts };
    });
    if (got) await this.save(rel, got);
    return got;
  }

  /** Calls and gaps in a stable order, for the collection log and snapshot.json. */
  sorted(): { calls: CallRecord[]; gaps: Gap[] } {
    this.calls.sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.operation.localeCompare(b.operation) || (a.target ?? '').localeCompare(b.target ?? ''));
    this.gaps.sort((a, b) => (a.account ?? '').localeCompare(b.account ?? '') || (a.region ?? '').localeCompare(b.region ?? '') || (a.api ?? '').localeCompare(b.api ?? '') || a.reason.localeCompare(b.reason));
    return { calls: this.calls, gaps: this.gaps };
  }
}
