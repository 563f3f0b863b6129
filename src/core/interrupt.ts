// What a signal must not leave behind. Every temporary a command makes (a pack being built, a partial
// zip, an extracted archive, a Chromium and its profile) is registered here while it exists; SIGINT,
// SIGTERM and SIGHUP undo them all, synchronously, and the process exits 128 + the signal's number
// (130, 143, 129: what a shell reports for a process the signal ended), with one line on stderr.
import { rmSync } from 'node:fs';
import { constants } from 'node:os';

const undoers = new Set<() => void>();

/** Registers work to undo on a signal; the function returned forgets it (call it once the temporary is gone or kept). */
export function onInterrupt(undo: () => void): () => void {
  undoers.add(undo);
  return () => {
    undoers.delete(undo);
  };
}

/** Removes path (file or directory tree) on a signal, until the function returned is called. */
export function removeOnInterrupt(path: string): () => void {
  return onInterrupt(() => rmSync(path, { recursive: true, force: true }));
}

export const interruptSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The exit code after a signal: 128 + its number. */
export function interruptExitCode(signal: (typeof interruptSignals)[number]): number {
  return 128 + constants.signals[signal];
}

/** Undoes everything registered, newest first; one failure does not stop the rest. */
export function undoAll(): void {
  for (const undo of [...undoers].reverse()) {
    try {
      undo();
    } catch {
      // best effort: the others still run
    }
    undoers.delete(undo);
  }
}

const stopOn = Object.fromEntries(
  interruptSignals.map((signal) => [
    signal,
    () => {
      undoAll();
      process.stderr.write(`\nevidence-pack: stopped by ${signal}; its temporary files were removed\n`);
      process.exit(interruptExitCode(signal));
    },
  ]),
);

/** Makes SIGINT, SIGTERM and SIGHUP stop the process cleanly (once per process, again if a caller removed the listeners). */
export function stopCleanlyOnSignals(): void {
  for (const signal of interruptSignals) {
    if (!process.listeners(signal).includes(stopOn[signal]!)) process.on(signal, stopOn[signal]!);
  }
}
