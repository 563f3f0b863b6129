// The crash loop: 50 runs killed at points spread over a whole run (about 3 minutes on 2 cores); the fast
// lane's test/crash.test.ts kills one run once its temporary pack exists.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { verifyPack } from '../../src/sign/verify.ts';
import { cliEntry, packsUnder, pinnedEpoch, runCli, tempDir } from '../helpers.ts';

/** Starts `run` at its own pinned minute and kills it with SIGKILL after `ms` milliseconds (or lets it finish). */
function runAndKill(out: string, ms: number, minute: number): Promise<void> {
  return new Promise((resolve) => {
    const env = { ...process.env, CI: '1', SOURCE_DATE_EPOCH: String(Number(pinnedEpoch) + 60 * minute) };
    const child = spawn(process.execPath, [cliEntry, 'run', '--no-pdf', '--out', out], { env, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('crash safety', () => {
  it('a run killed at any moment leaves no partial pack, and the next run clears its leftovers', async (t) => {
    const work = tempDir(t);
    const out = join(work, 'out');
    mkdirSync(out);
    // How long one run takes on this machine, so that the kill points cover it from start-up to just past the end.
    const started = Date.now();
    assert.equal((await runCli(['run', '--no-pdf', '--out', join(work, 'timing')])).code, 0);
    const full = Date.now() - started;
    // 50 kill points spread over start-up, evaluation, rendering, signing, archiving and the finished run (up to twice
    // the measured length, since the machine's load varies while the suite runs).
    for (let i = 0; i < 50; i++) await runAndKill(out, Math.round(full * (0.1 + (1.9 * ((i * 37) % 50)) / 49)), i + 1);
    const packs = packsUnder(out);
    for (const pack of packs) {
      const r = await verifyPack(pack);
      assert.ok(r.ok, `${pack} is complete and verifies: ${JSON.stringify(r.problems)}`);
    }
    t.diagnostic(
      `hostile/kills: 50 runs killed between ${Math.round(full * 0.1)} and ${Math.round(full * 2)} ms (a run takes ${full} ms): ${packs.length} finished a complete pack first, ${50 - packs.length} left none`,
    );
    const done = await runCli(['run', '--no-pdf', '--out', out], { SOURCE_DATE_EPOCH: String(Number(pinnedEpoch) + 60 * 51) });
    assert.equal(done.code, 0, done.stderr);
    assert.deepEqual(
      readdirSync(out).filter((n) => n.startsWith('.tmp-')),
      [],
      'no temporary leftovers after a completed run',
    );
  });
});
