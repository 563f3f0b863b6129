// Worker threads running this package's TypeScript modules, and what they answer: the job's outcome, or
// its error (a UserError travels as its one line and exit code, so it reads the same as on the main thread).
import { parentPort, Worker } from 'node:worker_threads';
import { UserError } from './errors.ts';

/** What a thread posts for each job it was given. */
export type ThreadAnswer<T> = { outcome: T } | { userError: { message: string; exitCode: number } } | { crash: string };

/** Whether this is the compiled package (dist/*.js) rather than the TypeScript sources run through tsx. */
const compiled = import.meta.url.endsWith('.js');

/**
 * The module a thread runs, named by its source file (`new URL('./x-thread.ts', import.meta.url)`): the
 * compiled sibling in dist/, or, from source, thread-entry.js, which loads TypeScript (a worker does not
 * inherit the main thread's loader) and then the module.
 */
export function threadModule(module: URL): { entry: URL; module: string } {
  return compiled ? { entry: new URL(module.href.replace(/\.ts$/, '.js')), module: '' } : { entry: new URL('./thread-entry.js', import.meta.url), module: module.href };
}

/** Starts `module` (a URL) in a worker thread; it reads `data` as workerData.data. */
export function startThread(module: URL, data: unknown): Worker {
  const { entry, module: source } = threadModule(module);
  return new Worker(entry, { workerData: { module: source, data }, execArgv: [] });
}

/** In a thread: runs a job and posts its answer. */
export async function answer<T>(job: () => Promise<T>): Promise<void> {
  let reply: ThreadAnswer<T>;
  try {
    reply = { outcome: await job() };
  } catch (e) {
    reply = e instanceof UserError ? { userError: { message: e.message, exitCode: e.exitCode } } : { crash: (e as Error).stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
}

/** In the main thread: a thread's answer as the job's outcome, or the error it carried. */
export function outcomeOf<T>(reply: ThreadAnswer<T>): T {
  if ('outcome' in reply) return reply.outcome;
  if ('userError' in reply) throw new UserError(reply.userError.message, reply.userError.exitCode);
  throw new Error(reply.crash);
}

/** Runs a module that does one job and answers once (answer()); stop() ends it early (the main thread's share failed). */
export function runInThread<T>(module: URL, data: unknown): { done: Promise<T>; stop(): Promise<void> } {
  const thread = startThread(module, data);
  const done = new Promise<T>((resolve, reject) => {
    let answered = false;
    thread.once('message', (reply: ThreadAnswer<T>) => {
      answered = true;
      try {
        resolve(outcomeOf(reply));
      } catch (e) {
        reject(e);
      }
      void thread.terminate();
    });
    thread.once('error', reject);
    thread.once('exit', (code) => {
      if (!answered) reject(new Error(`a worker thread stopped before it finished (exit code ${code})`));
    });
  });
  done.catch(() => {});
  return { done, stop: async () => void (await thread.terminate()) };
}
