import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { referenceDir } from './helpers.ts';
import { sampleRunPack } from './shared-sample.ts';

const schemaFile = join(referenceDir, 'oscal/v1.1.3/oscal_assessment-results_schema.json');
const addFormats = ((ajvFormats as unknown as { default?: typeof ajvFormats }).default ?? ajvFormats) as unknown as (a: Ajv) => void;

describe('OSCAL assessment-results', { skip: existsSync(schemaFile) ? false : 'needs ../shared/reference (NIST OSCAL schema; present in CI)' }, () => {
  let pack: string;
  let doc: any;
  before(async () => {
    pack = await sampleRunPack({ pdf: false });
    doc = JSON.parse(readFileSync(join(pack, 'oscal-assessment-results.json'), 'utf8'));
  });

  it("validates against NIST's published OSCAL 1.1.3 schema", () => {
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 1));
    const broken: any = structuredClone(doc);
    broken['assessment-results'].results[0].findings[0].target.status.state = 'mostly';
    assert.equal(validate(broken), false, 'the validator does reject a bad document');
  });

  it('has findings per control with target status, observations per evidence item, and file hashes equal to the manifest', () => {
    const ar = doc['assessment-results'];
    const result = ar.results[0];
    const finding = result.findings.find((f: any) => f.target['target-id'] === 'ia-2.1_smt');
    assert.deepEqual(finding.target.status, { state: 'not-satisfied', reason: 'fail', remarks: 'Automated evidence fails.' });
    assert.ok(finding['related-observations'].length > 0);
    assert.ok(result['reviewed-controls']['control-selections'][0]['include-controls'].some((c: any) => c['control-id'] === 'sc-28.1'));
    const packResult = JSON.parse(readFileSync(join(pack, 'result.json'), 'utf8'));
    const itemCount = (c: any) => c.items.reduce((n: number, f: any) => n + f.count, 0);
    const unlisted = packResult.controls.filter((c: any) => c.items && itemCount(c) > c.evidence.length);
    assert.ok(unlisted.length > 0, 'some control has more passing items than result.json lists');
    assert.equal(
      result.observations.length,
      packResult.controls.reduce((n: number, c: any) => n + c.evidence.length, 0) + unlisted.length,
      'an observation per listed item, and one per control for the rest',
    );
    const rest = result.observations.find((o: any) => o.title === `${unlisted[0].id}: ${itemCount(unlisted[0]) - unlisted[0].evidence.length} further items`);
    assert.ok(rest, 'the unlisted items are counted');
    const itemsFiles = rest['relevant-evidence'].map((e: any) => ar['back-matter'].resources.find((r: any) => `#${r.uuid}` === e.href).rlinks[0].href);
    assert.deepEqual(
      itemsFiles,
      unlisted[0].items.map((f: any) => f.file),
      "and point at the control's items files",
    );
    const observation = result.observations.find((o: any) => o.description.startsWith('root volume not encrypted'));
    assert.equal(observation.collected, '2026-10-31T23:41:07.512Z');
    assert.ok(observation.subjects[0].title.includes('ws-b8n3p5r2t'));
    const manifest = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8'));
    const hashes = new Map(manifest.files.map((f: any) => [f.path, f.sha256]));
    const linked = ar['back-matter'].resources.filter((r: any) => r.rlinks);
    assert.ok(linked.length >= 30);
    for (const r of linked) assert.equal(r.rlinks[0].hashes[0].value, hashes.get(r.rlinks[0].href), r.rlinks[0].href);
  });
});
