// A worker thread that evaluates runs of (Aggregate)SelectResourceConfig pages (select-page-runs.ts) as they are sent.
import { parentPort, workerData } from 'node:worker_threads';
import { answer } from '../threads.ts';
import { evaluatePageRun, type PageRun } from './select-page-runs.ts';
import type { UnitInput } from './snapshot-units.ts';

parentPort!.on('message', (run: PageRun) => answer(() => evaluatePageRun(run, (workerData as { data: UnitInput }).data)));
