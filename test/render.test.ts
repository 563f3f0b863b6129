import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { csvField, neutraliseFormula, writeEvidenceCsv } from '../src/render/csv.ts';
import { readResult } from '../src/evaluate/read-result.ts';
import { renderHtml, writeReportHtml } from '../src/render/html.ts';
import { loadTemplates } from '../src/render/templates.ts';
import { onlyPack, runCliInProcess, tempDir } from './helpers.ts';

describe('rendering', () => {
  it('--templates overrides any subset of the templates and falls back to the built-ins', async (t) => {
    const work = tempDir(t);
    mkdirSync(join(work, 'tpl', 'partials'), { recursive: true });
    writeFileSync(join(work, 'tpl', 'partials', 'cover.hbs'), '<section class="cover"><h1>Custom cover for {{organization}}</h1></section>');
    writeFileSync(join(work, 'tpl', 'report.css'), 'body { color: #123456; }');
    const r = await runCliInProcess(['run', '--out', join(work, 'out'), '--no-pdf', '--templates', join(work, 'tpl')]);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(join(onlyPack(join(work, 'out')), 'report.html'), 'utf8');
    assert.ok(html.includes('<h1>Custom cover for Example Corp (sample estate)</h1>'));
    assert.ok(html.includes('body { color: #123456; }'));
    assert.ok(html.includes('id="summary"'), 'built-in summary partial still used');
    writeFileSync(join(work, 'tpl', 'partials', 'cover.hbs'), '{{#each}}');
    const broken = await runCliInProcess(['run', '--out', join(work, 'out2'), '--no-pdf', '--templates', join(work, 'tpl')]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^evidence-pack: --templates .*\/tpl: Parse error on line 1: \{\{#each\}\} \(Expecting /);
  });

  it('--only writes just the reports named; an unknown one is exit 2', async (t) => {
    const work = join(tempDir(t), 'work');
    assert.equal((await runCliInProcess(['evaluate', '--out', work, '-q'])).code, 0);
    const r = await runCliInProcess(['render', work, '--no-pdf', '--only', 'html,csv', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout)
        .written.map((f: string) => f.split('/').pop())
        .sort(),
      ['evidence.csv', 'populations', 'report.html', 'samples'],
      'the report cites the populations and samples: written with it',
    );
    assert.ok(!readdirSync(work).includes('oscal-assessment-results.json'), 'OSCAL not written');
    const bad = await runCliInProcess(['render', work, '--no-pdf', '--only', 'html,docx']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^evidence-pack: --only: unknown report "docx" \(choose from html, csv, oscal, ksi, inventory\)\n$/);
  });

  it('writes the same report.html with its rows rendered a batch at a time as rendered whole', async (t) => {
    const work = join(tempDir(t), 'work');
    assert.equal((await runCliInProcess(['evaluate', '--out', work, '-q'])).code, 0);
    const result = readResult(join(work, 'result.json'));
    const pack = { packId: 'pack-x' };
    const file = join(work, 'streamed.html');
    const templates = loadTemplates();
    assert.ok(templates.renderRows, 'the built-in evidence table defers its rows');
    await writeReportHtml(file, templates, result, pack);
    const whole = renderHtml(result, pack);
    assert.ok(whole.includes('<tr class="row-fail">') && !whole.includes('<!--evidence-rows:'), 'rows rendered in place, no marker left');
    assert.equal(readFileSync(file, 'utf8'), whole);
    // A user's own evidence table from before deferred rows is rendered whole, as it always was.
    mkdirSync(join(work, 'tpl', 'partials'), { recursive: true });
    writeFileSync(join(work, 'tpl', 'partials', 'evidence-table.hbs'), '<table>{{#each items}}<tr><td>{{status}}</td></tr>{{/each}}</table>');
    const own = loadTemplates(join(work, 'tpl'));
    assert.equal(own.renderRows, undefined);
    await writeReportHtml(file, own, result, pack);
    assert.ok(readFileSync(file, 'utf8').includes('<tr><td>fail</td></tr>'));
  });

  it('neutralises spreadsheet formulas in CSV cells', async (t) => {
    assert.equal(neutraliseFormula('=HYPERLINK("http://x")'), `'=HYPERLINK("http://x")`);
    for (const s of ['+cmd', '-2+3', '@SUM(A1)']) assert.equal(neutraliseFormula(s), `'${s}`);
    assert.equal(neutraliseFormula('ws-1'), 'ws-1');
    const result = {
      frameworks: [],
      controls: [
        {
          id: 'X-01',
          status: 'fail',
          mappings: {},
          evidence: [
            { source: { kind: 'check', id: 'c', title: 't' }, status: 'fail', account: '1', region: 'r', resource: { type: 'T', id: '=cmd|x' }, message: 'a "quoted", line\nbreak', observedAt: 'now' },
          ],
        },
      ],
    };
    const file = join(tempDir(t), 'evidence.csv');
    await writeEvidenceCsv(result as never, tempDir(t), file);
    const csv = readFileSync(file, 'utf8');
    assert.ok(csv.includes(`'=cmd|x`));
    assert.ok(csv.includes('"a ""quoted"", line\nbreak"'));
  });

  it('writes each streamed CSV field as csv-stringify does (property-based)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { minLength: 1, maxLength: 5 }), (fields) => {
        const library = stringify([fields.map(neutraliseFormula)], { record_delimiter: '\r\n', quoted_match: /[\s,"]/ });
        assert.equal(`${fields.map(csvField).join(',')}\r\n`, library);
      }),
      { numRuns: 500, seed: 20261123 },
    );
  });
});

describe('streamed JSON', () => {
  it('writes the same bytes as JSON.stringify(value, null, 2)', async (t) => {
    const { writeJsonFile } = await import('../src/core/json-stream.ts');
    const value = { a: [1, 'two', null, { b: true, c: [], d: {}, skip: undefined }], e: 'quote " and \u2028', f: new Date(0), g: [undefined, () => 1], n: -0.5 };
    const file = join(tempDir(t), 'x.json');
    await writeJsonFile(file, value);
    assert.equal(readFileSync(file, 'utf8'), `${JSON.stringify(value, null, 2)}\n`);
    const ascii = join(tempDir(t), 'ascii.json');
    const text = { dash: 'a — b', emoji: '\u{1f600}', [`k\u00e9`]: ['\u2192'] };
    await writeJsonFile(ascii, text, { ascii: true });
    assert.ok(/^[\x00-\x7f]*$/.test(readFileSync(ascii, 'utf8')), 'only ASCII written');
    assert.deepEqual(JSON.parse(readFileSync(ascii, 'utf8')), text, 'the same value');
  });
});
