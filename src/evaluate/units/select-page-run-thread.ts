// A worker thread that evaluates runs of (Aggregate)SelectResourceConfig pages (select-page-runs.ts) as they are sent.
import { workerData } from 'node:worker_threads';
import { answer } from '../../core/threads.ts';
import { evaluatePageRun, type PageRun } from './select-page-runs.ts';
import type { UnitInput } from './snapshot-units.ts';

export default (run: PageRun) => answer(() => evaluatePageRun(run, (workerData as { data: UnitInput }).data));
