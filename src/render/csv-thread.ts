// A worker thread writing the CSV rows of a large pack's later controls (csv.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { writeCsvPart, type CsvControl } from './csv.ts';

const { controls, packDir, file } = (workerData as { data: { controls: CsvControl[]; packDir: string; file: string } }).data;
await writeCsvPart(controls, packDir, file);
parentPort!.postMessage('written');
