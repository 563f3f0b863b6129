import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, runCliInProcess, tempDir } from './helpers.ts';

interface Fault {
  name: string;
  args: (work: string) => string[];
  expect: RegExp;
  out: (work: string) => string;
  /** Run in a child process: run in-process, the test could not unmount the full tmpfs afterwards (EBUSY). */
  child?: boolean;
}

/** A small tmpfs, when this machine lets the test mount one (root on Linux); else undefined and the case is skipped. */
function smallFs(t: { after(fn: () => void): void }, options: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'evidence-pack-fs-'));
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]).status !== 0) {
    rmdirSync(dir);
    return undefined;
  }
  t.after(() => {
    spawnSync('umount', [dir]);
    rmdirSync(dir);
  });
  return dir;
}

describe('faults: bad output places and templates that throw', () => {
  it('each gives one line and exit 2, and leaves no pack or temporary directory', { timeout: 300_000 }, async (t) => {
    const work = tempDir(t);
    const templates = (name: string, files: Record<string, string>) => {
      const dir = join(work, name);
      mkdirSync(join(dir, 'partials'), { recursive: true });
      for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
      return dir;
    };
    writeFileSync(join(work, 'a-file'), 'not a directory');
    const faults: Fault[] = [
      {
        name: 'a missing partial',
        args: (w) => ['--templates', templates('t1', { 'report.hbs': '{{> nosuch}}' }), '--out', join(w, 'o1')],
        expect: /--templates .*t1: The partial nosuch could not be found$/,
        out: (w) => join(w, 'o1'),
      },
      {
        name: 'a template that does not parse',
        args: (w) => ['--templates', templates('t2', { 'partials/cover.hbs': '{{#each controls}}\n{{/if}}', 'report.hbs': '{{> cover}}' }), '--out', join(w, 'o2')],
        expect: /--templates .*t2: each doesn't match if/,
        out: (w) => join(w, 'o2'),
      },
      {
        name: 'a helper that throws',
        args: (w) => ['--templates', templates('t3', { 'report.hbs': '{{day generatedAt "No/Such_Zone"}}' }), '--out', join(w, 'o3')],
        expect: /--templates .*t3: /,
        out: (w) => join(w, 'o3'),
      },
      {
        name: 'an output path under a file',
        args: (w) => ['--out', join(w, 'a-file', 'out')],
        expect: /a-file\/out: cannot write the output directory \(ENOTDIR\)$/,
        out: (w) => join(w, 'a-file', 'out'),
      },
    ];
    if (existsSync('/proc/self'))
      faults.push({
        name: 'an output path where mkdir -p never returns (/proc)',
        args: () => ['--out', '/proc/evidence-pack-out'],
        expect: /\/proc\/evidence-pack-out: cannot write the output directory \(ENOENT\)$/,
        out: () => '/proc/evidence-pack-out',
      });
    const full = smallFs(t, 'size=600k');
    if (full) {
      faults.push({
        name: 'a full file system',
        args: () => ['--out', join(full, 'out')],
        expect: /cannot write the output: no space left on the device \(ENOSPC\); nothing was left behind$/,
        out: () => join(full, 'out'),
        child: true,
      });
    } else {
      t.diagnostic('full and read-only file systems: skipped (mounting a tmpfs needs root on Linux)');
    }
    const readOnly = smallFs(t, 'size=1m,ro');
    if (readOnly) {
      faults.push({
        name: 'a read-only file system',
        args: () => ['--out', join(readOnly, 'out')],
        expect: /\/out: cannot write the output directory \(EROFS\)$/,
        out: () => join(readOnly, 'out'),
        child: true,
      });
    }

    let clean = 0;
    for (const f of faults) {
      const r = await (f.child ? runCli : runCliInProcess)(['run', '--no-pdf', ...f.args(work)]);
      assert.equal(r.code, 2, `${f.name}: ${r.stderr}`);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, `${f.name}: one line`);
      assert.match(r.stderr.trimEnd(), f.expect, f.name);
      const out = f.out(work);
      assert.ok(!existsSync(out) || readdirSync(out, { recursive: true }).length === 0, `${f.name}: nothing written`);
      clean++;
    }
    t.diagnostic(`hostile/faults: ${faults.length} cases, ${clean} one-line errors with exit 2, 0 partial packs`);
  });
});
