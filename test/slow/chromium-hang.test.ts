// A Chromium that stops answering: while printing (it took the DevTools connection, then never answers
// Page.printToPDF) or from the start (it never answers at all). The run must end within a deadline scaled
// by the HTML's size, with exit 4 and one line, Chromium's process tree killed and nothing left behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { processAlive } from '../../src/core/pid.ts';
import { runCli, tempDir } from '../helpers.ts';

const realChromium =
  ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync) ??
  (spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).stdout.trim() || undefined);

/**
 * A "Chromium" that starts the real one and relays the DevTools pipe (fd 3 in, fd 4 out, NUL-separated JSON),
 * except Page.printToPDF, which it swallows: the browser then never answers the print.
 */
function swallowingPrint(dir: string, real: string, marker: string): string {
  const file = join(dir, 'chromium');
  writeFileSync(
    file,
    `#!${process.execPath}
const { spawn } = require('node:child_process');
const fs = require('node:fs');
fs.writeFileSync(${JSON.stringify(marker)}, String(process.pid));
const child = spawn(${JSON.stringify(real)}, process.argv.slice(2), { stdio: ['ignore', 'inherit', 'inherit', 'pipe', 'pipe'] });
const fromPuppeteer = fs.createReadStream(null, { fd: 3 });
const toPuppeteer = fs.createWriteStream(null, { fd: 4 });
let pending = '';
fromPuppeteer.on('data', (chunk) => {
  pending += chunk.toString('utf8');
  let end;
  while ((end = pending.indexOf('\\0')) >= 0) {
    const message = pending.slice(0, end);
    pending = pending.slice(end + 1);
    if (JSON.parse(message).method === 'Page.printToPDF') continue;
    child.stdio[3].write(message + '\\0');
  }
});
child.stdio[4].pipe(toPuppeteer);
`,
  );
  chmodSync(file, 0o755);
  return file;
}

/** A "Chromium" that starts and never answers anything. */
function silent(dir: string, marker: string): string {
  const file = join(dir, 'chromium');
  writeFileSync(file, `#!/bin/sh\necho $$ > ${JSON.stringify(marker)}\nexec sleep 600\n`);
  chmodSync(file, 0o755);
  return file;
}

function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text)) pids.push(Number(p));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

describe('a Chromium that stops answering', { skip: !existsSync('/proc/self/cmdline') && 'needs /proc (Linux) to find the processes' }, () => {
  const cases = [
    {
      name: 'mid-print (Page.printToPDF never answered)',
      make: (dir: string, marker: string) => swallowingPrint(dir, realChromium!, marker),
      needsReal: true,
      step: /^evidence-pack: Chromium did not answer within \d+ s while printing \S+\.print-report\.html \([\d.]+ MB of HTML\); Chromium was stopped; EVIDENCE_PACK_PRINT_TIMEOUT sets the limit, or --no-pdf skips the PDF$/,
    },
    {
      name: 'from the start (the DevTools connection is never answered)',
      make: silent,
      needsReal: false,
      step: /^evidence-pack: Chromium \(\S+\) did not answer within \d+ s of starting; Chromium was stopped; check it runs \(\S+ --headless --version\), or --no-pdf skips the PDF$/,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: exit 4 within the deadline, one line, no process, profile or pack left`, { timeout: 600_000, skip: c.needsReal && !realChromium && 'needs a real Chromium to relay' }, async (t) => {
      const dir = tempDir(t);
      // Short, as a system's temporary folder is: Chromium's socket path must fit in 108 bytes.
      const tmp = mkdtempSync('/tmp/ep-');
      t.after(() => rmSync(tmp, { recursive: true, force: true }));
      const marker = join(dir, 'fake.pid');
      const fake = c.make(dir, marker);
      const out = join(dir, 'out');
      const started = Date.now();
      const r = await runCli(['run', '-q', '--out', out], { EVIDENCE_PACK_CHROMIUM: fake, EVIDENCE_PACK_PRINT_TIMEOUT: '10', TMPDIR: tmp });
      const seconds = (Date.now() - started) / 1000;
      t.diagnostic(`${c.name}: exit ${r.code} after ${seconds.toFixed(1)} s`);
      assert.ok(existsSync(marker), 'the fake Chromium was started');
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr.trimEnd(), c.step);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      // The deadline it gave up at is the short one set above, not the default two minutes (the wall-clock time
      // of the whole run is not a bound: it includes evaluating and rendering on a machine of any load).
      const deadline = Number(/within (\d+) s/.exec(r.stderr)?.[1]);
      assert.ok(deadline >= 10 && deadline < 120, `gave up after a deadline of ${deadline} s`);
      assert.deepEqual(processesMentioning(tmp), [], 'no Chromium (or fake) process left');
      assert.ok(!processAlive(Number(readFileSync(marker, 'utf8'))), 'the fake Chromium itself was killed');
      // tsx-*: the test runner's own compile cache.
      assert.deepEqual(
        readdirSync(tmp).filter((f) => !f.startsWith('tsx-')),
        [],
        'no profile or Chromium temporary folder left',
      );
      assert.deepEqual(existsSync(out) ? (readdirSync(out, { recursive: true }) as string[]).filter((p) => /pack-|\.tmp-|\.print-/.test(p)) : [], [], 'no pack, partial pack or print scratch file');
    });
  }
});
