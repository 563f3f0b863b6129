import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addToIndex } from '../src/period/placement.ts';
import { verifyPack } from '../src/sign/verify.ts';
import { cliEntry, packsUnder, pinnedEpoch, runCli, runCliInProcess, tempDir } from './helpers.ts';

/** Starts `run` and kills it with SIGKILL as soon as its temporary pack directory exists in out: whether it was killed. */
function killOnceWriting(out: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliEntry, 'run', '--no-pdf', '--out', out], { env: { ...process.env, CI: '1', SOURCE_DATE_EPOCH: pinnedEpoch }, stdio: 'ignore' });
    const poll = setInterval(() => {
      if (existsSync(out) && readdirSync(out).some((n) => n.startsWith('.tmp-'))) child.kill('SIGKILL');
    }, 10);
    child.on('exit', (_code, signal) => { clearInterval(poll); resolve(signal === 'SIGKILL'); });
  });
}

// The loop of 50 kills over a whole run is test/slow/crash.test.ts (npm run test:slow).
describe('crash safety', () => {
  it('a run killed while writing leaves no pack, and the next run clears its leftovers', async (t) => {
    const out = join(tempDir(t), 'out');
    assert.ok(await killOnceWriting(out), 'killed while its temporary pack existed');
    assert.deepEqual(packsUnder(out), [], 'no partial pack');
    assert.notDeepEqual(readdirSync(out).filter((n) => n.startsWith('.tmp-')), [], 'the temporary is left until a run clears it');
    const done = await runCliInProcess(['run', '--no-pdf', '--out', out], { SOURCE_DATE_EPOCH: String(Number(pinnedEpoch) + 60) });
    assert.equal(done.code, 0, done.stderr);
    for (const pack of packsUnder(out)) assert.ok((await verifyPack(pack)).ok, pack);
    assert.deepEqual(readdirSync(out).filter((n) => n.startsWith('.tmp-')), [], 'no temporary leftovers after a completed run');
  });
});

describe('stale index locks', () => {
  it('an empty lock left by a run killed while taking it, and a lock of a dead process, are taken over', async (t) => {
    for (const content of ['', '999999']) {
      const out = join(tempDir(t), 'out');
      const org = join(out, 'example-corp-sample-estate');
      mkdirSync(org, { recursive: true });
      const lock = join(org, 'index.json.lock');
      writeFileSync(lock, content);
      // Long before any run (not "a minute ago" by this process's clock: under faketime each process's clock starts anew).
      const longAgo = new Date('2020-01-01T00:00:00Z');
      utimesSync(lock, longAgo, longAgo);
      // A lock that is not taken over is waited on and then refused ("held by process …"): exit 0 means taken over.
      // (No wall-clock bound here: under load a run alone can take half a minute.)
      const r = await runCliInProcess(['run', '--no-pdf', '--out', out]);
      assert.equal(r.code, 0, `lock ${JSON.stringify(content)} not taken over: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /held by process/);
      assert.ok(!existsSync(lock), 'released');
    }
  });

  // (The race this guards against, a waiter removing the lock another has just taken, needs two processes' timing;
  // here the breaker is exercised by many writers at once: none is lost, none deadlocks, nothing is left behind.)
  it('writers that all find a dead holder\'s lock take it over one at a time: no index entry is lost', async (t) => {
    const writers = Array.from({ length: 12 }, (_, i) => i);
    const entry = (i: number) => ({ period: '2026-10', packId: `pack-${String(i).padStart(2, '0')}`, path: `2026-10/pack-${i}`, generatedAt: `2026-11-01T00:00:${String(i).padStart(2, '0')}.000Z`, controls: {} as never });
    for (let round = 0; round < 5; round++) {
      const out = tempDir(t);
      const org = join(out, 'acme');
      mkdirSync(org, { recursive: true });
      writeFileSync(join(org, 'index.json.lock'), '999999');
      await Promise.all(writers.map((i) => addToIndex(out, 'acme', entry(i))));
      const packs = (JSON.parse(readFileSync(join(org, 'index.json'), 'utf8')) as { packs: { packId: string }[] }).packs.map((p) => p.packId);
      assert.deepEqual(packs, writers.map((i) => entry(i).packId), `round ${round}: each writer held the lock alone`);
      assert.deepEqual(readdirSync(org).filter((f) => f.includes('.lock')), [], 'lock and breaker released');
    }
  });
});

describe('concurrent runs', () => {
  it('two runs into the same out directory both complete, and the index lists both', async (t) => {
    const out = join(tempDir(t), 'out');
    const [a, b] = await Promise.all([
      runCli(['run', '--no-pdf', '--out', out, '--period', '2026-10'], { SOURCE_DATE_EPOCH: '1793491200' }),
      runCli(['run', '--no-pdf', '--out', out, '--period', '2026-10'], { SOURCE_DATE_EPOCH: '1793491260' }),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const packs = packsUnder(out);
    assert.equal(packs.length, 2);
    for (const p of packs) assert.ok((await verifyPack(p)).ok);
    const index = JSON.parse(readFileSync(join(out, 'example-corp-sample-estate', 'index.json'), 'utf8'));
    assert.equal(index.packs.length, 2);
    assert.deepEqual(readdirSync(join(out, 'example-corp-sample-estate')).filter((f) => f.endsWith('.lock')), []);
  });
});
