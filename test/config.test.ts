import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { onlyPack, runCliInProcess, tempDir } from './helpers.ts';

// A 1x1 PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('evidence-pack.yaml', () => {
  it('init writes a starter file that loads, and refuses to overwrite it', async (t) => {
    const dir = tempDir(t);
    const r = await runCliInProcess(['init'], {}, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(dir, 'evidence-pack.yaml'), 'utf8'), /^# evidence-pack\.yaml/);
    assert.equal((await runCliInProcess(['init'], {}, dir)).code, 2);
    const run = await runCliInProcess(['run', '--no-pdf'], {}, dir);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(existsSync(join(dir, 'out')), 'default out/ relative to where it runs');
  });

  it('supplies settings that flags override, with paths relative to the file', async (t) => {
    const dir = tempDir(t);
    mkdirSync(join(dir, 'branding'));
    writeFileSync(join(dir, 'branding', 'logo.png'), png);
    writeFileSync(join(dir, 'settings.yaml'), 'organization: Config Corp\nout: packs\npaper: Letter\nlogo: branding/logo.png\naccent: "#aa3300"\ncollect:\n  region: [us-east-1]\n');
    const r = await runCliInProcess(['run', '--config', join(dir, 'settings.yaml'), '--no-pdf', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const pack = onlyPack(join(dir, 'packs'));
    const html = readFileSync(join(pack, 'report.html'), 'utf8');
    assert.ok(html.includes('<p class="org">Config Corp</p>'));
    assert.ok(html.includes('<style>:root { --accent: #aa3300; }</style>'));
    assert.ok(html.includes('src="data:image/png;base64,'));
    const flagged = await runCliInProcess(['run', '--config', join(dir, 'settings.yaml'), '--no-pdf', '--organization', 'Flag Corp', '--out', join(dir, 'other')]);
    assert.equal(flagged.code, 0, flagged.stderr);
    assert.ok(readFileSync(join(onlyPack(join(dir, 'other')), 'report.html'), 'utf8').includes('<p class="org">Flag Corp</p>'));
  });

  it('reports unknown keys and wrong values with file, line and key', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'evidence-pack.yaml'), 'organization: X\npapr: A4\n');
    const unknown = await runCliInProcess(['run', '--no-pdf'], {}, dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^evidence-pack: evidence-pack\.yaml(:\d+)?: papr: unknown field\n$/);
    writeFileSync(join(dir, 'evidence-pack.yaml'), 'organization: X\npaper: A5\n');
    const wrong = await runCliInProcess(['run', '--no-pdf'], {}, dir);
    assert.match(wrong.stderr, /^evidence-pack: evidence-pack\.yaml:2: paper: must be equal to one of the allowed values: A4, Letter\n$/);
    writeFileSync(join(dir, 'evidence-pack.yaml'), 'accent: red\n');
    assert.match((await runCliInProcess(['run', '--no-pdf'], {}, dir)).stderr, /evidence-pack\.yaml:1: accent: must match pattern/);
  });
});
