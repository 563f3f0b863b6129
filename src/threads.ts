// Worker threads running this package's TypeScript modules.
import { Worker } from 'node:worker_threads';

/** Starts `module` (a URL) in a worker thread; it reads `data` as workerData.data. */
export function startThread(module: URL, data: unknown): Worker {
  return new Worker(new URL('./thread-entry.js', import.meta.url), { workerData: { module: module.href, data }, execArgv: [] });
}

/** Runs a module that does one job and posts one message when done: that message, or the thread's error. */
export function runInThread<T>(module: URL, data: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const thread = startThread(module, data);
    let answered = false;
    thread.once('message', (m: T) => {
      answered = true;
      resolve(m);
      void thread.terminate();
    });
    thread.once('error', reject);
    thread.once('exit', (code) => {
      if (!answered) reject(new Error(`a worker thread stopped before it finished (exit code ${code})`));
    });
  });
}
