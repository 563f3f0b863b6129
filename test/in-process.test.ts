import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interruptSignals } from '../src/core/interrupt.ts';
import { runCli, runCliInProcess, tempDir } from './helpers.ts';

describe('the CLI run in-process (runCliInProcess)', () => {
  it('gives what the subprocess gives: exit code, stdout and stderr', async () => {
    for (const args of [['--version'], ['verify'], ['bogus-command'], ['run', '--threads', '0.5'], ['verify', '/nonexistent-pack']]) {
      const [child, inProcess] = [await runCli(args), await runCliInProcess(args)];
      assert.deepEqual(inProcess, child, args.join(' '));
    }
  });

  it('prints help without ending the process', async () => {
    const r = await runCliInProcess(['verify', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^evidence-pack verify <pack>/);
  });

  it('runs with the env overlay and the cwd, and puts them all back after', async (t) => {
    const before = { env: { ...process.env }, cwd: process.cwd(), exitCode: process.exitCode, listeners: interruptSignals.map((s) => process.listeners(s).length) };
    const dir = tempDir(t);
    // init writes into the cwd; an undefined value removes a variable for the run only.
    process.env.EVIDENCE_PACK_TEST_REMOVED = 'kept';
    t.after(() => {
      delete process.env.EVIDENCE_PACK_TEST_REMOVED;
    });
    const r = await runCliInProcess(['init'], { EVIDENCE_PACK_TEST_ADDED: 'x', EVIDENCE_PACK_TEST_REMOVED: undefined }, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Wrote evidence-pack\.yaml/);
    assert.equal(process.cwd(), before.cwd);
    assert.equal(process.env.EVIDENCE_PACK_TEST_ADDED, undefined);
    assert.equal(process.env.EVIDENCE_PACK_TEST_REMOVED, 'kept');
    assert.equal(process.env.SOURCE_DATE_EPOCH, before.env.SOURCE_DATE_EPOCH);
    assert.equal(process.exitCode, before.exitCode);
    assert.deepEqual(
      interruptSignals.map((s) => process.listeners(s).length),
      before.listeners,
      'no signal listener left behind',
    );
  });

  it('runs calls made at once one after the other, each with its own environment', async (t) => {
    const cwd = process.cwd();
    const dirs = [tempDir(t), tempDir(t)];
    const results = await Promise.all(dirs.map((d) => runCliInProcess(['init'], {}, d)));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    // a second init in the same directory refuses: each call ran in its own cwd, not the other's
    const again = await runCliInProcess(['init'], {}, dirs[0]);
    assert.equal(again.code, 2);
    assert.equal(process.cwd(), cwd);
  });
});
