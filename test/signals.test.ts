// Signals at points read from the CLI's own files: each command stops with 128 + the signal's number,
// one line on stderr, and nothing of its temporaries (pack folders, profile folders, Chromium) left.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fakeAwsEnv, startFakeAws, type FakeAws } from './fake-aws.ts';
import { processAlive } from '../src/core/pid.ts';
import { cliEntry, pinnedEpoch, root, runCli, tempDir } from './helpers.ts';

interface Running {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startCli(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [cliEntry, ...args], {
    cwd: root,
    env: { ...process.env, CI: '1', SOURCE_DATE_EPOCH: pinnedEpoch, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  return { child, done };
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The profile folder of the Chromium a CLI process started (read from the child's command line). */
function profileOf(pid: number): string | undefined {
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) !== pid) continue;
      const dir = readFileSync(`/proc/${p}/cmdline`, 'utf8')
        .split('\0')
        .find((a) => a.startsWith('--user-data-dir='));
      if (dir) return dir.slice('--user-data-dir='.length);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** Processes whose command line names this profile folder: the Chromium of one print and its helpers. */
function chromiumsUsing(profile: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(profile)) pids.push(Number(p));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const temporaries = (dir: string): string[] => (existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]).filter((p) => /(^|\/)\.tmp-|\.lock$|\.partial$/.test(p)) : []);

describe('signals', { skip: !existsSync('/proc/self/cmdline') && 'needs /proc (Linux) to find the Chromium processes' }, () => {
  let aws: FakeAws;
  before(async () => {
    aws = await startFakeAws({
      account: '444455556666',
      regions: {
        'us-east-1': {
          resources: [{ resourceType: 'AWS::IAM::User', resourceId: 'AIDAFAKE1', resourceName: 'alice', accountId: '444455556666', awsRegion: 'us-east-1', configuration: { userName: 'alice' } }],
          directories: [],
        },
      },
      hold: ['us-east-1|config.SelectResourceConfig'],
    });
  });
  after(() => aws.close());

  it('SIGTERM during collect: exit 143, one line, no .tmp-* folder with raw evidence', { timeout: 120_000 }, async (t) => {
    const work = tempDir(t);
    const run = startCli(['collect', '--region', 'us-east-1', '--out', join(work, 'evidence')], fakeAwsEnv(aws.url));
    const held = await waitFor('the held call', () => aws.calls.get('us-east-1|config.SelectResourceConfig'));
    assert.ok(held);
    const tmp = await waitFor("the collection's temporary folder", () => readdirSync(work).find((n) => n.startsWith('.tmp-')));
    assert.ok((readdirSync(join(work, tmp), { recursive: true }) as string[]).length > 0, 'evidence was being written');
    run.child.kill('SIGTERM');
    const r = await run.done;
    assert.equal(r.code, 143, r.stderr);
    assert.match(r.stderr.trim(), /^evidence-pack: stopped by SIGTERM; its temporary files were removed$/);
    assert.deepEqual(readdirSync(work), [], 'nothing left: no evidence folder, no temporary');
  });

  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    it(`${signal} while Chromium prints: exit ${{ SIGTERM: 143, SIGHUP: 129, SIGINT: 130 }[signal]}, Chromium and its profile gone, no pack`, { timeout: 240_000 }, async (t) => {
      const work = tempDir(t);
      const out = join(work, 'out');
      const run = startCli(['run', '--out', out]);
      const profile = await waitFor('Chromium', () => profileOf(run.child.pid!), 200_000);
      const browsers = await waitFor('Chromium', () => {
        const p = chromiumsUsing(profile);
        return p.length ? p : undefined;
      });
      run.child.kill(signal);
      const r = await run.done;
      assert.equal(r.code, { SIGTERM: 143, SIGHUP: 129, SIGINT: 130 }[signal], r.stderr);
      assert.match(r.stderr.trim(), new RegExp(`^evidence-pack: stopped by ${signal}; its temporary files were removed$`));
      assert.ok(!existsSync(profile), 'profile folder removed');
      const alive = await waitFor(
        'Chromium to be gone',
        () => {
          const a = [...browsers, ...chromiumsUsing(profile)].filter(processAlive);
          return a.length ? false : ([] as number[]);
        },
        5000,
      ).catch(() => [...browsers].filter(processAlive));
      assert.deepEqual(alive, [], 'no Chromium process left');
      assert.deepEqual(temporaries(out), [], 'no temporaries under out/');
      assert.ok(!existsSync(out) || !(readdirSync(out, { recursive: true }) as string[]).some((p) => /pack-/.test(p)), 'no pack');
    });
  }

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
