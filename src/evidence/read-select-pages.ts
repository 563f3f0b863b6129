// An (Aggregate)SelectResourceConfig response as collect saves it (a list of pages), streamed a page at a
// time: an organization's inventory through an aggregator is one file of up to millions of rows, more
// than one string can hold and more than memory should.
import { join } from 'node:path';
import { resourcesFromSelectPage } from './config-items.ts';
import { InputError } from '../core/errors.ts';
import { checkNoDuplicateMembers, checkShape } from './json-file.ts';
import type { EvidenceCopies } from './evidence-copies.ts';
import { streamConfigSnapshot } from './snapshot-stream.ts';
import type { Resource } from './types.ts';

export interface SelectPagesContext {
  dir: string;
  /** The path errors name for the file. */
  shown: string;
  copies?: EvidenceCopies;
  /** Throws when an account or region is outside snapshot.json's scope. */
  inScope(account: string, region: string): void;
  /** Each row's resource, in order. */
  addResource(r: Resource): void;
}

/**
 * The p-th page's resources, the page checked as a whole file's would be. `page`: the page parsed already, or
 * undefined to parse its text here (a worker thread handed the text alone).
 */
export function resourcesOfPage(text: string, page: unknown, p: number, rel: string, shown: string, api: string, inScope: SelectPagesContext['inScope']): { page: unknown; resources: Resource[] } {
  if (page === undefined) {
    try {
      page = JSON.parse(text);
    } catch {
      throw new InputError(shown, `[${p}]`, 'malformed JSON');
    }
  }
  checkNoDuplicateMembers(text, checkShape(page, shown, `[${p}]`), shown, `[${p}]`);
  return { page, resources: resourcesFromSelectPage(page, p, rel, shown, api, inScope) };
}

/** Reads the file's pages in order, each checked as a whole file would be, and returns the file's sha256 and size as stored. */
export async function readSelectPagesFile(rel: string, api: string, ctx: SelectPagesContext): Promise<{ sha256: string; bytes: number }> {
  const copy = ctx.copies?.pages(rel);
  const streamed = await streamConfigSnapshot(
    join(ctx.dir, rel),
    ctx.shown,
    async (page, p, text) => {
      for (const r of resourcesOfPage(text, page, p, rel, ctx.shown, api, ctx.inScope).resources) ctx.addResource(r);
      await copy?.page(page);
    },
    'pages',
  );
  await copy?.end(streamed.onePage);
  return { sha256: streamed.sha256, bytes: streamed.bytes };
}
