/** Stage progress on a terminal; silent with --quiet, in CI and when stderr is not a TTY. */
export interface Progress {
  stage(label: string): void;
  /** Within the current stage: what it is doing now (e.g. "part 3 of 15"), on the same line. */
  detail(text: string): void;
  done(): void;
}

export function createProgress(opts: { quiet?: boolean; total: number; stream?: NodeJS.WriteStream }): Progress {
  const stream = opts.stream ?? process.stderr;
  const active = !opts.quiet && stream.isTTY === true && !process.env.CI;
  let n = 0;
  let current = '';
  const started = Date.now();
  let drawnAt = 0;
  const draw = (text: string) => {
    const width = 20;
    const filled = Math.round(((n - 1) / opts.total) * width);
    stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${n}/${opts.total} ${text}`);
  };
  return {
    stage(label) {
      if (!active) return;
      n++;
      current = label;
      draw(label);
    },
    detail(text) {
      // Called per file or part: redrawn at most ten times a second.
      if (!active || Date.now() - drawnAt < 100) return;
      drawnAt = Date.now();
      draw(`${current}: ${text}`);
    },
    done() {
      if (!active) return;
      stream.write(`\r\x1b[2K[${'#'.repeat(20)}] done in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
    },
  };
}
