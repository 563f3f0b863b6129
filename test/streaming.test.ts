import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAttestations, loadWaivers } from '../src/assurance/load.ts';
import { loadCatalog } from '../src/catalog/load.ts';
import { checksById } from '../src/checks/index.ts';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { MemoryLinesStore } from '../src/evaluate/item-files.ts';
import { readResult, withEveryItem } from '../src/evaluate/read-result.ts';
import type { EvidenceItem, Result } from '../src/evaluate/result.ts';
import { readSnapshot } from '../src/evidence/read.ts';
import type { Resource } from '../src/evidence/types.ts';
import { evaluateStage } from '../src/pack/stages.ts';
import { runCli, sampleDir, tempDir } from './helpers.ts';

const catalog = loadCatalog(new Set(checksById.keys()));
const generatedAt = '2026-11-01T00:00:00.000Z';
const tool = { name: 't', version: '0' };

/** Items compared as sets: member order and key order do not matter, content does. */
const canonical = (i: EvidenceItem) => JSON.stringify(i, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b))) : v));

async function wholeAndStreamed(t: { after(fn: () => void): void }, evidence: string) {
  const lines = new MemoryLinesStore();
  const waivers = loadWaivers(join(evidence, 'waivers.yaml'));
  const attestations = loadAttestations(join(evidence, 'attestations'));
  const whole = evaluate({ snapshot: await readSnapshot(evidence), catalog, checks: checksById, generatedAt, tool, packPathOf: (p) => `evidence/${p.replace(/\.gz$/, '')}`, lines, waivers, attestations });
  const out = tempDir(t);
  await evaluateStage(evidence, out, generatedAt);
  const streamed = await withEveryItem(out, readResult(join(out, 'result.json')));
  return { whole, lines, streamed, out };
}

function assertSameEvidence(whole: Result, lines: MemoryLinesStore, streamed: Result) {
  for (const c of whole.controls) {
    const s = streamed.controls.find((x) => x.id === c.id)!;
    assert.equal(s.status, c.status, `${c.id} status`);
    assert.deepEqual(s.counts, c.counts, `${c.id} counts`);
    assert.deepEqual([...s.disagreements].sort(), [...c.disagreements].sort(), `${c.id} disagreements`);
    const all = c.items ? lines.read<EvidenceItem>(c.items.file) : [];
    assert.deepEqual(s.evidence.map(canonical).sort(), all.map(canonical).sort(), `${c.id}: the same items, streamed or read whole`);
  }
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
    const { whole, lines, streamed } = await wholeAndStreamed(t, sampleDir);
    assertSameEvidence(whole, lines, streamed);
    assert.equal(streamed.summary.resources, whole.summary.resources);
    assert.deepEqual(streamed.resources.map((r) => r.key).sort(), lines.read<{ key: string }>('resources.jsonl').map((r) => r.key).sort());
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
    assert.ok(snapshot.resources.every((r) => r.origin.api !== 'AWS Config snapshot'), 'none is kept in the snapshot');
    assert.equal(apiRecordsBefore, snapshot.resources.length, 'every service API record was read before the first item');
    assert.ok(snapshot.evaluations.length > 0 && snapshot.rules.length > 0);
  });

  it('takes back items of a region found uncovered once everything is read (recorder stopped)', async (t) => {
    const { whole, lines, streamed } = await withRecorderStopped(t, 'us-east-1');
    assertSameEvidence(whole, lines, streamed);
    const volumes = streamed.controls.find((c) => c.id === 'WSAS-11')!.evidence.filter((e) => e.account === '111111111111' && e.region === 'us-east-1');
    assert.deepEqual(volumes.map((e) => [e.status, e.source.kind]), [['gap', 'coverage']], 'the region is one gap, its workspaces no verdicts');
  });

  it('counts a waiver only for items that stay (its resource in a region found uncovered)', async (t) => {
    const { whole, lines, streamed } = await withRecorderStopped(t, 'eu-west-1');
    assertSameEvidence(whole, lines, streamed);
    assert.equal(streamed.waivers.find((w) => w.id === 'W-2026-007')!.matched, 0, 'the KMS key it covers is in the stopped region');
    assert.equal(streamed.waivers.find((w) => w.id === 'W-2026-031')!.matched, 1);
    const { streamed: sample } = await wholeAndStreamed(t, sampleDir);
    assert.equal(sample.waivers.find((w) => w.id === 'W-2026-007')!.matched, 1, 'and is counted when the region is covered');
  });

  it('re-renders a pack made before items files (result@1: every item inline)', async (t) => {
    const { streamed, out } = await wholeAndStreamed(t, sampleDir);
    const legacy = join(tempDir(t), 'legacy');
    const { inventory: _inventory, ...rest } = streamed;
    cpSync(out, legacy, { recursive: true });
    const v1 = { ...rest, schema: 'evidence-pack/result@1', controls: streamed.controls.map(({ items: _items, ...c }) => c) };
    writeFileSync(join(legacy, 'result.json'), JSON.stringify(v1));
    const r = await runCli(['render', legacy, '--no-pdf', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const rows = (dir: string) => readFileSync(join(dir, 'evidence.csv'), 'utf8').trim().split('\r\n').length;
    const fresh = await runCli(['render', out, '--no-pdf', '--quiet']);
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.equal(rows(legacy), rows(out), 'the same rows from inline items as from the items files');
    assert.equal(rows(out) - 1, Object.values(streamed.summary.evidence).reduce((a, b) => a + b, 0), 'a CSV row per item');
  });
});
