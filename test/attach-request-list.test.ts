// attach --request-list: the sample as a CSV the auditor ticks off, attached to Jira (fake server on 127.0.0.1).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { requestListColumns } from '../src/attach/request-list.ts';
import type { SampleDocument } from '../src/sampling/sample.ts';
import { formOf, startFakeTickets, type FakeTickets } from './fake-tickets.ts';
import { pinnedTo, runCliInProcess, tempDir, untilExit } from './helpers.ts';
import { sampleRunPack } from './shared-sample.ts';

describe("attach --request-list: the sample as the auditor's request list", () => {
  let api: FakeTickets;
  let work: string;
  let pack: string;
  let packId: string;
  let archive: string;
  let pin: string[];
  const env = () => ({ JIRA_API_TOKEN: 'jira-token-0123456789abcdef', JIRA_EMAIL: 'auditor@example.org' });
  const jira = (...extra: string[]) => runCliInProcess(['attach', archive, ...pin, '--jira', api.url, '--issue', 'AUDIT-42', ...extra], env());
  const listName = () => `${packId}-request-list.csv`;
  const uploaded = async () => {
    const names: string[] = [];
    let csv: string | undefined;
    for (const q of api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/attachments'))) {
      const file = (await formOf(q)).get('file') as File;
      names.push(file.name);
      if (file.name === listName()) csv = await file.text();
    }
    return { names, csv };
  };
  /** The CSV's lines as cells: the heading lines, then the item table from its header on. */
  const table = (csv: string) => {
    const lines = parse(csv, { relax_column_count: true, skip_empty_lines: true }) as string[][];
    const at = lines.findIndex((l) => l[0] === requestListColumns[0]);
    assert.ok(at > 0, 'the item table has its header');
    return { heading: lines.slice(0, at), header: lines[at]!, rows: lines.slice(at + 1) };
  };
  const sampleOf = (control: string) => JSON.parse(readFileSync(join(pack, 'samples', `${control}.json`), 'utf8')) as SampleDocument;

  before(async () => {
    api = await startFakeTickets();
    work = tempDir(untilExit);
    pack = await sampleRunPack({ pdf: false });
    packId = pack.split('/').pop()!;
    archive = `${pack}.zip`;
    pin = pinnedTo(pack);
  });
  after(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
    api.stored.attachments.length = 0;
    api.stored.comments.length = 0;
  });

  it('attaches the default samples as a CSV: pack id, population sha256, seed, method and size first, then one row per sampled item', { timeout: 120_000 }, async () => {
    const r = await jira('--request-list', 'WSAS-02,WSAS-03');
    assert.equal(r.code, 0, r.stderr);
    const { names, csv } = await uploaded();
    assert.deepEqual(names, [`${packId}.zip`, listName()]);
    const { heading, header, rows } = table(csv!);
    const samples = ['WSAS-02', 'WSAS-03'].map(sampleOf);
    const headingText = heading.map((l) => l.join(',')).join('\n');
    assert.ok(headingText.includes(packId), 'the pack id');
    assert.ok(headingText.includes(samples[0]!.method), 'the method');
    for (const s of samples) {
      const line = heading.find((l) => l[0] === s.control);
      assert.ok(line, `a heading line for ${s.control}`);
      assert.ok(line.includes(s.population.sha256) && line.includes(s.seed) && line.includes(String(s.size)), `population sha256, seed and size of ${s.control}: ${line}`);
    }
    assert.deepEqual(header, [...requestListColumns]);
    const expected = samples.flatMap((s) => s.sample.map((x) => [s.control, String(x.row), x.key]));
    assert.ok(expected.length > 1, 'the pack samples something');
    assert.deepEqual(
      rows.map((row) => [row[1], row[2], row[3]]),
      expected,
      'one row per sampled item, in sample order',
    );
    for (const row of rows) {
      assert.equal(row[8], 'pass');
      assert.match(row[9]!, /^items\/WSAS-0[23]\.jsonl\.gz$/);
      assert.match(row[10]!, /^\d+$/);
      assert.deepEqual(row.slice(11), ['', '', '', ''], 'Tested by, Date, Result and Notes left to fill in');
    }
    assert.match(api.stored.comments[0]!, new RegExp(`Request list: .*${listName()}, ${expected.length} sampled items`));
  });

  it('lists a sample file made by evidence-pack sample once re-derived, and refuses an edited one (exit 3, nothing sent)', { timeout: 120_000 }, async () => {
    const dir = join(work, 'request');
    const drawn = await runCliInProcess(['sample', archive, '--control', 'WSAS-03', '--size', '3', '--seed', 'audit 2026 request 1', '--out', dir]);
    assert.equal(drawn.code, 0, drawn.stderr);
    const file = join(dir, 'WSAS-03.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as SampleDocument;

    const ok = await jira('--sample', file);
    assert.equal(ok.code, 0, ok.stderr);
    const { heading, rows } = table((await uploaded()).csv!);
    assert.deepEqual(
      rows.map((row) => row[3]),
      doc.sample.map((s) => s.key),
    );
    assert.deepEqual(
      heading.filter((l) => l[0] === 'WSAS-03').map((l) => [l[5], l[6], l[8]]),
      [['audit 2026 request 1', 'given', '3']],
      'the given seed and size, not the default sample',
    );

    api.requests.length = 0;
    const tampered = join(dir, 'tampered.json');
    // The audited party swaps a sampled row for another passing row of the population, one it prefers.
    const population = parse(readFileSync(join(pack, doc.population.file)), { columns: true }) as Record<string, string>[];
    const other = population.find((p) => p.status === 'pass' && !doc.sample.some((s) => s.key === p.key))!;
    assert.ok(other, 'a passing row outside the sample');
    writeFileSync(tampered, JSON.stringify({ ...doc, sample: [{ ...doc.sample[0]!, row: Number(other.row), key: other.key }, ...doc.sample.slice(1)] }, null, 2));
    const refused = await jira('--sample', tampered);
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /^evidence-pack: --sample \S+tampered\.json: does not match the sample re-derived from populations\/WSAS-03\.csv .*nothing sent\n$/);
    assert.deepEqual(
      api.requests.filter((q) => q.method === 'POST'),
      [],
      'nothing sent',
    );
  });

  it('a rerun sends the request list once', { timeout: 120_000 }, async () => {
    const first = await jira('--request-list', '');
    assert.equal(first.code, 0, first.stderr);
    const second = await jira('--request-list', '');
    assert.equal(second.code, 0, second.stderr);
    assert.equal(api.stored.attachments.filter((a) => a.filename === listName()).length, 1);
    assert.deepEqual((await uploaded()).names, [`${packId}.zip`, listName()], 'each uploaded once over both runs');
    assert.match(second.stdout, new RegExp(`attached nothing new \\(${packId}\\.zip and ${listName()} already there\\)`));
  });
});
