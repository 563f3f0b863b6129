// A worker thread's entry: loads TypeScript through tsx (as the CLI's entry does; a worker does not
// inherit the main thread's loader), then the module that workerData names (threads.ts starts them).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
