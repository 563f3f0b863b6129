import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addToIndex } from '../src/period/placement.ts';
import { verifyPack } from '../src/sign/verify.ts';
import { cliEntry, packsUnder, pinnedEpoch, root, runCli, runCliInProcess, tempDir } from './helpers.ts';

/** Starts `run` and kills it with SIGKILL as soon as its temporary pack directory exists in out: whether it was killed. */
function killOnceWriting(out: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliEntry, 'run', '--no-pdf', '--out', out], { env: { ...process.env, CI: '1', SOURCE_DATE_EPOCH: pinnedEpoch }, stdio: 'ignore' });
    const poll = setInterval(() => {
      if (existsSync(out) && readdirSync(out).some((n) => n.startsWith('.tmp-'))) child.kill('SIGKILL');
    }, 10);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      resolve(signal === 'SIGKILL');
    });
  });
}

// The loop of 50 kills over a whole run is test/slow/crash.test.ts (npm run test:slow).
describe('crash safety', () => {
  it('a run killed while writing leaves no pack, and the next run clears its leftovers', async (t) => {
    const out = join(tempDir(t), 'out');
    assert.ok(await killOnceWriting(out), 'killed while its temporary pack existed');
    assert.deepEqual(packsUnder(out), [], 'no partial pack');
    assert.notDeepEqual(
      readdirSync(out).filter((n) => n.startsWith('.tmp-')),
      [],
      'the temporary is left until a run clears it',
    );
    const done = await runCliInProcess(['run', '--no-pdf', '--out', out], { SOURCE_DATE_EPOCH: String(Number(pinnedEpoch) + 60) });
    assert.equal(done.code, 0, done.stderr);
    for (const pack of packsUnder(out)) assert.ok((await verifyPack(pack)).ok, pack);
    assert.deepEqual(
      readdirSync(out).filter((n) => n.startsWith('.tmp-')),
      [],
      'no temporary leftovers after a completed run',
    );
  });
});

describe('stale index locks', () => {
  it("a lock left by a crashed run (a directory), and an earlier version's lock files (empty, or a dead process's), are taken over", async (t) => {
    for (const content of ['directory', '', '999999']) {
      const out = join(tempDir(t), 'out');
      const org = join(out, 'example-corp-sample-estate');
      mkdirSync(org, { recursive: true });
      const lock = join(org, 'index.json.lock');
      if (content === 'directory') mkdirSync(lock);
      else writeFileSync(lock, content);
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
  it("writers that all find a crashed run's lock take it over one at a time: no index entry is lost", async (t) => {
    const writers = Array.from({ length: 12 }, (_, i) => i);
    const entry = (i: number) => ({
      period: '2026-10',
      packId: `pack-${String(i).padStart(2, '0')}`,
      path: `2026-10/pack-${i}`,
      generatedAt: `2026-11-01T00:00:${String(i).padStart(2, '0')}.000Z`,
      controls: {} as never,
    });
    for (let round = 0; round < 5; round++) {
      const out = tempDir(t);
      const org = join(out, 'acme');
      mkdirSync(org, { recursive: true });
      // A crashed run's lock (a directory), or an earlier version's (a file naming a dead process).
      if (round % 2) writeFileSync(join(org, 'index.json.lock'), '999999');
      else mkdirSync(join(org, 'index.json.lock'));
      utimesSync(join(org, 'index.json.lock'), new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
      await Promise.all(writers.map((i) => addToIndex(out, 'acme', entry(i))));
      const packs = (JSON.parse(readFileSync(join(org, 'index.json'), 'utf8')) as { packs: { packId: string }[] }).packs.map((p) => p.packId);
      assert.deepEqual(
        packs,
        writers.map((i) => entry(i).packId),
        `round ${round}: each writer held the lock alone`,
      );
      assert.deepEqual(
        readdirSync(org).filter((f) => f.includes('.lock')),
        [],
        'lock and breaker released',
      );
    }
  });
});

describe('index lock and signals', () => {
  it('a run stopped by SIGTERM while it holds the index lock leaves no lock behind', { timeout: 120_000 }, async (t) => {
    const out = tempDir(t);
    mkdirSync(join(out, 'acme'));
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/fixtures/hold-index-lock.ts'), out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        if (String(d).includes('held')) resolve();
      });
      child.on('exit', () => reject(new Error(`stopped before it held the lock: ${stderr}`)));
    });
    assert.ok(existsSync(join(out, 'acme', 'index.json.lock')), 'held while the process runs');
    const code = await new Promise<number | null>((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    assert.equal(code, 143, stderr);
    assert.deepEqual(readdirSync(join(out, 'acme')), [], 'the lock is removed');
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
    assert.deepEqual(
      readdirSync(join(out, 'example-corp-sample-estate')).filter((f) => f.endsWith('.lock')),
      [],
    );
  });
});
