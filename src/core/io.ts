// Where the CLI's words go. A run writes through stdout()/stderr() here, which is the process's own
// streams unless main was given other writers (the tests' in-process runner): those hold for everything
// the run does, awaited work included, and for nothing else running beside it.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: Io = {
  stdout: (text) => {
    process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
};

const current = new AsyncLocalStorage<Io>();

/** Runs fn with io as the place its output goes. */
export function withIo<T>(io: Io, fn: () => T): T {
  return current.run(io, fn);
}

export const stdout = (text: string): void => (current.getStore() ?? processIo).stdout(text);
export const stderr = (text: string): void => (current.getStore() ?? processIo).stderr(text);
