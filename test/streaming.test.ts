import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAttestations, loadWaivers } from '../src/assurance/load.ts';
import { loadCatalog } from '../src/catalog/load.ts';
import { checksById } from '../src/checks/index.ts';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { MemoryLinesStore } from '../src/evaluate/item-files.ts';
import { readResult } from '../src/evaluate/read-result.ts';
import type { Result } from '../src/evaluate/result.ts';
import { readSnapshot } from '../src/evidence/read.ts';
import type { Resource } from '../src/evidence/types.ts';
import { threadsFor } from '../src/evaluate/units/snapshot-units.ts';
import { evidenceCopyPath } from '../src/evidence/redacted-copies.ts';
import { generateEstate } from '../src/bench/generate.ts';
import { listFilesUnder } from '../src/core/files.ts';
import { assertSameEvidence, canonical, compiled, runCliInProcess, sampleDir, tempDir, withEveryItem } from './helpers.ts';

// Threads: compiled, as the installed command runs them (see compiled in helpers.ts).
const { evaluateStage } = await compiled<typeof import('../src/pack/stages.ts')>('pack/stages');
const { UserError } = await compiled<typeof import('../src/core/errors.ts')>('core/errors');
const { writeEvidenceCsv } = await compiled<typeof import('../src/render/csv.ts')>('render/csv');

const catalog = loadCatalog(new Set(checksById.keys()));
const generatedAt = '2026-11-01T00:00:00.000Z';
const tool = { name: 't', version: '0' };

async function wholeAndStreamed(t: { after(fn: () => void): void }, evidence: string) {
  const lines = new MemoryLinesStore();
  const waivers = loadWaivers(join(evidence, 'waivers.yaml'));
  const attestations = loadAttestations(join(evidence, 'attestations'));
  const whole = evaluate({
    snapshot: await readSnapshot(evidence),
    catalog,
    checks: checksById,
    generatedAt,
    tool,
    packPathOf: evidenceCopyPath,
    lines,
    waivers,
    attestations,
  });
  const out = tempDir(t);
  await evaluateStage(evidence, out, generatedAt);
  const streamed = await withEveryItem(out, readResult(join(out, 'result.json')));
  return { whole, lines, streamed, out };
}

/** The sample with one recorder of account 111111111111 stopped: its region's items are found uncovered at the end. */
async function withRecorderStopped(t: { after(fn: () => void): void }, region: string) {
  const evidence = join(tempDir(t), 'evidence');
  cpSync(sampleDir, evidence, { recursive: true });
  const status = join(evidence, `aws/111111111111/${region}/config/DescribeConfigurationRecorderStatus.json`);
  writeFileSync(status, readFileSync(status, 'utf8').replace('"recording": true', '"recording": false'));
  return wholeAndStreamed(t, evidence);
}

describe('streaming evaluation', () => {
  it('gives the same result as evaluating the estate read whole', async (t) => {
    const { whole, lines, streamed, out } = await wholeAndStreamed(t, sampleDir);
    assertSameEvidence(whole, lines, streamed);
    assert.equal(streamed.summary.resources, whole.summary.resources);
    // Items files' lines are built from parts (not stringified whole): each listed item is in its file as listed.
    for (const c of readResult(join(out, 'result.json')).controls) {
      const inFile = new Set(streamed.controls.find((x) => x.id === c.id)!.evidence.map(canonical));
      for (const i of c.evidence) assert.ok(inFile.has(canonical(i)), `${c.id}: ${canonical(i)} is in its items file as listed`);
    }
    assert.deepEqual(
      streamed.resources.map((r) => r.key).sort(),
      lines
        .read<{ key: string }>('resources.jsonl.gz')
        .map((r) => r.key)
        .sort(),
    );
  });

  it('keeps no configuration item in memory: they are handed over one at a time, after every other file', async () => {
    const handed: Resource[] = [];
    let apiRecordsBefore = -1;
    const snapshot = await readSnapshot(sampleDir, {
      onConfigurationItem: (r, s) => {
        if (apiRecordsBefore < 0) apiRecordsBefore = s.resources.length;
        handed.push(r);
      },
    });
    assert.ok(handed.length > 0, 'configuration items are handed over');
    assert.ok(
      snapshot.resources.every((r) => r.origin.api !== 'AWS Config snapshot'),
      'none is kept in the snapshot',
    );
    assert.equal(apiRecordsBefore, snapshot.resources.length, 'every service API record was read before the first item');
    assert.ok(snapshot.evaluations.length > 0 && snapshot.rules.length > 0);
  });

  it('takes back items of a region found uncovered once everything is read (recorder stopped)', async (t) => {
    const { whole, lines, streamed } = await withRecorderStopped(t, 'us-east-1');
    assertSameEvidence(whole, lines, streamed);
    const volumes = streamed.controls.find((c) => c.id === 'WSAS-11')!.evidence.filter((e) => e.account === '111111111111' && e.region === 'us-east-1');
    assert.deepEqual(
      volumes.map((e) => [e.status, e.source.kind]),
      [['gap', 'coverage']],
      'the region is one gap, its workspaces no verdicts',
    );
  });

  it('counts a waiver only for items that stay (its resource in a region found uncovered)', async (t) => {
    const { whole, lines, streamed } = await withRecorderStopped(t, 'eu-west-1');
    assertSameEvidence(whole, lines, streamed);
    assert.equal(streamed.waivers.find((w) => w.id === 'W-2026-007')!.matched, 0, 'the KMS key it covers is in the stopped region');
    assert.equal(streamed.waivers.find((w) => w.id === 'W-2026-031')!.matched, 1);
    const { streamed: sample } = await wholeAndStreamed(t, sampleDir);
    assert.equal(sample.waivers.find((w) => w.id === 'W-2026-007')!.matched, 1, 'and is counted when the region is covered');
  });

  it('re-renders packs of older result schemas: @1 (every item inline), @2 (a file a control, not a list of parts)', async (t) => {
    const { streamed, out } = await wholeAndStreamed(t, sampleDir);
    const asPacked = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result;
    const legacy = (schema: string, result: object) => {
      const dir = join(tempDir(t), schema);
      cpSync(out, dir, { recursive: true });
      writeFileSync(join(dir, 'result.json'), JSON.stringify({ ...result, schema: `evidence-pack/result@${schema}` }));
      return dir;
    };
    const { inventory: _inventory, ...rest } = streamed;
    const v1 = legacy('1', { ...rest, controls: streamed.controls.map(({ items: _items, ...c }) => c) });
    const one = <T>(parts: T[]) => (assert.equal(parts.length, 1), parts[0]);
    const v2 = legacy('2', { ...asPacked, inventory: one(asPacked.inventory!), controls: asPacked.controls.map((c) => (c.items ? { ...c, items: one(c.items) } : c)) });
    const fresh = await runCliInProcess(['render', out, '--no-pdf', '--quiet']);
    assert.equal(fresh.code, 0, fresh.stderr);
    const csv = (dir: string) => readFileSync(join(dir, 'evidence.csv'), 'utf8');
    assert.equal(
      csv(out).trim().split('\r\n').length - 1,
      Object.values(streamed.summary.evidence).reduce((a, b) => a + b, 0),
      'a CSV row per item',
    );
    for (const dir of [v1, v2]) {
      const r = await runCliInProcess(['render', dir, '--no-pdf', '--quiet']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(csv(dir).trim().split('\r\n').length, csv(out).trim().split('\r\n').length, `${dir}: the same rows`);
    }
    assert.equal(csv(v2), csv(out), 'result@2: the same CSV');
    assert.deepEqual(
      readResult(join(v2, 'result.json')).controls.map((c) => c.items),
      asPacked.controls.map((c) => c.items),
      'read as a list of one part',
    );
  });
});

describe('delivered snapshot files, a unit (account and region) at a time', () => {
  const unitFile = (evidence: string, name: string, items: unknown[]) =>
    writeFileSync(join(evidence, 'config-snapshots', name), JSON.stringify({ fileVersion: '1.0', configSnapshotId: name, configurationItems: items }));
  const itemsOf = (file: string): any[] => JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')).configurationItems;

  /** A generated estate (2 accounts × 2 regions), plus a second delivery repeating items and a global resource in two regions' files. */
  async function estate(t: { after(fn: () => void): void }): Promise<{ evidence: string; accounts: string[]; regions: string[]; generated: number }> {
    const evidence = join(tempDir(t), 'estate');
    const { items: generated } = await generateEstate({ items: 3000, accounts: 2, regions: 2, out: evidence, seed: 5 });
    const { scope } = JSON.parse(readFileSync(join(evidence, 'snapshot.json'), 'utf8'));
    const accounts = scope.accounts as string[];
    const regions = scope.regions as string[];
    // The generator puts global resources (IAM users) in the first region's files.
    const withGlobal = listFilesUnder(join(evidence, 'config-snapshots')).find((f) => f.startsWith(`${accounts[0]}_Config_${regions[0]}_`))!;
    const items = itemsOf(join(evidence, 'config-snapshots', withGlobal));
    unitFile(evidence, `${accounts[0]}_Config_${regions[0]}_ConfigSnapshot_20261101T000000Z_again.json`, items.slice(0, 20));
    const globals = items.filter((i) => i.awsRegion === 'global').slice(0, 3);
    assert.equal(globals.length, 3);
    unitFile(evidence, `${accounts[0]}_Config_${regions[1]}_ConfigSnapshot_20261101T000000Z_global.json`, globals);
    return { evidence, accounts, regions, generated };
  }

  it('makes the same pack in worker threads as on the main thread, with the evidence of the estate read whole', async (t) => {
    const { evidence, accounts, generated } = await estate(t);
    // A waiver for a failing item of the last unit, so that waiver counts cross threads too.
    const probe = tempDir(t);
    await evaluateStage(evidence, probe, generatedAt, { threads: 0 });
    const failing = (await withEveryItem(probe, readResult(join(probe, 'result.json')))).controls
      .flatMap((c) => c.evidence.map((i) => ({ control: c.id, ...i })))
      .find((i) => i.status === 'fail' && i.source.kind === 'check' && i.account === accounts[1])!;
    writeFileSync(
      join(evidence, 'waivers.yaml'),
      `waivers:\n  - id: W-1\n    scope: {control: ${failing.control}, resource: ${failing.resource!.id}}\n    owner: Test Owner\n    reason: Test waiver for a failing item.\n    ticket: https://tickets.example.com/T-1\n    expires: 2099-01-01\n`,
    );

    // Every unit's lines files become parts of their own (as a large estate's do), or are copied into one file a control.
    const inline = tempDir(t);
    const threaded = tempDir(t);
    const oneFile = tempDir(t);
    await evaluateStage(evidence, inline, generatedAt, { threads: 0, ownPartFrom: 0 });
    await evaluateStage(evidence, threaded, generatedAt, { threads: 2, ownPartFrom: 0 });
    await evaluateStage(evidence, oneFile, generatedAt, { threads: 2 });
    const files = listFilesUnder(inline);
    assert.deepEqual(listFilesUnder(threaded), files, 'the same files');
    for (const f of files) assert.ok(readFileSync(join(inline, f)).equals(readFileSync(join(threaded, f))), `${f}: the same bytes`);
    const parted = readResult(join(inline, 'result.json'));
    const linesFiles = (r: Result) => [...r.inventory!, ...r.controls.flatMap((c) => c.items ?? [])];
    assert.ok(parted.inventory!.length > 1 && parted.controls.some((c) => (c.items?.length ?? 0) > 1), 'lines files in parts');
    for (const f of linesFiles(parted)) {
      const bytes = readFileSync(join(inline, f.file));
      assert.deepEqual(
        { count: gunzipSync(bytes).toString('utf8').split('\n').length - 1, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
        { count: f.count, bytes: f.bytes, sha256: f.sha256 },
        `${f.file} as pinned`,
      );
    }
    const single = readResult(join(oneFile, 'result.json'));
    assert.ok(
      linesFiles(single).every((f) => !/\.\d+\.jsonl\.gz$/.test(f.file)),
      "a small estate's pack has one file a control",
    );
    const everyItem = async (dir: string, r: Result) => JSON.stringify((await withEveryItem(dir, r)).controls.map((c) => c.evidence));
    assert.equal(await everyItem(inline, parted), await everyItem(oneFile, single), 'the same items in the same order, in parts or not');

    const lines = new MemoryLinesStore();
    const whole = evaluate({
      snapshot: await readSnapshot(evidence),
      catalog,
      checks: checksById,
      generatedAt,
      tool,
      packPathOf: evidenceCopyPath,
      lines,
      waivers: loadWaivers(join(evidence, 'waivers.yaml')),
    });
    const streamed = await withEveryItem(inline, readResult(join(inline, 'result.json')));
    assertSameEvidence(whole, lines, streamed);
    assert.equal(streamed.summary.resources, whole.summary.resources, 'repeated and global items count once');
    assert.equal(streamed.resources.filter((r) => r.origin.api === 'AWS Config snapshot').length, generated, 'each configuration item once');
    assert.equal(streamed.waivers[0]!.matched, 1);
    assert.ok(
      streamed.controls.some((c) => c.counts.waived === 1),
      'the item is waived',
    );

    // The CSV of a large pack is written in two threads: the same bytes as in one.
    const result = readResult(join(inline, 'result.json'));
    await writeEvidenceCsv(result, inline, join(inline, 'one.csv'), { threadedFrom: Infinity });
    await writeEvidenceCsv(result, inline, join(inline, 'two.csv'), { threadedFrom: 0 });
    const csv = readFileSync(join(inline, 'one.csv'));
    assert.equal(
      csv.toString('utf8').split('\r\n').length - 2,
      Object.values(result.summary.evidence).reduce((a, b) => a + b, 0),
      'a row per item',
    );
    assert.ok(csv.equals(readFileSync(join(inline, 'two.csv'))), 'the same CSV from one thread or two');
    assert.ok(!listFilesUnder(inline).some((f) => f.endsWith('.part')), 'no part left behind');
  });

  it('reports a malformed item in a thread as on the main thread: one line naming the file and field', async (t) => {
    const { evidence } = await estate(t);
    const item = itemsOf(join(evidence, 'config-snapshots', listFilesUnder(join(evidence, 'config-snapshots')).at(-1)!)).find((i) => i.awsRegion !== 'global');
    unitFile(evidence, `${item.awsAccountId}_Config_${item.awsRegion}_ConfigSnapshot_20261101T000000Z_bad.json`, [{ ...item, configurationItemCaptureTime: 'yesterday' }]);
    const messages: string[] = [];
    for (const threads of [0, 2]) {
      await assert.rejects(evaluateStage(evidence, tempDir(t), generatedAt, { threads }), (e: Error) => {
        messages.push(e.message);
        return e instanceof UserError && !e.message.includes('\n');
      });
    }
    assert.equal(messages[1], messages[0]);
    assert.match(messages[0]!, /_bad\.json: configurationItems\[0\]\.configurationItemCaptureTime: /);
  });

  it('refuses an item of another region in a file AWS named for one region (units are keyed by the name)', async (t) => {
    const evidence = join(tempDir(t), 'evidence');
    cpSync(sampleDir, evidence, { recursive: true });
    const file = listFilesUnder(join(evidence, 'config-snapshots')).find((f) => f.includes('_us-east-1_'))!;
    const doc = JSON.parse(readFileSync(join(evidence, 'config-snapshots', file), 'utf8'));
    const i = doc.configurationItems.findIndex((c: any) => c.awsRegion === 'us-east-1');
    doc.configurationItems[i].awsRegion = 'eu-west-1';
    writeFileSync(join(evidence, 'config-snapshots', file), JSON.stringify(doc));
    await assert.rejects(
      evaluateStage(evidence, tempDir(t), generatedAt),
      (e: Error) => e instanceof UserError && e.message.endsWith(`${file}: configurationItems[${i}].awsRegion: region eu-west-1, but the file is named for region us-east-1`),
    );
  });

  it('reports progress as evidence files are read, units included', async (t) => {
    const { evidence } = await estate(t);
    for (const threads of [0, 2]) {
      const seen: [number, number][] = [];
      await evaluateStage(evidence, tempDir(t), generatedAt, {
        threads,
        onProgress: (text) =>
          seen.push(
            text
              .match(/^(\d+) of (\d+) evidence files$/)!
              .slice(1)
              .map(Number) as [number, number],
          ),
      });
      const files = listFilesUnder(evidence).length;
      assert.ok(
        seen.every(([, of]) => of === files),
        'out of every evidence file',
      );
      assert.ok(
        seen.every(([n], i) => i === 0 || n >= seen[i - 1]![0]),
        'never backwards',
      );
      assert.deepEqual(seen.at(-1), [files, files], `${threads} threads: ends with every file read`);
    }
  });

  it('uses a thread per core, as many as the memory allows (a small container gets one)', () => {
    const gib = 1024 ** 3;
    assert.deepEqual([threadsFor(2, 24 * gib), threadsFor(8, 24 * gib), threadsFor(8, gib), threadsFor(8, 2 * gib), threadsFor(8, 0.5 * gib)], [2, 8, 1, 4, 1]);
  });

  it('refuses a number of threads that is not a whole number', async (t) => {
    const r = await runCliInProcess(['evaluate', '--evidence', sampleDir, '--out', join(tempDir(t), 'p'), '--threads', '1.5']);
    assert.equal(r.code, 2);
    assert.match(r.stderr.trim(), /^evidence-pack: --threads 1\.5: expected a whole number from 0 to 1,024/);
  });
});
