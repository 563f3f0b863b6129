// The CLI as a child process stopped by a signal: shared by test/signals.test.ts (fast lane) and
// test/slow/signals.test.ts (the other signals while Chromium prints, and kill -9).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { processAlive } from '../src/core/pid.ts';
import { cliEntry, pinnedEpoch, root, tempDir } from './helpers.ts';

export interface Running {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): Running {
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

export async function waitFor<T>(what: string, probe: () => T | undefined | false, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The profile folder of the Chromium a CLI process started (read from the child's command line). */
export function profileOf(pid: number): string | undefined {
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
export function chromiumsUsing(profile: string): number[] {
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

export const temporaries = (dir: string): string[] => (existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]).filter((p) => /(^|\/)\.tmp-|\.lock$|\.partial$/.test(p)) : []);

export const needsProc = !existsSync('/proc/self/cmdline') && 'needs /proc (Linux) to find the Chromium processes';

const exitCodes = { SIGTERM: 143, SIGHUP: 129, SIGINT: 130 } as const;

/** A `run` stopped by this signal while Chromium prints: its exit code, one line, Chromium and its profile gone, no pack. */
export function itStopsWhilePrinting(signal: keyof typeof exitCodes): void {
  it(`${signal} while Chromium prints: exit ${exitCodes[signal]}, Chromium and its profile gone, no pack`, { timeout: 240_000 }, async (t) => {
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
    assert.equal(r.code, exitCodes[signal], r.stderr);
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
