import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgress } from '../src/core/progress.ts';

/** A terminal stand-in: what a TTY on stderr would receive. */
function terminal(isTTY = true) {
  const written: string[] = [];
  return { stream: { isTTY, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream, written };
}

describe('progress on a terminal', () => {
  it('draws each stage and its detail on one line, then the time taken; silent with --quiet, in CI or without a TTY', (t) => {
    const ci = process.env.CI;
    t.after(() => {
      if (ci === undefined) delete process.env.CI;
      else process.env.CI = ci;
    });
    delete process.env.CI;
    const tty = terminal();
    const p = createProgress({ total: 2, stream: tty.stream });
    p.stage('Evaluating evidence');
    p.stage('Printing the PDF');
    p.detail('printed part 3 of 15');
    p.detail('printed part 4 of 15'); // within 100 ms of the last: not drawn
    p.done();
    const lines = tty.written.map((w) => w.replace(/\r\x1b\[2K/, ''));
    assert.deepEqual(lines.slice(0, 3), [
      '[....................] 1/2 Evaluating evidence',
      '[##########..........] 2/2 Printing the PDF',
      '[##########..........] 2/2 Printing the PDF: printed part 3 of 15',
    ]);
    assert.match(lines[3]!, /^\[#{20}\] done in \d+\.\ds\n$/);
    const silent = [terminal(), terminal(false)];
    for (const [i, p2] of [createProgress({ total: 1, quiet: true, stream: silent[0]!.stream }), createProgress({ total: 1, stream: silent[1]!.stream })].entries()) {
      p2.stage(`x${i}`);
      p2.detail('y');
      p2.done();
    }
    process.env.CI = '1';
    const inCi = terminal();
    createProgress({ total: 1, stream: inCi.stream }).stage('x');
    assert.deepEqual([silent[0]!.written, silent[1]!.written, inCi.written], [[], [], []]);
  });
});
