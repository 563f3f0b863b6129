// Worker threads running this package's modules (through piscina), and what they answer: the job's outcome, or
// its error (a UserError travels as its one line and exit code, so it reads the same as on the main thread).
// A thread module's default export takes a job and returns answer(...); it reads workerData.data.
import { Piscina } from 'piscina';
import { UserError } from './errors.ts';

/** What a thread posts for each job it was given. */
export type ThreadAnswer<T> = { outcome: T } | { userError: { message: string; exitCode: number } } | { crash: string };

export interface ThreadPool {
  /** The answer to `job` from a free thread: the job's outcome, or the error it carried or the thread's end. */
  run<T>(job: unknown): Promise<T>;
  /** Ends the threads (the jobs still running or queued reject). */
  stop(): Promise<void>;
}

/** Whether this is the compiled package (dist/*.js) rather than the TypeScript sources run through tsx. */
const compiled = import.meta.url.endsWith('.js');

/**
 * What piscina starts for a thread module named by its source file (`new URL('./x-thread.ts', import.meta.url)`):
 * the compiled sibling in dist/, or, from source, thread-entry.js, which registers tsx and loads the module.
 */
function threadEntry(module: URL): { filename: string; module: string } {
  return compiled ? { filename: module.href.replace(/\.ts$/, '.js'), module: '' } : { filename: new URL('./thread-entry.js', import.meta.url).href, module: module.href };
}

/**
 * `threads` worker threads running `module` (a URL); each reads `data` as workerData.data. A thread that dies
 * is replaced and the job it was running rejects; if no thread is left to run the queued jobs, they reject too.
 */
export function threadPool(module: URL, threads: number, data: unknown): ThreadPool {
  const entry = threadEntry(module);
  const pool = new Piscina({
    filename: entry.filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Infinity,
    workerData: { module: entry.module, data },
    execArgv: [],
  });
  let stopping: Promise<void> | undefined;
  let lastError = '';
  const stop = () => (stopping ??= pool.destroy());
  // A thread that fails while it holds no job (one starting) is said as an 'error' event.
  pool.on('error', (e: Error) => {
    lastError = e.message;
  });
  // piscina does not replace a thread that fails while starting (its module cannot load): with none left,
  // the queued jobs would wait for ever.
  pool.on('workerDestroy', () =>
    setImmediate(() => {
      if (pool.threads.length === 0) void stop();
    }),
  );
  return {
    async run<T>(job: unknown): Promise<T> {
      let reply: ThreadAnswer<T>;
      try {
        reply = await pool.run(job);
      } catch (e) {
        const why = stopping && lastError ? `no thread could start: ${lastError}` : (e as Error).message;
        throw new Error(`a worker thread stopped before it answered (${why})`, { cause: e });
      }
      return outcomeOf(reply);
    },
    stop,
  };
}

/** In a thread: runs a job and returns its answer. */
export async function answer<T>(job: () => Promise<T>): Promise<ThreadAnswer<T>> {
  try {
    return { outcome: await job() };
  } catch (e) {
    return e instanceof UserError ? { userError: { message: e.message, exitCode: e.exitCode } } : { crash: (e as Error).stack ?? String(e) };
  }
}

/** In the main thread: a thread's answer as the job's outcome, or the error it carried. */
export function outcomeOf<T>(reply: ThreadAnswer<T>): T {
  if ('outcome' in reply) return reply.outcome;
  if ('userError' in reply) throw new UserError(reply.userError.message, reply.userError.exitCode);
  throw new Error(reply.crash);
}

/** Runs a module's default export on `data` in a thread of its own; stop() ends it early (the main thread's share failed). */
export function runInThread<T>(module: URL, data: unknown): { done: Promise<T>; stop(): Promise<void> } {
  const pool = threadPool(module, 1, undefined);
  const done = pool.run<T>(data).finally(() => pool.stop());
  done.catch(() => {});
  return { done, stop: () => pool.stop() };
}
