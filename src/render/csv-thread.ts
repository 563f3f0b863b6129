// A worker thread writing the CSV rows of a large pack's later controls (csv.ts).
import { answer } from '../core/threads.ts';
import { writeCsvPart, type CsvControl } from './csv.ts';

export default ({ controls, packDir, file }: { controls: CsvControl[]; packDir: string; file: string }) => answer(() => writeCsvPart(controls, packDir, file));
