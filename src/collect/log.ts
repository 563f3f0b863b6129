import type { Operation } from './operations.ts';

/** One API operation as the collector made it: what, where, how many pages and attempts, how it ended. */
export interface CallRecord {
  operation: Operation;
  account: string;
  region: string;
  target?: string;
  pages: number;
  attempts: number;
  durationMs: number;
  outcome: 'ok' | string;
}

export interface CollectionLog {
  schema: 'evidence-pack/collection-log@1';
  calls: CallRecord[];
}
