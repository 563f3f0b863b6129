// A worker thread that evaluates units of delivered snapshot files (snapshot-units.ts) as they are sent.
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../errors.ts';
import { evaluateUnit, type UnitInput } from './snapshot-units.ts';

parentPort!.on('message', async ({ index, unit }: { index: number; unit: string[] }) => {
  try {
    parentPort!.postMessage({ outcome: await evaluateUnit(unit, index, (workerData as { data: UnitInput }).data) });
  } catch (e) {
    if (e instanceof UserError) parentPort!.postMessage({ userError: { message: e.message, exitCode: e.exitCode } });
    else parentPort!.postMessage({ crash: (e as Error).stack ?? String(e) });
  }
});
