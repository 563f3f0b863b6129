import assert from 'node:assert/strict';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadCatalog } from '../src/catalog/load.ts';
import { ruleIdentifierByName } from '../src/catalog/rule-names.ts';
import { checksById } from '../src/checks/index.ts';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { MemoryLinesStore } from '../src/evaluate/item-files.ts';
import type { EvidenceItem } from '../src/evaluate/result.ts';
import { readSnapshot } from '../src/evidence/read.ts';
import { evidenceCopyPath } from '../src/evidence/redacted-copies.ts';
import { sampleDir, tempDir } from './helpers.ts';

const bucket = 'legacy-exports-2019';
const rule = 's3-bucket-server-side-encryption-enabled-conformance-pack-x2k4m6p8q';

/** The sample evaluated in memory, its bucket's configuration item captured at `capturedAt` (the sample's own time if unset). */
async function evaluated(t: { after(fn: () => void): void }, capturedAt?: string) {
  const evidence = join(tempDir(t), 'evidence');
  cpSync(sampleDir, evidence, { recursive: true });
  if (capturedAt) {
    const dir = join(evidence, 'config-snapshots');
    const file = join(
      dir,
      readdirSync(dir).find((f) => f.startsWith('111111111111_Config_us-east-1'))!,
    );
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.configurationItems.find((i: any) => i.resourceId === bucket).configurationItemCaptureTime = capturedAt;
    writeFileSync(file, JSON.stringify(doc));
  }
  const catalog = loadCatalog(new Set(checksById.keys()));
  const lines = new MemoryLinesStore();
  const snapshot = await readSnapshot(evidence, { ruleIdentifier: ruleIdentifierByName(catalog) });
  const result = evaluate({ snapshot, catalog, checks: checksById, generatedAt: '2026-11-01T00:00:00.000Z', tool: { name: 't', version: '0' }, packPathOf: evidenceCopyPath, lines });
  const control = result.controls.find((c) => c.id === 'WSAS-05')!;
  const items = control.items!.flatMap((f) => lines.read<EvidenceItem>(f.file)).filter((i) => i.resource?.id === bucket);
  const check = items.find((i) => i.source.kind === 'check' && i.source.id === 's3-bucket-default-encryption')!;
  const ruled = items.find((i) => i.source.kind === 'config-rule' && i.source.ruleName === rule)!;
  return { control, check, ruled, items };
}

describe('when a configuration item and an AWS Config rule disagree about a bucket, the newer observation decides', () => {
  it('a configuration item captured in 2022 without default encryption does not outvote a rule result of 2026 that finds it', async (t) => {
    const { control, check, ruled, items } = await evaluated(t, '2022-03-14T09:00:00.000Z');
    assert.equal(ruled.status, 'pass');
    assert.equal(check.status, 'pass', 'the older item takes the newer verdict');
    assert.equal(check.observedAt, '2022-03-14T09:00:00.000Z', 'and keeps its own time');
    assert.equal(
      check.message,
      `the newer observation decides: AWS Config rule ${rule} (recorded 2026-10-02T03:00:00.000Z) says pass; this one, of 2022-03-14T09:00:00.000Z, said fail (no default encryption configuration recorded)`,
    );
    assert.equal(items.filter((i) => i.source.kind === 'check' && i.source.id === 's3-bucket-default-encryption').length, 1, 'replaced, not added');
    assert.equal(items.filter((i) => i.status === 'fail' && i.source.kind === 'check').length, 0);
    assert.deepEqual(control.disagreements, [
      `AWS::S3::Bucket ${bucket} (111111111111/us-east-1): built-in check s3-bucket-default-encryption says fail (captured 2022-03-14T09:00:00.000Z); AWS Config rule ${rule} says pass (recorded 2026-10-02T03:00:00.000Z): the newer, the AWS Config rule, decides`,
    ]);
    const counted = control.items!.reduce((n, f) => n + f.count, 0);
    assert.equal(
      Object.values(control.counts).reduce((a, b) => a + b, 0),
      counted,
      'counts follow the items',
    );
  });

  it('a configuration item newer than the rule result decides the other way', async (t) => {
    const { control, check, ruled } = await evaluated(t);
    assert.equal(check.status, 'fail');
    assert.equal(ruled.status, 'fail', 'the rule result of 2026-10-02 is older than the item of 2026-10-31');
    assert.match(
      ruled.message,
      /^the newer observation decides: built-in check s3-bucket-default-encryption \(captured 2026-10-31T23:41:07\.512Z\) says fail; this one, of 2026-10-02T03:00:00\.000Z, said pass \(COMPLIANT\)$/,
    );
    assert.match(control.disagreements[0]!, /: the newer, the built-in check, decides$/);
  });

  it('observations of the same moment: neither decides, both stand', async (t) => {
    const { control, check, ruled } = await evaluated(t, '2026-10-02T03:00:00.000Z');
    assert.deepEqual([check.status, ruled.status], ['fail', 'pass']);
    assert.match(control.disagreements[0]!, /: observed at the same time, neither decides$/);
  });
});
