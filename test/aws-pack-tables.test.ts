import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadCatalog } from '../src/catalog/load.ts';
import { controlsOfPrintedId, packEdges } from '../src/catalog/pack-tables.ts';
import { checksById } from '../src/checks/index.ts';
import { catalogsDir } from '../src/core/paths.ts';
import { referenceDir, runCliInProcess, tempDir } from './helpers.ts';

const knownChecks = new Set(checksById.keys());
const catalog = loadCatalog(knownChecks);
// The framework's own table, and the one a baseline takes its rule edges from.
const nist = catalog.packTables.find((t) => !t.baseline)!;
const fedramp = catalog.packTables.find((t) => t.baseline)!;
const byName = (t: typeof nist) => new Map(t.rules.map((r) => [r.name, r]));

// Counted from the pages' tables (every row is one control id and one rule):
// "Operational Best Practices for NIST 800-53 rev 5": 928 rows, 128 rules, 113 controls;
// "Operational Best Practices for FedRAMP (Moderate)": 609 rows, 128 rules, 71 controls (ids as printed).
const pages = {
  nist: { rules: 128, rows: 928, controls: 113 },
  fedramp: { rules: 128, rows: 609, controls: 71 },
};

describe("AWS's conformance-pack tables", () => {
  for (const [key, table] of [
    ['nist', nist],
    ['fedramp', fedramp],
  ] as const) {
    it(`${table.title}: rules, rows and controls as counted on the page`, () => {
      assert.equal(table.rules.length, pages[key].rules);
      assert.equal(
        table.rules.reduce((n, r) => n + r.controls.length, 0),
        pages[key].rows,
      );
      assert.equal(new Set(table.rules.flatMap((r) => r.controls)).size, pages[key].controls);
      assert.equal(new Set(table.rules.map((r) => r.name)).size, table.rules.length, 'one entry per rule');
      assert.match(table.url, /^https:\/\/docs\.aws\.amazon\.com\/config\/latest\/developerguide\/operational-best-practices-for-/);
    });
  }

  it('holds a dozen rows checked by hand against the pages', () => {
    const rows: [typeof nist, string, string][] = [
      [fedramp, 'access-keys-rotated', 'AC-2(f)'],
      [fedramp, 'iam-password-policy', 'IA-5(1)(a)(d)(e)'],
      [fedramp, 'iam-user-mfa-enabled', 'IA-2(1)(2)'],
      [fedramp, 'cw-loggroup-retention-period-check', 'AU-11'],
      [fedramp, 's3-bucket-replication-enabled', 'AU-9(2)'],
      [fedramp, 'ecs-task-definition-user-for-host-mode-check', 'AC-5c'],
      [fedramp, 'guardduty-non-archived-findings', 'RA-5(1)'],
      [nist, 'cloudtrail-enabled', 'AU-14(1)'],
      [nist, 's3-bucket-replication-enabled', 'SC-36(2)'],
      [nist, 'secretsmanager-rotation-enabled-check', 'AC-3(15)'],
      [nist, 'iam-user-mfa-enabled', 'IA-2(8)'],
      [nist, 'redshift-enhanced-vpc-routing-enabled', 'SC-7(21)'],
    ];
    for (const [table, rule, control] of rows) assert.ok(byName(table).get(rule)?.controls.includes(control), `${table.title}: ${rule} → ${control}`);
    // Whole rows: every control the page lists for these rules, and no other.
    assert.deepEqual(byName(nist).get('access-keys-rotated')!.controls, ['AC-3(15)']);
    assert.deepEqual(byName(nist).get('securityhub-enabled')!.controls, ['AU-6(1)', 'AU-6(5)', 'CA-7']);
    assert.deepEqual(byName(fedramp).get('access-keys-rotated')!.controls, ['AC-2(1)', 'AC-2(f)', 'AC-2(j)']);
    assert.equal(byName(fedramp).get('access-keys-rotated')!.rule, 'ACCESS_KEYS_ROTATED');
    // Rules per control, counted on the pages.
    const rulesOf = (table: typeof nist, control: string) => table.rules.filter((r) => r.controls.includes(control)).length;
    assert.equal(rulesOf(fedramp, 'CM-2'), 30);
    assert.equal(rulesOf(fedramp, 'AC-17(1)'), 23);
    assert.equal(rulesOf(nist, 'AC-3'), 30);
    assert.equal(rulesOf(nist, 'AU-12'), 13);
    assert.equal(rulesOf(nist, 'AC-6'), 0, 'the NIST page lists no rule for AC-6');
  });

  it('reads the printed ids as Rev. 5 controls: statement parts belong to their control, withdrawn ids to the control NIST incorporated them into', () => {
    assert.deepEqual(controlsOfPrintedId('AC-2(f)'), ['AC-2']);
    assert.deepEqual(controlsOfPrintedId('AC-5c'), ['AC-5']);
    assert.deepEqual(controlsOfPrintedId('AU-6(1)(3)'), ['AU-6(1)', 'AU-6(3)']);
    assert.deepEqual(controlsOfPrintedId('AC-2(12)(a)'), ['AC-2(12)']);
    assert.deepEqual(controlsOfPrintedId('IA-5(1)(a)(d)(e)'), ['IA-5(1)']);
    assert.equal(controlsOfPrintedId('AC 2'), undefined);
    const edges = packEdges(fedramp).filter((e) => e.rule === 'IAM_PASSWORD_POLICY');
    assert.deepEqual(edges.find((e) => e.control === 'IA-5(1)')!.printed, ['IA-5(1)(a)(d)(e)', 'IA-5(4)']);
    assert.deepEqual(edges.find((e) => e.control === 'AC-2')!.printed, ['AC-2(f)', 'AC-2(j)']);
  });

  it('covers every rule of the pack templates: a row, or listed as having none', (t) => {
    const file = join(referenceDir, 'aws/conformance-pack-templates-rules.json');
    if (!existsSync(file)) return t.skip(`${file} is absent (reference data, not shipped)`);
    const packs = JSON.parse(readFileSync(file, 'utf8')).packs;
    for (const [table, pack] of [
      [nist, 'nist-800-53-rev5'],
      [fedramp, 'fedramp-moderate'],
    ] as const) {
      const listed = new Map([...table.rules, ...table.withoutRow].map((r) => [r.name, r.rule]));
      for (const [name, rule] of Object.entries(packs[pack].rules as Record<string, { sourceIdentifier: string }>)) {
        assert.equal(listed.get(name), rule.sourceIdentifier, `${pack}: ${name}`);
      }
      assert.ok(
        table.withoutRow.every((r) => packs[pack].rules[r.name]),
        'a rule without a row is a template rule',
      );
    }
    assert.deepEqual(
      fedramp.withoutRow.map((r) => r.name),
      ['rds-cluster-multi-az-enabled'],
    );
    assert.deepEqual(
      nist.withoutRow.map((r) => r.name),
      ['alb-waf-enabled', 'api-gw-associated-with-waf', 'rds-cluster-multi-az-enabled'],
    );
  });

  it('refuses a printed id that is not a control, naming the file and field', (t) => {
    const dir = join(tempDir(t), 'catalogs');
    cpSync(catalogsDir, dir, { recursive: true });
    const file = join(dir, 'mappings/aws-pack-fedramp-moderate.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"AC-2(1)", "AC-2(f)"', '"AC-2(1)", "AC-200(f)"'));
    assert.throws(
      () => loadCatalog(knownChecks, dir),
      (e: Error) => e.message.includes(file) && /rules\[0\]\.controls: unknown nist-sp-800-53-r5 control "AC-200"/.test(e.message),
    );
  });
});

describe('pack tables as data', () => {
  it("a table's baseline names a declared baseline of the table's framework, or the load stops naming file:line and field", (t) => {
    assert.deepEqual([nist.framework, nist.baseline], ['nist-sp-800-53-r5', undefined]);
    assert.deepEqual([fedramp.framework, fedramp.baseline], ['nist-sp-800-53-r5', 'fedramp-r5-moderate']);
    const dir = join(tempDir(t), 'catalogs');
    cpSync(catalogsDir, dir, { recursive: true });
    const file = join(dir, 'mappings/aws-pack-fedramp-moderate.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('baseline: fedramp-r5-moderate', 'baseline: no-such-baseline'));
    assert.throws(
      () => loadCatalog(knownChecks, dir),
      (e: Error) => e.message.includes(`${file}:`) && /baseline: unknown baseline "no-such-baseline"/.test(e.message),
    );
  });

  it('the KSI catalog is not a framework: it lives in catalogs/ksi/, and no framework, baseline or view is discovered from it', () => {
    assert.ok(existsSync(join(catalogsDir, 'ksi/fedramp-20x-ksi.yaml')));
    assert.ok(!existsSync(join(catalogsDir, 'frameworks/fedramp-20x-ksi.yaml')));
    const ids = [...catalog.frameworks.map((f) => f.framework), ...catalog.baselines.map((b) => b.baseline), ...catalog.views.map((v) => v.view)];
    assert.deepEqual(
      ids.filter((id) => /ksi/.test(id)),
      [],
    );
  });
});

describe('catalog export of the pack tables', () => {
  it('lists FedRAMP Moderate and NIST rev5 edges for every rule of both packs, each citing its source, and says where Security Hub disagrees', async () => {
    const r = await runCliInProcess(['catalog', 'export', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    type Edge = { framework: string; rule: string; control: string; source: string; sourceType: string; printed?: string; agreement?: string; secondSource?: string; note?: string };
    const edges: Edge[] = doc.edges;
    for (const table of [nist, fedramp]) {
      const fromTable = edges.filter((e) => e.framework === (table.baseline ?? table.framework) && e.sourceType === 'conformance-pack');
      assert.ok(fromTable.every((e) => e.source.includes(table.title) && e.source.includes(table.url)));
      for (const rule of table.rules)
        assert.ok(
          fromTable.some((e) => e.rule === rule.rule),
          `${table.framework}: ${rule.rule}`,
        );
      assert.equal(fromTable.length, packEdges(table).length);
    }
    // FedRAMP is mapped from its own table, not derived from NIST edges.
    const fedrampEdge = (rule: string, control: string) => edges.find((e) => e.framework === 'fedramp-r5-moderate' && e.rule === rule && e.control === control);
    assert.equal(fedrampEdge('ACCESS_KEYS_ROTATED', 'AC-2')!.printed, 'AC-2(f) AC-2(j)');
    assert.equal(fedrampEdge('ACCESS_KEYS_ROTATED', 'AC-3(15)'), undefined, 'a NIST edge is not a FedRAMP edge');
    assert.equal(fedrampEdge('S3_BUCKET_REPLICATION_ENABLED', 'AU-9(2)')!.note, 'not in the FedRAMP Rev. 5 Moderate baseline');
    // Both sources for a rule they share: each edge says which has it.
    const nistEdge = (rule: string, control: string) => edges.find((e) => e.framework === 'nist-sp-800-53-r5' && e.rule === rule && e.control === control)!;
    assert.deepEqual(
      [nistEdge('IAM_USER_MFA_ENABLED', 'IA-2(1)').agreement, nistEdge('IAM_USER_MFA_ENABLED', 'IA-2(1)').secondSource],
      ['both', 'AWS Security Hub controls reference: IAM.19 (Related requirements)'],
    );
    assert.equal(nistEdge('ACCESS_KEYS_ROTATED', 'AC-2(1)').agreement, 'security-hub-only');
    assert.match(nistEdge('ACCESS_KEYS_ROTATED', 'AC-2(1)').source, /^AWS Security Hub controls reference: IAM\.3/);
    assert.equal(nistEdge('RDS_INSTANCE_PUBLIC_ACCESS_CHECK', 'AC-21').agreement, 'pack-table-only');
    assert.equal(nistEdge('CLOUD_TRAIL_ENABLED', 'AU-14(1)').agreement, undefined, 'Security Hub does not map this rule');
    assert.deepEqual(doc.mappingSources.nistComparison, {
      rules: 100,
      agree: 720,
      packTableOnly: 6,
      securityHubOnly: 144,
      rulesDiffering: 50,
      tableRulesWithoutSecurityHub: 28,
      securityHubRulesNotInTable: 10,
    });
    const counts = edges.filter((e) => e.agreement).reduce<Record<string, number>>((n, e) => ({ ...n, [e.agreement!]: (n[e.agreement!] ?? 0) + 1 }), {});
    assert.deepEqual(counts, { both: 720, 'pack-table-only': 6, 'security-hub-only': 144 });
  });
});
