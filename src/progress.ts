/** Stage progress on a terminal; silent with --quiet, in CI and when stderr is not a TTY. */
export interface Progress {
  stage(label: string): void;
  done(): void;
}

export function createProgress(opts: { quiet?: boolean; total: number; stream?: NodeJS.WriteStream }): Progress {
  const stream = opts.stream ?? process.stderr;
  const active = !opts.quiet && stream.isTTY === true && !process.env.CI;
  let n = 0;
  const started = Date.now();
  return {
    stage(label) {
      if (!active) return;
      n++;
      const width = 20;
      const filled = Math.round(((n - 1) / opts.total) * width);
      stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${n}/${opts.total} ${label}`);
    },
    done() {
      if (!active) return;
      stream.write(`\r\x1b[2K[${'#'.repeat(20)}] done in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
    },
  };
}
