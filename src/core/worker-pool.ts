// Worker threads that each take the next job when free (a unit of snapshot files, a run of pages), answering
// each with its outcome or its error (threads.ts). A thread that dies is replaced and only its job rejects.
import { threadPool } from './threads.ts';

export interface WorkerPool<Job, Outcome> {
  run(job: Job): Promise<Outcome>;
  /** Ends the threads (the jobs still running are abandoned). */
  stop(): Promise<void>;
}

/** `threads` workers running `module` (whose default export answers each job); every worker reads `data` as workerData.data. */
export function workerPool<Job, Outcome>(module: URL, threads: number, data: unknown): WorkerPool<Job, Outcome> {
  const pool = threadPool(module, threads, data);
  return { run: (job) => pool.run<Outcome>(job), stop: pool.stop };
}
