import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserError } from '../src/core/errors.ts';
import { workerPool } from '../src/core/worker-pool.ts';

const dying = new URL('./fixtures/dying-thread.ts', import.meta.url);
type Job = { n: number; die?: boolean; userError?: boolean };

describe('worker pool', () => {
  it('a job whose worker dies rejects; the worker is replaced and later jobs succeed', { timeout: 60_000 }, async () => {
    const pool = workerPool<Job, number>(dying, 2, {});
    try {
      assert.equal(await pool.run({ n: 1 }), 2);
      await assert.rejects(pool.run({ n: 2, die: true }), /worker thread stopped before it answered \(worker exited with code: 7\)/);
      await assert.rejects(pool.run({ n: 3, die: true }), /worker thread stopped before it answered \(worker exited with code: 7\)/);
      // Both original workers may be gone by now: the jobs after still run.
      assert.deepEqual(await Promise.all([4, 5, 6].map((n) => pool.run({ n }))), [8, 10, 12]);
    } finally {
      await pool.stop();
    }
  });

  it('with one thread, jobs queued behind a job that kills it still settle', { timeout: 60_000 }, async () => {
    const pool = workerPool<Job, number>(dying, 1, {});
    try {
      const settled = await Promise.allSettled([pool.run({ n: 1, die: true }), pool.run({ n: 2 }), pool.run({ n: 3 })]);
      assert.equal(settled[0]!.status, 'rejected');
      assert.deepEqual(settled.slice(1), [
        { status: 'fulfilled', value: 4 },
        { status: 'fulfilled', value: 6 },
      ]);
    } finally {
      await pool.stop();
    }
  });

  it('jobs for a module no thread can load all reject', { timeout: 60_000 }, async () => {
    const pool = workerPool<number, number>(new URL('./fixtures/unloadable-thread.ts', import.meta.url), 1, {});
    try {
      const settled = await Promise.allSettled([1, 2, 3].map((n) => pool.run(n)));
      for (const s of settled) assert.match(s.status === 'rejected' ? String(s.reason) : 'fulfilled', /worker thread stopped before it answered \(.*this module cannot load\)/);
    } finally {
      await pool.stop();
    }
  });

  it('a UserError in a thread arrives as its one line and exit code', { timeout: 60_000 }, async () => {
    const pool = workerPool<Job, number>(dying, 1, {});
    try {
      const e = await pool.run({ n: 1, userError: true }).catch((err: unknown) => err);
      assert.ok(e instanceof UserError, String(e));
      assert.equal(e.message, 'job 1: refused');
      assert.equal(e.exitCode, 3);
    } finally {
      await pool.stop();
    }
  });
});
