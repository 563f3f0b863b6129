// Inputs and dependencies that used to end in exit 1 ("internal error"): each is one line and its documented code.
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, runCliInProcess, tempDir } from './helpers.ts';

const laughs = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...Array.from({ length: 8 }, (_, i) => {
    const me = String.fromCharCode(98 + i);
    const prev = String.fromCharCode(97 + i);
    return `${me}: &${me} [${Array(9).fill(`*${prev}`).join(',')}]`;
  }),
].join('\n');

describe('exit codes where 1 was given', () => {
  it('a YAML billion-laughs settings file: exit 2 naming the file', { timeout: 180_000 }, async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'evidence-pack.yaml');
    writeFileSync(file, `${laughs}\n`);
    const r = await runCliInProcess(['run', '--no-pdf', '--config', file, '--out', join(dir, 'out')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr.trim(), new RegExp(`^evidence-pack: ${file}: .*alias`, 'i'));
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  for (const [name, script] of [
    ['exits 1 at once', '#!/bin/sh\necho "chromium: cannot open display" >&2\nexit 1\n'],
    ['crashes (killed by SIGSEGV)', '#!/bin/sh\nkill -SEGV $$\n'],
  ] as const) {
    it(`a Chromium that ${name}: exit 4, one line naming it`, { timeout: 120_000 }, async (t) => {
      const dir = tempDir(t);
      const fake = join(dir, 'chromium');
      writeFileSync(fake, script);
      chmodSync(fake, 0o755);
      const r = await runCliInProcess(['run', '--out', join(dir, 'out')], { EVIDENCE_PACK_CHROMIUM: fake });
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr.trim(), new RegExp(`^evidence-pack: Chromium \\(${fake}\\) did not start: .*--no-pdf skips the PDF$`));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });
  }
});

describe('two runs at once with one SOURCE_DATE_EPOCH', () => {
  it('one writes the pack, the other exits 2 in one line; nothing half-written', { timeout: 180_000 }, async (t) => {
    const out = join(tempDir(t), 'out');
    const runs = await Promise.all([0, 1, 2].map(() => runCli(['run', '--no-pdf', '-q', '--out', out])));
    const codes = runs.map((r) => r.code).sort();
    assert.deepEqual(codes, [0, 2, 2], runs.map((r) => r.stderr).join('\n'));
    for (const r of runs.filter((x) => x.code === 2)) {
      assert.match(
        r.stderr.trim(),
        /^evidence-pack: .*pack-20261101T000000Z-[0-9a-f]+: already exists( \(written by another run meanwhile; use --force to replace it\)| \(use --force to replace it\))$/,
      );
    }
    assert.deepEqual(
      (readdirSync(out, { recursive: true }) as string[]).filter((p) => p.includes('.tmp-')),
      [],
    );
  });
});
