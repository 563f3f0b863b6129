import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadCatalog } from '../src/catalog/load.ts';
import { controlIdToOscalId } from '../src/catalog/control-id.ts';
import { checksById } from '../src/checks/index.ts';
import { catalogsDir } from '../src/core/paths.ts';
import { referenceDir, tempDir } from './helpers.ts';

const knownChecks = new Set(checksById.keys());
const catalog = loadCatalog(knownChecks);

/** Copies catalogs/, edits one file, and expects loading to fail naming that file and field. */
function expectBroken(t: Parameters<typeof tempDir>[0], file: string, edit: (text: string) => string, message: RegExp) {
  const dir = join(tempDir(t), 'catalogs');
  cpSync(catalogsDir, dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  assert.throws(
    () => loadCatalog(knownChecks, dir),
    (e: Error) => message.test(e.message) && e.message.includes(join(dir, file)),
  );
}

describe('catalog', () => {
  it('covers every recommendation of the WorkSpaces/AppStream data-protection guidance', () => {
    const bullets: [string, RegExp][] = [
      ['shared responsibility', /global infrastructure/],
      ['MFA', /multi-factor/i],
      ['TLS 1.2+ to AWS resources', /TLS 1\.2 or later for all communication/],
      ['CloudTrail logging', /CloudTrail/],
      ['AWS encryption solutions', /AWS encryption solutions/],
      ['Macie', /Macie/],
      ['FIPS_VALIDATED directories', /FIPS 140-validated endpoint encryption/],
      ['FIPS endpoints for CLI/API', /FIPS endpoints used/],
      ['no sensitive data in tags or Name fields', /tags or free-form Name fields/],
      ['no credentials in URLs', /credentials in URLs/],
      ['WorkSpaces volumes encrypted with KMS', /root and user volumes/],
      ['PCoIP AES-128 / AES-256', /PCoIP/],
      ['AppStream home folders and application settings in S3', /home folders and application settings/],
      ['AppStream streaming and API over TLS 1.2', /streaming and API traffic/],
    ];
    for (const [bullet, title] of bullets) {
      assert.ok(
        catalog.controls.controls.some((c) => title.test(c.title)),
        `no control for: ${bullet}`,
      );
    }
    assert.ok(catalog.controls.controls.length >= 10);
  });

  it('gives every control an owner, an assessment and at least one sourced NIST edge', () => {
    for (const c of catalog.controls.controls) {
      assert.ok(['aws', 'customer', 'shared'].includes(c.responsibility.owner));
      assert.ok(
        c.mappings.some((m) => m.framework === 'nist-sp-800-53-r5'),
        `${c.id} maps to no NIST control`,
      );
      for (const m of c.mappings) assert.ok(m.source.type === 'own-reasoning' ? m.source.rationale : m.source.ref, `${c.id}: edge without source`);
      if (c.responsibility.owner === 'aws') assert.equal(c.assessment, 'inherited', `${c.id}: AWS-owned rows are inherited`);
    }
  });

  it('has no duplicate edges, and every rule on a control with its source', () => {
    const edges = catalog.controls.controls.flatMap((c) => c.mappings.flatMap((m) => m.controls.map((id) => `${c.id}|${m.framework}|${id}`)));
    assert.equal(new Set(edges).size, edges.length);
    // Whether each is a real AWS managed rule: test/rules.test.ts, against ../shared/reference.
    for (const c of catalog.controls.controls) {
      for (const r of c.evidence?.rules ?? []) assert.ok(r.source.type === 'own-reasoning' ? r.source.rationale : catalog.controls.sources[r.source.ref!], `${c.id}: rule ${r.rule} without source`);
    }
  });

  it('rejects a broken catalog with the file and field', (t) => {
    const file = 'controls/workspaces-appstream-data-protection.yaml';
    expectBroken(t, file, (s) => s.replace('controls: [IA-2(1), IA-2(2)]', 'controls: [IA-2(1), IA-99]'), /WSAS-02\)\.mappings\[0\]\.controls: unknown nist-sp-800-53-r5 control "IA-99"/);
    expectBroken(t, file, (s) => s.replace('checks: [macie-enabled]', 'checks: [macie-on]'), /evidence\.checks: unknown built-in check "macie-on"/);
    expectBroken(
      t,
      file,
      (s) => s.replace('assessment: manual', 'assessment: sometimes'),
      /:\d+: controls\[\d+\]\.assessment: must be equal to one of the allowed values: automated, manual, inherited/,
    );
    expectBroken(t, file, (s) => s.replace('  - id: WSAS-14', '  - id: WSAS-13'), /duplicate control id/);
    expectBroken(t, file, (s) => s.replace(/source: \{type: own-reasoning, rationale: "Physical[^}]*\}/, 'source: {type: own-reasoning}'), /rationale/);
    expectBroken(t, file, (s) => s.replace('ref: cfg-macie-status-check,', 'ref: cfg-macie,'), /WSAS-06\)\.evidence\.rules\[0\]\.source\.ref: unknown source "cfg-macie"/);
    expectBroken(
      t,
      file,
      (s) => s.replace('{rule: MACIE_STATUS_CHECK, name: macie-status-check, ', '{rule: MACIE_STATUS_CHECK, '),
      /:\d+: controls\[\d+\]\.evidence\.rules\[0\]\.name: must have required property 'name'/,
    );
    expectBroken(t, 'frameworks/fedramp-r5-moderate.yaml', (s) => s.replace('"AC-1"', '"AC-1000"'), /controls\[0\]: unknown nist-sp-800-53-r5 control "AC-1000"/);
  });
});

const have = existsSync(join(referenceDir, 'fedramp-rev5/FedRAMP_rev5_MODERATE-baseline_profile.json'));
describe('catalog data against NIST and GSA OSCAL', { skip: have ? false : 'needs ../shared/reference (present in CI and for developers, absent in a user clone)' }, () => {
  const profileIds = (file: string): string[] =>
    JSON.parse(readFileSync(join(referenceDir, file), 'utf8')).profile.imports.flatMap((i: any) => i['include-controls'].flatMap((c: any) => c['with-ids']));
  const nist = catalog.frameworks.find((f) => f.framework === 'nist-sp-800-53-r5')!.controls;

  it('holds every control of the NIST rev5 catalog with its title', () => {
    const oscal = JSON.parse(readFileSync(join(referenceDir, 'nist-sp800-53-rev5/legacy-oscal-content-v1.0.0/NIST_SP-800-53_rev5_catalog.json'), 'utf8')).catalog;
    const ids: string[] = [];
    const walk = (cs: any[] = []) =>
      cs.forEach((c) => {
        ids.push(c.id);
        walk(c.controls);
      });
    oscal.groups.forEach((g: any) => walk(g.controls));
    assert.equal(nist.length, ids.length);
    assert.deepEqual(nist.map((c) => controlIdToOscalId(c.id)).sort(), ids.sort());
    assert.equal(nist.find((c) => c.id === 'SC-13')!.title, 'Cryptographic Protection');
  });

  it('has the NIST Moderate (287) and FedRAMP Moderate (323) baselines exactly', () => {
    const moderate = profileIds('nist-sp800-53-rev5/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json');
    assert.equal(moderate.length, 287);
    assert.deepEqual(
      nist
        .filter((c) => c.moderate)
        .map((c) => controlIdToOscalId(c.id))
        .sort(),
      [...moderate].sort(),
    );
    const fedramp = profileIds('fedramp-rev5/FedRAMP_rev5_MODERATE-baseline_profile.json');
    assert.equal(catalog.baselines.find((b) => b.baseline === 'fedramp-r5-moderate')!.controls.length, 323);
    assert.deepEqual(
      catalog.baselines
        .find((b) => b.baseline === 'fedramp-r5-moderate')!
        .controls.map(controlIdToOscalId)
        .sort(),
      [...fedramp].sort(),
    );
  });

  it('maps managed rules as AWS publishes them (Security Hub related requirements)', () => {
    const sh = JSON.parse(readFileSync(join(referenceDir, 'aws/securityhub-controls-2023.json'), 'utf8')).controls;
    const names = JSON.parse(readFileSync(join(referenceDir, 'aws/config-managed-rule-pages-2023.json'), 'utf8')).rules;
    for (const r of catalog.ruleMappings.flatMap((m) => m.rules)) {
      const ruleName = Object.keys(names).find((n) => names[n].identifier === r.rule);
      assert.ok(ruleName, `${r.rule} is a managed rule identifier`);
      const control = sh[r.source.replace('Security Hub ', '')];
      assert.ok(control.configRules.includes(ruleName), `${r.source} is the control for ${ruleName}`);
      assert.deepEqual([...r.controls].sort(), [...control.nist80053r5].sort(), r.rule);
    }
  });

  it('names each managed rule as the conformance-pack templates do (how aggregator rules are identified)', () => {
    const name2id: Record<string, string[]> = JSON.parse(readFileSync(join(referenceDir, 'aws/all-packs-ruleName-to-SourceIdentifier.json'), 'utf8')).name2id;
    for (const r of catalog.ruleMappings.flatMap((m) => m.rules)) {
      const expected = Object.keys(name2id)
        .filter((n) => /^[a-z0-9-]+$/.test(n) && name2id[n]!.includes(r.rule))
        .sort();
      assert.ok(expected.length > 0, r.rule);
      assert.deepEqual(r.names, expected, r.rule);
    }
  });
});

describe('catalog export', () => {
  it('prints every edge once, each with a source, as JSON and as CSV', async () => {
    const { runCliInProcess } = await import('./helpers.ts');
    const json = await runCliInProcess(['catalog', 'export', '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout);
    const keys = doc.edges.map((e: { framework: string; rule: string; control: string }) => `${e.framework}|${e.rule}|${e.control}`);
    assert.equal(new Set(keys).size, keys.length, 'no duplicate edges');
    assert.ok(doc.edges.every((e: { source: string }) => e.source.length > 10));
    assert.ok(keys.includes('nist-sp-800-53-r5|IAM_USER_MFA_ENABLED|IA-2(1)'));
    assert.ok(keys.includes('nist-sp-800-53-r5|workspaces-volume-encryption|SC-28(1)'));
    assert.ok(keys.includes('gdpr|credentials-in-urls|Art. 32'));
    const macie = doc.edges.find((e: { rule: string; control: string }) => e.rule === 'MACIE_STATUS_CHECK' && e.control === 'WSAS-06');
    assert.match(macie.source, /<https:\/\/docs\.aws\.amazon\.com\/config\/latest\/developerguide\/macie-status-check\.html>$/, 'a rule → control edge names the AWS page');
    assert.equal(doc.controls.length, catalog.controls.controls.length);
    const csv = await runCliInProcess(['catalog', 'export', '--format', 'csv']);
    const lines = csv.stdout.trimEnd().split('\r\n');
    assert.equal(lines[0], 'framework,rule,ruleKind,control,source,sourceType,via,printed,agreement,secondSource,note');
    assert.equal(lines.length, doc.edges.length + 1);
  });
});
