// The signal cases that each need a full run up to Chromium's print: SIGHUP and SIGINT (SIGTERM, the same
// path, stays in test/signals.test.ts), and kill -9, after which the next run clears the dead run's folders.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { processAlive } from '../../src/core/pid.ts';
import { runCli, tempDir } from '../helpers.ts';
import { chromiumsUsing, itStopsWhilePrinting, needsProc, profileOf, startCli, temporaries, waitFor } from '../signal-helpers.ts';

describe('signals while Chromium prints', { skip: needsProc }, () => {
  itStopsWhilePrinting('SIGHUP');
  itStopsWhilePrinting('SIGINT');

  it('kill -9 while Chromium prints: Chromium quits by itself, the next run removes the profile and the .tmp-* pack', { timeout: 300_000 }, async (t) => {
    const work = tempDir(t);
    const out = join(work, 'out');
    const run = startCli(['run', '--out', out]);
    const pid = run.child.pid!;
    const profile = await waitFor('Chromium', () => profileOf(pid), 200_000);
    const browsers = await waitFor('Chromium', () => {
      const p = chromiumsUsing(profile);
      return p.length ? p : undefined;
    });
    run.child.kill('SIGKILL');
    await run.done;
    await waitFor('Chromium to quit once its pipe closed', () => browsers.every((p) => !processAlive(p)), 15_000);
    assert.ok(existsSync(profile) && temporaries(out).length > 0, 'a killed run leaves its folders (nothing can run after kill -9)');
    const again = await runCli(['run', '--out', out]);
    assert.equal(again.code, 0, again.stderr);
    assert.ok(!existsSync(profile), "the next launch removed the dead run's profile folder");
    assert.deepEqual(temporaries(out), [], 'and its .tmp-* pack');
  });
});
