// Worker threads that each take the next job when free (a unit of snapshot files, a run of pages), answering
// each with its outcome or its error (threads.ts).
import type { Worker } from 'node:worker_threads';
import { outcomeOf, startThread, type ThreadAnswer } from '../threads.ts';

export interface WorkerPool<Job, Outcome> {
  run(job: Job): Promise<Outcome>;
  /** Ends the threads (the jobs still running are abandoned). */
  stop(): Promise<void>;
}

/** `threads` workers running `module` (which answers each job it is posted); every worker reads `data` as workerData. */
export function workerPool<Job, Outcome>(module: URL, threads: number, data: unknown): WorkerPool<Job, Outcome> {
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const queue: (() => void)[] = [];
  const busy = new Map<Worker, { resolve(o: Outcome): void; reject(e: Error): void }>();
  const fail = (w: Worker, e: Error) => {
    busy.get(w)?.reject(e);
    busy.delete(w);
  };
  for (let i = 0; i < threads; i++) {
    const w = startThread(module, data);
    w.on('message', (reply: ThreadAnswer<Outcome>) => {
      const s = busy.get(w)!;
      busy.delete(w);
      try {
        s.resolve(outcomeOf(reply));
      } catch (e) {
        s.reject(e as Error);
      }
      idle.push(w);
      queue.shift()?.();
    });
    w.on('error', (e) => fail(w, e));
    w.on('exit', (code) => fail(w, new Error(`an evaluation thread stopped (exit code ${code})`)));
    workers.push(w);
    idle.push(w);
  }
  return {
    run: (job) => new Promise<Outcome>((resolve, reject) => {
      const start = () => {
        const w = idle.pop()!;
        busy.set(w, { resolve, reject });
        w.postMessage(job);
      };
      if (idle.length) start();
      else queue.push(start);
    }),
    stop: async () => void (await Promise.all(workers.map((w) => w.terminate()))),
  };
}
