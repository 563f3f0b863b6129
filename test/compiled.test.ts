// The installed command is the compiled JavaScript in dist/: it starts without tsx, and its worker threads
// load their compiled modules (a thread started from source would need tsx, which the package does not ship).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateEstate } from '../src/bench/generate.ts';
import { cliEntry, onlyPack, root, runCli, tempDir } from './helpers.ts';

describe('the compiled command', () => {
  it('is what package.json installs, and imports nothing from src/ or tsx', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    assert.equal(join(root, pkg.bin['evidence-pack']), cliEntry);
    assert.ok(!('tsx' in pkg.dependencies), 'tsx is for development and tests only');
    const compiled = (readdirSync(join(root, 'dist'), { recursive: true }) as string[]).filter((f) => f.endsWith('.js'));
    assert.ok(compiled.length > 100, `dist/ holds the compiled modules (${compiled.length})`);
    for (const f of compiled) {
      const text = readFileSync(join(root, 'dist', f), 'utf8');
      assert.doesNotMatch(text, /from ["']tsx|import\(["']tsx|["'][^"'\n]*\/src\/[^"'\n]*\.ts["']|from ["']\.{1,2}\/[^"'\n]*\.ts["']/, `dist/${f} loads TypeScript or tsx`);
    }
    const bin = readFileSync(cliEntry, 'utf8');
    assert.match(bin, /^#!\/usr\/bin\/env node\n/);
    assert.match(bin, /import\("\.\.\/cli\/cli\.js"\)/);
  });

  it('evaluates delivered snapshot files in compiled worker threads to the same result as on the main thread', { timeout: 600_000 }, async (t) => {
    const evidence = tempDir(t);
    await generateEstate({ items: 600, accounts: 2, regions: 2, out: evidence, seed: 11 });
    const results = [];
    for (const threads of ['0', '2']) {
      const out = join(tempDir(t), 'out');
      const r = await runCli(['run', '--evidence', evidence, '--out', out, '--no-pdf', '--threads', threads, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const result = JSON.parse(readFileSync(join(onlyPack(out), 'result.json'), 'utf8'));
      results.push(JSON.stringify(result.controls.map((c: { id: string; status: string; counts?: unknown }) => [c.id, c.status, c.counts])));
    }
    assert.equal(results[1], results[0]);
  });
});
