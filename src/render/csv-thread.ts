// A worker thread writing the CSV rows of a large pack's later controls (csv.ts).
import { workerData } from 'node:worker_threads';
import { answer } from '../threads.ts';
import { writeCsvPart, type CsvControl } from './csv.ts';

const { controls, packDir, file } = (workerData as { data: { controls: CsvControl[]; packDir: string; file: string } }).data;
await answer(() => writeCsvPart(controls, packDir, file));
