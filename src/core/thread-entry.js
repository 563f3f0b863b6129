// The module piscina starts in each worker thread (threads.ts, worker-pool.ts) when running from source: loads the thread module
// that workerData names and hands piscina its default export, which answers each job. A TypeScript module
// (tests, development) needs tsx registered first: a worker does not inherit the main thread's loader.
import { workerData } from 'node:worker_threads';

if (workerData.module.endsWith('.ts')) (await import('tsx/esm/api')).register();
const { default: answerJob } = await import(workerData.module);
export default answerJob;
