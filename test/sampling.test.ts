// Issue 24: populations in the pack, reproducible samples (same seed, same sample; another population,
// another default sample), `sample --verify`, sizes from the cited table, and a report whose listed rows
// do not grow with passing items beyond the sample.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { generateEstate } from '../src/bench/generate.ts';
import { drawFromPopulationFile, type SampleDocument } from '../src/sampling/sample.ts';
import { populationColumns } from '../src/sampling/population.ts';
import { listedExceptions } from '../src/sampling/draw.ts';
import { sampleSizeTable, tablePlan } from '../src/sampling/sizes.ts';
import { onlyPack, runCliInProcess, tempDir } from './helpers.ts';
import { sampleRunPack } from './shared-sample.ts';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A population file of `rows` items, every `failEvery`th failing. */
function writePopulation(path: string, rows: number, failEvery = 10, idPrefix = 'bucket'): void {
  const lines = [populationColumns.join(',')];
  for (let row = 1; row <= rows; row++) {
    const status = row % failEvery === 0 ? 'fail' : 'pass';
    const id = `${idPrefix}-${row}`;
    lines.push(
      [
        row,
        `${row}|check:s3-bucket-tls-only|111111111111|us-east-1|AWS::S3::Bucket|${id}`,
        status,
        '111111111111',
        'us-east-1',
        'AWS::S3::Bucket',
        id,
        'check:s3-bucket-tls-only',
        'items/WSAS-03.jsonl',
        row,
      ].join(','),
    );
  }
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
}

const draw = (path: string, seed?: string, plan = tablePlan(95, 5)) =>
  drawFromPopulationFile(path, { control: 'WSAS-03', population: { file: 'populations/WSAS-03.csv', sha256: sha256(path) }, plan, seed });

describe('sample sizes', () => {
  it('are the AICPA Audit Sampling table values for zero expected deviations (Tables A-1, A-2)', () => {
    assert.deepEqual(sampleSizeTable, { 95: { 5: 59, 10: 29 }, 90: { 5: 45, 10: 22 } });
    // The tables' zero-deviation row is the smallest n with (1 - tolerable)^n <= risk of overreliance.
    for (const confidence of [90, 95] as const) {
      for (const tolerable of [5, 10] as const) {
        assert.equal(sampleSizeTable[confidence][tolerable], Math.ceil(Math.log(1 - confidence / 100) / Math.log(1 - tolerable / 100)), `${confidence}/${tolerable}`);
      }
    }
  });
});

describe('drawing a sample from a population file', () => {
  it('gives the same sample for the same seed, and re-derives it with HMAC-SHA256 alone (the README recipe)', async (t) => {
    const path = join(tempDir(t), 'WSAS-03.csv');
    writePopulation(path, 500);
    const a = await draw(path, 'auditor request 1');
    const b = await draw(path, 'auditor request 1');
    assert.deepEqual(a, b);
    assert.equal(a.size, 59);
    assert.equal(a.population.eligible, 450);
    // Without the tool: rank every passing row's key by HMAC-SHA256(seed, key), take the lowest.
    const rows = readFileSync(path, 'utf8')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(','))
      .filter((c) => c[2] === 'pass');
    const ranked = rows.map((c) => ({ row: Number(c[0]), rank: createHmac('sha256', 'auditor request 1').update(c[1]!).digest('hex') })).sort((x, y) => (x.rank < y.rank ? -1 : 1));
    assert.deepEqual(
      a.sample.map((s) => s.row),
      ranked.slice(0, 59).map((r) => r.row),
    );
    const other = await draw(path, 'auditor request 2');
    assert.notDeepEqual(
      other.sample.map((s) => s.row),
      a.sample.map((s) => s.row),
    );
  });

  it("seeds the default sample with the population's sha256: another population gives another sample", async (t) => {
    const dir = tempDir(t);
    writePopulation(join(dir, 'a.csv'), 500);
    writePopulation(join(dir, 'b.csv'), 500, 10, 'bkt'); // same size and statuses, other resources
    const a = await draw(join(dir, 'a.csv'));
    const b = await draw(join(dir, 'b.csv'));
    assert.equal(a.seed, sha256(join(dir, 'a.csv')));
    assert.equal(a.seedSource, 'population-sha256');
    assert.notEqual(a.seed, b.seed);
    assert.notDeepEqual(
      a.sample.map((s) => s.row),
      b.sample.map((s) => s.row),
    );
  });

  it('takes the whole eligible population when it is no larger than the size, and lists exceptions up to the bound', async (t) => {
    const path = join(tempDir(t), 'p.csv');
    writePopulation(path, 1100, 2); // 550 failing, 550 passing
    const small = await draw(path, undefined, { kind: 'given', size: 600 });
    assert.equal(small.size, 550);
    assert.equal(small.exceptions.total, 550);
    assert.equal(small.exceptions.listed.length, listedExceptions);
  });
});

describe("a pack's populations and samples, and sample --verify", () => {
  let pack: string;
  before(async () => {
    pack = await sampleRunPack({ pdf: false });
  });

  it('holds a population file per control, listed in the signed manifest, with its count and sha256 in the report', () => {
    const manifest = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[] };
    const result = JSON.parse(readFileSync(join(pack, 'result.json'), 'utf8')) as { controls: { id: string; assessment: string; counts: Record<string, number> }[] };
    const html = readFileSync(join(pack, 'report.html'), 'utf8');
    for (const c of result.controls) {
      const file = `populations/${c.id}.csv`;
      const entry = manifest.files.find((f) => f.path === file);
      assert.ok(entry, `${file} in the manifest`);
      assert.equal(entry.sha256, sha256(join(pack, file)));
      const rows = readFileSync(join(pack, file), 'utf8').trim().split('\r\n').length - 1;
      assert.equal(
        rows,
        Object.values(c.counts).reduce((a, b) => a + b, 0),
        c.id,
      );
      assert.ok(html.includes(`${rows} evidence item(s): <span class="mono">${file}</span>, SHA-256 <span class="mono wrap">${entry.sha256}</span>`), `${c.id} population in the report`);
      if (c.assessment === 'automated')
        assert.ok(
          manifest.files.some((f) => f.path === `samples/${c.id}.json`),
          `samples/${c.id}.json in the manifest`,
        );
    }
    assert.ok(manifest.files.some((f) => f.path === 'populations/index.json'));
  });

  it("re-derives the pack's default sample (exit 0) and catches an edited sample file (exit 3)", async (t) => {
    const file = join(pack, 'samples/WSAS-05.json');
    const ok = await runCliInProcess(['sample', pack, '--verify', file]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /matches: \d+ of \d+ passing rows of populations\/WSAS-05\.csv/);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as SampleDocument;
    assert.ok(doc.sample.length >= 2 && doc.population.eligible > doc.sample.length - 1);
    const edits: [string, (d: SampleDocument) => void][] = [
      ['a row dropped', (d) => d.sample.pop()],
      ['rows swapped', (d) => d.sample.reverse()],
      [
        'another seed claimed',
        (d) => {
          d.seed = 'f'.repeat(64);
        },
      ],
      [
        'a smaller table size',
        (d) => {
          if (d.plan.kind === 'table') d.plan.size = 2;
          d.sample = d.sample.slice(0, 2);
          d.size = 2;
        },
      ],
    ];
    for (const [what, edit] of edits) {
      const edited = join(tempDir(t), 'edited.json');
      const d = structuredClone(doc);
      edit(d);
      writeFileSync(edited, JSON.stringify(d));
      const r = await runCliInProcess(['sample', pack, '--verify', edited]);
      assert.equal(r.code, 3, `${what}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /^FAILED .*edited\.json: does not match/m, what);
    }
  });

  it("draws an auditor's seed the same way twice, prints method, seed and size, and writes the sample file", async (t) => {
    const dir = tempDir(t);
    const args = ['sample', pack, '--control', 'WSAS-05', '--confidence', '90', '--tolerable-deviation', '10', '--seed', 'FY26 request 3'];
    const a = await runCliInProcess([...args, '--out', join(dir, 'a')]);
    const b = await runCliInProcess([...args, '--out', join(dir, 'b')]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(readFileSync(join(dir, 'a/WSAS-05.json'), 'utf8'), readFileSync(join(dir, 'b/WSAS-05.json'), 'utf8'));
    assert.match(a.stdout, /^Method: rank every population row whose status is "pass" by HMAC-SHA256/m);
    assert.match(a.stdout, /^Size: 90% confidence, 10% tolerable deviation rate, 0 expected deviations: 22 \(AICPA/m);
    assert.match(a.stdout, /seed "FY26 request 3"/);
    const v = await runCliInProcess(['sample', pack, '--verify', join(dir, 'a/WSAS-05.json')]);
    assert.equal(v.code, 0, v.stderr);
    const both = await runCliInProcess(['sample', pack, '--size', '5', '--confidence', '95']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /^evidence-pack: --size: give either a size or --confidence/);
  });
});

describe('the report lists exceptions up to the bound and a sample of passing items, whatever the estate size', () => {
  /** Listed rows per control in report.html, by status. */
  const rowsByControl = (html: string) =>
    new Map(
      [...html.matchAll(/<article class="control" id="control-([^"]+)">([\s\S]*?)<\/article>/g)].map((m) => [
        m[1]!,
        {
          pass: (m[2]!.match(/<tr class="row-pass">/g) ?? []).length,
          exceptions: (m[2]!.match(/<tr class="row-(fail|gap|waived)">/g) ?? []).length,
        },
      ]),
    );

  it('lists min(passing, 59) passing rows a control, for 1,000 and for 3,000 items (no failing resources generated)', async (t) => {
    const passing: number[] = [];
    const listedPassing: number[] = [];
    for (const items of [1000, 3000]) {
      const dir = tempDir(t);
      await generateEstate({ items, accounts: 1, regions: 2, seed: 1, out: join(dir, 'estate'), failRate: 0 });
      const r = await runCliInProcess(['run', '--evidence', join(dir, 'estate'), '--out', join(dir, 'out'), '--no-pdf']);
      assert.equal(r.code, 0, r.stderr);
      const pack = onlyPack(join(dir, 'out'));
      const result = JSON.parse(readFileSync(join(pack, 'result.json'), 'utf8')) as { controls: { id: string; assessment: string; counts: Record<string, number> }[] };
      const rows = rowsByControl(readFileSync(join(pack, 'report.html'), 'utf8'));
      for (const c of result.controls) {
        const n = rows.get(c.id)!;
        const exceptions = c.counts.fail! + c.counts.gap! + c.counts.waived!;
        assert.equal(n.pass, c.assessment === 'automated' ? Math.min(c.counts.pass!, 59) : 0, `${items} items, ${c.id} passing rows`);
        assert.equal(n.exceptions, Math.min(exceptions, listedExceptions), `${items} items, ${c.id} exceptions`);
      }
      passing.push(result.controls.reduce((a, c) => a + c.counts.pass!, 0));
      listedPassing.push([...rows.values()].reduce((a, n) => a + n.pass, 0));
    }
    assert.ok(passing[1]! > 2.5 * passing[0]!, `passing items ${passing.join(' → ')}`);
    assert.ok(listedPassing[1]! <= 59 * 18 && listedPassing[1]! - listedPassing[0]! < 59 * 2, `listed passing rows ${listedPassing.join(' → ')}`);
  });
});
