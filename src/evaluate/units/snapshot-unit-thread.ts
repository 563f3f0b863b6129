// A worker thread that evaluates units of delivered snapshot files (snapshot-units.ts) as they are sent.
import { workerData } from 'node:worker_threads';
import { answer } from '../../core/threads.ts';
import { evaluateUnit, type UnitInput } from './snapshot-units.ts';

export default ({ index, unit }: { index: number; unit: string[] }) => answer(() => evaluateUnit(unit, index, (workerData as { data: UnitInput }).data));
