import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import fc from 'fast-check';
import { frmrFile, ksiCatalogYaml } from '../src/catalog/import-ksi.ts';
import { ksiCatalogPath, loadKsiCatalog, moderateIndicators, type KsiCatalog } from '../src/catalog/ksi.ts';
import { loadCatalog } from '../src/catalog/load.ts';
import { checksById } from '../src/checks/index.ts';
import { ksiStatus, rollUpKsi, type KsiReport } from '../src/evaluate/ksi.ts';
import { fipsModeChecks } from '../src/evaluate/ucm.ts';
import { controlStatuses, type ControlResult, type ControlStatus, type Result } from '../src/evaluate/result.ts';
import { catalogsDir, packageRoot } from '../src/core/paths.ts';
import { onlyPack, referenceDir, runCliInProcess, tempDir, untilExit } from './helpers.ts';

const addFormats = ((ajvFormats as unknown as { default?: typeof ajvFormats }).default ?? ajvFormats) as unknown as (a: Ajv) => void;
const frmrPath = join(referenceDir, frmrFile);
const schema = JSON.parse(readFileSync(join(packageRoot, 'src/evaluate/ksi.schema.json'), 'utf8'));

describe('FedRAMP 20x KSI catalog', () => {
  it(
    "is what the importer writes from FedRAMP's FRMR file, with every Moderate indicator",
    { skip: existsSync(frmrPath) ? false : `needs ${frmrFile} in ../shared/reference (FedRAMP's FRMR file; present in CI)` },
    () => {
      const bytes = readFileSync(frmrPath);
      assert.equal(readFileSync(join(catalogsDir, ksiCatalogPath), 'utf8'), ksiCatalogYaml(bytes), "the committed file is the importer's output (npm run catalog:import)");
      const frmr = JSON.parse(bytes.toString('utf8'));
      // Counted straight from the reference: an indicator applies at Moderate unless its Moderate statement is missing or optional.
      let moderate = 0;
      let all = 0;
      for (const theme of Object.values(frmr.KSI) as any[]) {
        for (const ind of Object.values(theme.indicators) as any[]) {
          all++;
          const s: string | undefined = ind.statement ?? ind.varies_by_level?.moderate?.statement;
          if (s !== undefined && !s.startsWith('**Optional')) moderate++;
        }
      }
      const { catalog } = loadKsiCatalog();
      assert.equal(moderateIndicators(catalog).length, moderate);
      assert.equal(moderate, 60, 'FRMR 0.9.43-beta: 60 indicators in 11 themes, all required at Moderate');
      assert.equal(all, 60);
      assert.equal(catalog.themes.length, Object.keys(frmr.KSI).length);
      assert.equal(catalog.provenance[0]!.sha256, createHash('sha256').update(bytes).digest('hex'));
      const optionalAtLow = catalog.themes
        .flatMap((t) => t.indicators)
        .filter((i) => i.low === 'optional')
        .map((i) => i.id);
      assert.deepEqual(optionalAtLow, ['KSI-CNA-EIS', 'KSI-MLA-ALA', 'KSI-SVC-PRR', 'KSI-SVC-RUD', 'KSI-SVC-VCM']);
      const apm = catalog.themes.flatMap((t) => t.indicators).find((i) => i.id === 'KSI-IAM-APM')!;
      assert.deepEqual(apm.controls.slice(0, 4), ['AC-2', 'AC-3', 'IA-2(1)', 'IA-2(2)'], 'OSCAL ids as NIST prints them');
      assert.deepEqual(
        catalog.ucm.requirements.map((r) => r.id),
        ['UCM-CSX-CMD', 'UCM-CSX-UVM', 'UCM-CSX-CAT'],
      );
    },
  );

  it('relates only controls the NIST catalog defines', () => {
    const { catalog: ksi } = loadKsiCatalog();
    const nist = loadCatalog(new Set(checksById.keys())).frameworks.find((f) => f.framework === ksi.controlsOf)!;
    assert.ok(nist, `controlsOf names a framework of catalogs/frameworks/: ${ksi.controlsOf}`);
    assert.doesNotThrow(() => loadKsiCatalog(catalogsDir, new Set(nist.controls.map((c) => c.id))));
  });

  it('is validated at load: a broken file is named with its line and field', (t) => {
    const dir = join(tempDir(t), 'catalogs');
    cpSync(catalogsDir, dir, { recursive: true });
    const file = join(dir, ksiCatalogPath);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('moderate: required, controls: ["AC-3"', 'moderate: sometimes, controls: ["AC-3"'));
    assert.throws(
      () => loadKsiCatalog(dir),
      (e: Error) => /fedramp-20x-ksi\.yaml:\d+: themes\[0\]\.indicators\[0\]\.moderate: must be equal to one of the allowed values/.test(e.message),
    );
    writeFileSync(file, text.replace('"AC-3", "AC-4"', '"AC-3", "XX-99"'));
    assert.throws(() => loadKsiCatalog(dir, new Set(['AC-3', 'AC-4'])), /themes\[0\]\.indicators\[0\]\.controls\[1\]: unknown nist-sp-800-53-r5 control "XX-99"/);
    writeFileSync(file, text.replace('{id: "KSI-AFR-CCM"', '{id: "KSI-AFR-ADS"'));
    assert.throws(() => loadKsiCatalog(dir), /themes\[0\]\.indicators\[1\]\.id: duplicate indicator KSI-AFR-ADS/);
  });
});

/** A catalog control of a synthetic result, mapped to the NIST ids given. */
function control(id: string, status: ControlStatus, nist: string[], assessment: ControlResult['assessment'] = 'automated'): ControlResult {
  return {
    id,
    title: id,
    services: [],
    guidance: [],
    responsibility: { owner: 'customer', aws: '', customer: '' },
    assessment,
    status,
    statusReason: '',
    remediation: '',
    mappings: { 'nist-sp-800-53-r5': nist.map((n) => ({ id: n, title: n, source: { type: 'own-reasoning', rationale: 'test' } })), gdpr: [] },
    evidence: [
      {
        source: { kind: 'check', id: 'x', title: 'x' },
        status: status === 'fail' ? 'fail' : 'pass',
        account: '1',
        region: 'r',
        message: '',
        observedAt: '',
        origin: { file: `evidence/${id}.json`, pointer: '', api: 'x' },
      },
    ],
    items: [{ file: `items/${id}.jsonl`, count: 1, bytes: 1, sha256: '' }],
    counts: { pass: 0, fail: 0, 'not-applicable': 0, gap: 0, waived: 0 },
    disagreements: [],
    attestations: [],
  };
}

function resultWith(controls: ControlResult[], rules: { nist: string; rule: string; status: ControlStatus }[] = []): Result {
  return {
    generatedAt: '2026-11-01T00:00:00Z',
    organization: 'Test',
    controls,
    frameworks: [
      {
        id: 'b',
        kind: 'baseline',
        of: 'nist-sp-800-53-r5',
        title: 'b',
        label: 'b',
        list: 'all',
        rows: rules.map((r) => ({ id: r.nist, title: r.nist, family: 'X', status: r.status, via: [], rules: [{ rule: r.rule, source: 'test', status: r.status, results: 1 }] })),
      },
    ],
  } as unknown as Result;
}

const catalogOf = (controls: string[][]): KsiCatalog => ({
  framework: 'fedramp-20x-ksi',
  title: 't',
  controlsOf: 'nist-sp-800-53-r5',
  ucmView: 'fips',
  provenance: [{ publisher: 'p', file: 'f', version: 'v', lastUpdated: '2026-04-08', sha256: '0'.repeat(64), repository: 'r' }],
  ucm: { id: 'UCM', name: 'u', requirements: [{ id: 'UCM-CSX-CMD', name: 'n' }] },
  themes: [{ id: 'KSI-TST', name: 'test', indicators: controls.map((c, i) => ({ id: `KSI-TST-A${i}`, name: `i${i}`, low: 'required', moderate: 'required', controls: c })) }],
});

describe('KSI roll-up', () => {
  it('follows the truth table: fail dominates, then gap, waived; pass only with automated evidence; manual where nothing automated covers it', () => {
    const s = (...xs: (ControlStatus | undefined)[]) => ksiStatus(xs.map((automated) => (automated ? { automated } : {})));
    assert.equal(s(), 'manual', 'no related control');
    assert.equal(s(undefined, undefined), 'manual', 'related controls, none with automated evidence');
    assert.equal(s('pass', undefined), 'pass', 'the automated evidence passes');
    assert.equal(s('pass', 'fail'), 'fail');
    assert.equal(s('gap', 'fail', 'pass'), 'fail', 'fail dominates a gap');
    assert.equal(s('gap', 'pass'), 'gap');
    assert.equal(s('waived', 'pass'), 'waived');
    assert.equal(s('gap', 'waived'), 'gap');
    assert.equal(s('not-applicable', 'pass'), 'pass');
    assert.equal(s('not-applicable'), 'not-applicable');
  });

  it('never passes while a related control fails, whatever else the pack holds', () => {
    const status = fc.option(fc.constantFrom(...controlStatuses), { nil: undefined });
    const roll = (xs: (ControlStatus | undefined)[]) => ksiStatus(xs.map((automated) => (automated ? { automated } : {})));
    fc.assert(
      fc.property(fc.array(status, { maxLength: 8 }), fc.nat(8), (xs, at) => {
        const related = [...xs];
        related.splice(at % (xs.length + 1), 0, 'fail');
        return roll(related) === 'fail';
      }),
      { endOnFailure: true },
    );
    fc.assert(
      fc.property(fc.array(status, { maxLength: 8 }), (xs) => roll(xs) !== 'pass' || (xs.includes('pass') && xs.every((x) => x === undefined || x === 'pass' || x === 'not-applicable'))),
      { endOnFailure: true },
    );
  });

  it("reads each related control's status from the catalog controls and AWS Config rules of result.json, counting and pointing at the evidence", () => {
    const result = resultWith(
      [control('WSAS-01', 'pass', ['SC-13', 'AC-2']), control('WSAS-02', 'fail', ['AC-2']), control('WSAS-03', 'manual', ['AU-2'], 'manual'), control('WSAS-04', 'inherited', ['PE-3'], 'inherited')],
      [
        { nist: 'CM-2', rule: 'CLOUD_TRAIL_ENABLED', status: 'pass' },
        { nist: 'SC-13', rule: 'KMS_CMK_NOT_SCHEDULED_FOR_DELETION', status: 'gap' },
      ],
    );
    const report = rollUpKsi(result, catalogOf([['AC-2', 'SC-13'], ['SC-13'], ['AU-2', 'PE-3', 'AC-17'], ['CM-2', 'AC-17'], []]), 'f'.repeat(64));
    const [a0, a1, a2, a3, a4] = report.indicators;
    assert.equal(a0!.status, 'fail', 'AC-2 fails through WSAS-02, though WSAS-01 passes');
    assert.deepEqual(a0!.evidence, {
      controls: ['WSAS-01', 'WSAS-02'],
      items: ['items/WSAS-01.jsonl', 'items/WSAS-02.jsonl'],
      files: ['evidence/WSAS-01.json', 'evidence/WSAS-02.json'],
      rules: ['KMS_CMK_NOT_SCHEDULED_FOR_DELETION'],
    });
    assert.equal(a0!.related.counts.fail, 1);
    assert.equal(a0!.related.counts.gap, 1, 'SC-13: WSAS-01 passes, its Config rule is a gap');
    assert.equal(a1!.status, 'gap');
    assert.equal(a2!.status, 'manual', 'a manual and an inherited control are not automated evidence');
    assert.equal(a2!.related.counts['not-assessed'], 1);
    assert.equal(a2!.related.withAutomatedEvidence, 0);
    assert.equal(a3!.status, 'pass', 'a passing Config rule is automated evidence');
    assert.match(a3!.reason, /^1 related control with automated evidence, all passing; 1 other without automated evidence needs attestation$/);
    assert.equal(a4!.status, 'manual');
    assert.deepEqual(report.summary, { indicators: 5, statuses: { pass: 1, fail: 1, gap: 1, manual: 2, waived: 0, 'not-applicable': 0 } });
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    assert.ok(ajv.validate(schema, report), JSON.stringify(ajv.errors?.slice(0, 3)));
  });

  it('UCM names only checks that exist', () => {
    for (const id of fipsModeChecks) assert.ok(checksById.has(id), id);
  });
});

describe('ksi.json in a pack', () => {
  let pack: string;
  let ksi: KsiReport;
  before(async () => {
    const out = tempDir(untilExit);
    const r = await runCliInProcess(['run', '--out', out, '--no-pdf']);
    assert.equal(r.code, 0, r.stderr);
    pack = onlyPack(out);
    ksi = JSON.parse(readFileSync(join(pack, 'ksi.json'), 'utf8'));
  });

  it('validates against src/evaluate/ksi.schema.json, and the schema rejects a bad one', () => {
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.ok(validate(ksi), JSON.stringify(validate.errors?.slice(0, 5), null, 1));
    const broken: any = structuredClone(ksi);
    broken.indicators[0].status = 'mostly';
    assert.equal(validate(broken), false);
  });

  it('is listed in the signed manifest and points only at files of the pack', () => {
    const manifest = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8'));
    const entry = manifest.files.find((f: any) => f.path === 'ksi.json');
    assert.ok(entry, 'ksi.json is in the manifest');
    assert.equal(
      entry.sha256,
      createHash('sha256')
        .update(readFileSync(join(pack, 'ksi.json')))
        .digest('hex'),
    );
    const listed = new Set(manifest.files.map((f: any) => f.path));
    for (const i of ksi.indicators) for (const f of [...i.evidence.items, ...i.evidence.files]) assert.ok(listed.has(f), `${i.id}: ${f}`);
  });

  it('rolls up the sample honestly: every Moderate indicator, none passing over a failing control', () => {
    assert.equal(ksi.summary.indicators, 60);
    assert.deepEqual(ksi.summary.statuses, { pass: 2, fail: 23, gap: 0, manual: 35, waived: 0, 'not-applicable': 0 });
    for (const i of ksi.indicators) {
      if (i.status === 'pass')
        assert.ok(
          i.related.controls.every((c) => c.automated === undefined || c.automated === 'pass' || c.automated === 'not-applicable'),
          i.id,
        );
      if (i.related.controls.some((c) => c.automated === 'fail')) assert.equal(i.status, 'fail', i.id);
    }
    const snt = ksi.indicators.find((i) => i.id === 'KSI-SVC-SNT')!;
    assert.equal(snt.status, 'fail');
    assert.ok(snt.evidence.controls.includes('WSAS-07'), 'SC-13 evidence: WorkSpaces directories not FIPS_VALIDATED');
  });

  it('ties UCM to the FIPS view: which WorkSpaces directories and CloudTrail samples use FIPS endpoints, which not, which rest on an attestation', () => {
    const rows = new Map(ksi.ucm.rows.map((r) => [r.control, r]));
    assert.equal(ksi.ucm.standard.id, 'UCM');
    assert.equal(ksi.ucm.standard.indicator, 'KSI-AFR-UCM');
    const ws = rows.get('WSAS-07')!;
    assert.equal(ws.basis, 'aws-data');
    assert.equal(ws.counts.pass, ws.fips.length);
    assert.equal(ws.notFips.length, 2);
    assert.ok(ws.notFips.every((r) => /not FIPS_VALIDATED/.test(r.message)));
    const trail = rows.get('WSAS-08')!;
    assert.ok(trail.notFips.length > 0 && trail.notFips.every((r) => /non-FIPS endpoints/.test(r.message)));
    assert.equal(rows.get('WSAS-12')!.basis, 'attestation');
    assert.equal(rows.get('WSAS-14')!.basis, 'inherited');
    assert.ok(ksi.ucm.encryptionOnly.includes('WSAS-05'), 'KMS and S3 encryption evidence is named, not counted as FIPS mode');
    assert.ok(!rows.has('WSAS-05'));
  });

  it('is shown in the report: indicators grouped by theme with their status, and the UCM table', () => {
    const html = readFileSync(join(pack, 'report.html'), 'utf8');
    const section = html.slice(html.indexOf('<section id="ksi">'), html.indexOf('</section>', html.indexOf('<section id="ksi">')));
    assert.ok(section.length > 0, 'the KSI section is there');
    assert.match(html, /<a href="#ksi"><span class="toc-title">FedRAMP 20x Key Security Indicators<\/span>/, 'and in the contents');
    for (const theme of ksi.themes) assert.ok(section.includes(`<tr class="family"><td colspan="6">${theme.id} `), theme.id);
    const rows = [...section.matchAll(/<tr class="status-([a-z-]+)"><td class="mono">(KSI-[A-Z]{3}-[A-Z0-9]+)<\/td>/g)].map((m) => [m[2], m[1]]);
    assert.deepEqual(
      rows,
      ksi.indicators.map((i) => [i.id, i.status]),
      'every indicator, in theme order, with its status',
    );
    assert.match(section, /Cryptographic modules \(UCM, KSI-AFR-UCM\) and the FIPS view/);
    assert.match(section, /<a href="#control-WSAS-07">WSAS-07<\/a>/);
  });
});
