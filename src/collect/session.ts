// What every collection path shares: each API operation is run through one recorder that writes its
// pages, logs the call (pages, attempts, duration, outcome) and turns a failure into a recorded gap.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeError } from '../core/aws-error.ts';
import type { Gap } from '../evidence/types.ts';
import type { CallRecord } from './log.ts';
import type { Operation } from './operations.ts';

export interface Metadata {
  $metadata?: { attempts?: number };
}

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

/**
 * An SDK paginator run over its own copy of the input. The SDK's paginators write NextToken and the page size
 * into the very object they are given, so an input shared between calls, or reused after one, sends one
 * call's token with another call's parameters, which AWS refuses (InvalidNextTokenException). Every
 * paginated call of the collector goes through here (a test checks it).
 */
export function paginate<C, I extends object, O>(paginator: (config: C, input: I) => AsyncIterable<O>, config: C, input: I): AsyncIterable<O> {
  return paginator(config, { ...input });
}

/** The pages of an operation the SDK has no paginator for: NextToken followed by hand. */
export async function* followNextToken<T extends { NextToken?: string }>(send: (NextToken: string | undefined) => Promise<T>): AsyncGenerator<T> {
  let token: string | undefined;
  do {
    const page = await send(token);
    yield page;
    token = page.NextToken;
  } while (token);
}

/** Where a call is made: the account whose data it reads and the region (and, for logs, a target such as a rule). */
export interface CallScope {
  account: string;
  region: string;
}

const expiredNames = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'ExpiredTokenError']);

/** Whether an SDK error says the credentials expired (STS session token, SSO session, refreshed role credentials). */
export function isExpiredCredentials(e: unknown): boolean {
  const err = e as { name?: string; Code?: string; message?: string };
  return (
    expiredNames.has(err.name ?? '') ||
    expiredNames.has(err.Code ?? '') ||
    /security token included in the request is expired|(token|credentials|session)( \S+){0,4} (has |have )?expired/i.test(err.message ?? '')
  );
}

const notCalled = 'not called: the credentials expired during the collection';

/** Whether a collection met expired credentials, from its gaps: the reason, and how many calls were then not made. */
export function credentialsExpiry(gaps: Gap[]): { reason: string; notCalled: number } | undefined {
  const skipped = gaps.filter((g) => g.reason.includes(notCalled)).length;
  const met = gaps.find((g) => !g.reason.includes(notCalled) && (/\b(ExpiredToken(Exception)?|TokenRefreshRequired)\b/.test(g.reason) || isExpiredCredentials({ message: g.reason })));
  return met ? { reason: met.reason, notCalled: skipped } : undefined;
}

export class CollectionSession {
  readonly calls: CallRecord[] = [];
  readonly gaps: Gap[] = [];
  /** The first expired-credentials error: no call is made after it (each one left is a gap saying why). */
  private expired: string | undefined;

  constructor(
    private readonly dir: string,
    private readonly onProgress?: (label: string) => void,
  ) {}

  async save(rel: string, value: unknown): Promise<void> {
    const file = join(this.dir, rel);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Runs one operation (all its pages); on failure records a gap and returns undefined. */
  async run(
    operation: Operation,
    scope: CallScope,
    target: string | undefined,
    fetch: () => Promise<{ pages: unknown[]; attempts: number; count?: number; outcome?: string }>,
  ): Promise<unknown[] | undefined> {
    const started = performance.now();
    const { account, region } = scope;
    if (this.expired) {
      this.calls.push({ operation, account, region, target, pages: 0, attempts: 0, durationMs: 0, outcome: notCalled });
      this.gaps.push({ account, region, api: operation, reason: `${target ? `${target}: ` : ''}${notCalled} (${this.expired})` });
      this.onProgress?.(`${region} ${operation}${target ? ` ${target}` : ''}`);
      return undefined;
    }
    try {
      const { pages, attempts, count, outcome } = await fetch();
      this.calls.push({ operation, account, region, target, pages: count ?? pages.length, attempts, durationMs: Math.round(performance.now() - started), outcome: outcome ?? 'ok' });
      return pages;
    } catch (e) {
      const attempts = (e as Metadata).$metadata?.attempts ?? 1;
      const reason = describeError(e);
      if (isExpiredCredentials(e)) this.expired ??= reason;
      this.calls.push({ operation, account, region, target, pages: 0, attempts, durationMs: Math.round(performance.now() - started), outcome: reason });
      this.gaps.push({ account, region, api: operation, reason: target ? `${target}: ${reason}` : reason });
      return undefined;
    } finally {
      this.onProgress?.(`${region} ${operation}${target ? ` ${target}` : ''}`);
    }
  }

  /**
   * A single-response operation, saved as one object at rel; `target` (e.g. a trail) is named in the log and in
   * a gap. `answer`: for an error that is the service's answer about the account (not a failure to read it), the
   * document to save in its place; the call is logged with that error as its outcome, and no gap is recorded.
   */
  async one(
    operation: Operation,
    scope: CallScope,
    rel: string,
    send: () => Promise<Metadata>,
    opts: { answer?: (e: unknown) => object | undefined; target?: string } = {},
  ): Promise<unknown | undefined> {
    const pages = await this.run(operation, scope, opts.target, async () => {
      try {
        const page = await send();
        return { pages: [withoutMetadata(page)], attempts: page.$metadata?.attempts ?? 1 };
      } catch (e) {
        const doc = opts.answer?.(e);
        if (!doc) throw e;
        return { pages: [doc], attempts: (e as Metadata).$metadata?.attempts ?? 1, outcome: `answered: ${describeError(e)}` };
      }
    });
    if (pages) await this.save(rel, pages[0]);
    return pages?.[0];
  }

  /**
   * A paginated operation, saved as the array of its pages at rel. Pages go to disk as they arrive (an
   * inventory of a million items never sits in memory); they are also returned unless keep is false,
   * and onPage sees each one. A call that fails leaves no file.
   */
  async many(
    operation: Operation,
    scope: CallScope,
    rel: string,
    target: string | undefined,
    source: AsyncIterable<Metadata>,
    opts: { keep?: boolean; onPage?: (page: unknown) => void } = {},
  ): Promise<unknown[] | undefined> {
    const file = join(this.dir, rel);
    const partial = `${file}.partial`;
    await mkdir(dirname(file), { recursive: true });
    const out = createWriteStream(partial);
    let failure: Error | undefined;
    out.on('error', (e) => {
      failure ??= e;
    });
    const write = async (text: string) => {
      if (!out.write(text)) await once(out, 'drain');
    };
    const got = await this.run(operation, scope, target, async () => {
      const kept: unknown[] = [];
      let attempts = 0;
      let count = 0;
      await write('[');
      for await (const page of source) {
        const p = withoutMetadata(page);
        await write(`${count ? ',' : ''}\n${JSON.stringify(p, null, 2)}`);
        count++;
        attempts += page.$metadata?.attempts ?? 1;
        opts.onPage?.(p);
        if (opts.keep !== false) kept.push(p);
      }
      await write('\n]\n');
      return { pages: kept, attempts, count };
    });
    out.end();
    if (!out.closed) await once(out, 'close');
    if (failure) throw failure; // the evidence directory cannot be written: not an AWS gap
    if (got) await rename(partial, file);
    else await rm(partial, { force: true });
    return got;
  }

  /** Calls and gaps in a stable order, for the collection log and snapshot.json. */
  sorted(): { calls: CallRecord[]; gaps: Gap[] } {
    this.calls.sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.operation.localeCompare(b.operation) || (a.target ?? '').localeCompare(b.target ?? ''));
    this.gaps.sort(
      (a, b) => (a.account ?? '').localeCompare(b.account ?? '') || (a.region ?? '').localeCompare(b.region ?? '') || (a.api ?? '').localeCompare(b.api ?? '') || a.reason.localeCompare(b.reason),
    );
    return { calls: this.calls, gaps: this.gaps };
  }
}
