// The selection: reproducible from a population file with any HMAC-SHA256 tool (see README "Sampling").
import { createHmac } from 'node:crypto';
import type { ItemStatus } from '../evaluate/result.ts';

/** What is sampled: passing items. Exceptions (failing, gap, waived) are listed, not sampled. */
export const sampledStatus: ItemStatus = 'pass';
export const exceptionStatuses: readonly ItemStatus[] = ['fail', 'gap', 'waived'];
/** Exceptions a sample file and the report list per control; beyond it, their count and where the full list is. */
export const listedExceptions = 100;

export const selectionMethod =
  'rank every population row whose status is "pass" by HMAC-SHA256 (key: the seed as UTF-8 text; message: the row\'s key column as UTF-8 text), as lower-case hex; the sample is the rows of the lowest ranks (all of them when there are no more than the size), in rank order';

/** A row's rank: HMAC-SHA256(seed, key), lower-case hex. */
export const rankOf = (seed: string, key: string): string => createHmac('sha256', Buffer.from(seed, 'utf8')).update(key, 'utf8').digest('hex');

export interface RankedRow<T> {
  row: number;
  key: string;
  rank: string;
  value: T;
}

/** Keeps the `size` rows of lowest rank seen so far: memory follows the sample, not the population. */
export class LowestRanks<T> {
  private readonly kept: RankedRow<T>[] = [];
  constructor(
    private readonly seed: string,
    private readonly size: number,
  ) {}

  offer(row: number, key: string, value: T): void {
    if (this.size <= 0) return;
    const rank = rankOf(this.seed, key);
    if (this.kept.length === this.size && rank >= this.kept.at(-1)!.rank) return;
    let lo = 0;
    let hi = this.kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.kept[mid]!.rank < rank) lo = mid + 1;
      else hi = mid;
    }
    this.kept.splice(lo, 0, { row, key, rank, value });
    if (this.kept.length > this.size) this.kept.pop();
  }

  rows(): RankedRow<T>[] {
    return this.kept;
  }
}
