// How long Chromium may take to start and to print one file. A Chromium that stops answering (hung, or a
// report it cannot lay out) must not hold an unattended run: the deadline grows with the HTML's size
// (a 2,000-row part prints in seconds; a 100 MB one-piece report in about a minute), then Chromium is killed.

export const printTimeoutEnv = 'EVIDENCE_PACK_PRINT_TIMEOUT';

/** Seconds allowed for Chromium to start, and the base of every print's deadline; $EVIDENCE_PACK_PRINT_TIMEOUT overrides. */
export function baseSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const set = Number(env[printTimeoutEnv]);
  return Number.isFinite(set) && set > 0 ? set : 120;
}

/** Seconds added per MiB of HTML: some twenty times what Chromium took per MiB in BENCHMARKS.md. */
const secondsPerMiB = 10;

export function printDeadlineSeconds(htmlBytes: number, env: NodeJS.ProcessEnv = process.env): number {
  return Math.ceil(baseSeconds(env) + (htmlBytes / (1024 * 1024)) * secondsPerMiB);
}

export class DeadlinePassed extends Error {
  constructor(readonly seconds: number) {
    super(`no answer within ${seconds} s`);
    this.name = 'DeadlinePassed';
  }
}

/**
 * The work's result, or DeadlinePassed once seconds have gone by (after calling onTimeout, which stops what
 * the work waits on: the work itself cannot be cancelled).
 */
export async function withDeadline<T>(seconds: number, work: Promise<T>, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new DeadlinePassed(seconds));
    }, seconds * 1000);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    // The work may still fail once its process is gone; that is not a second error.
    work.catch(() => undefined);
  }
}
