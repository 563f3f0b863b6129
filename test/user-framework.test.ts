// A framework is one data file: a user's own control set, loaded with --catalog (or the settings file's
// `catalog`), reaches the report, the CSV and OSCAL with no code change; a malformed one is one line and exit 2.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { diffPacks } from '../src/period/drift.ts';
import { readResult } from '../src/evaluate/read-result.ts';
import type { Result } from '../src/evaluate/result.ts';
import { compiled, onlyPack, referenceDir, root, runCliInProcess, tempDir, untilExit } from './helpers.ts';

const example = join(root, 'catalogs/examples/acme-example-controls.yaml');
const frameworkId = 'acme-example-controls';
const exampleIds = ['ACME-ENC-01', 'ACME-ENC-02', 'ACME-ENC-03', 'ACME-IAM-01', 'ACME-LOG-01', 'ACME-LOG-02', 'ACME-DAT-01', 'ACME-DAT-02'];

/** A user's catalog directory holding the example framework file, and nothing of this repository's code. */
function userCatalog(t: { after(fn: () => void): void }, text = readFileSync(example, 'utf8'), name = 'acme-example-controls.yaml'): { dir: string; file: string } {
  const dir = join(tempDir(t), 'my-catalog');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
  return { dir, file: join(dir, name) };
}

describe("a unit's catalog", () => {
  it("is the run's, not the one an earlier run in the same process loaded", async (t) => {
    const { threadCatalog } = await compiled<typeof import('../src/evaluate/units/snapshot-units.ts')>('evaluate/units/snapshot-units');
    const builtIn = threadCatalog();
    const { dir } = userCatalog(t);
    const withUser = threadCatalog([dir]);
    assert.ok(!builtIn.frameworks.some((f) => f.framework === frameworkId));
    assert.ok(withUser.frameworks.some((f) => f.framework === frameworkId));
    assert.equal(threadCatalog(), builtIn, 'loaded once a thread');
  });
});

describe('a user framework from --catalog DIR', () => {
  let pack: string;
  let result: Result;
  before(async () => {
    const { dir } = userCatalog(untilExit);
    const out = tempDir(untilExit);
    const r = await runCliInProcess(['run', '--catalog', dir, '--out', out, '--no-pdf']);
    assert.equal(r.code, 0, r.stderr);
    pack = onlyPack(out);
    result = readResult(join(pack, 'result.json'));
  });

  it('is evaluated: every control listed, statuses from rules, checks and inherited NIST controls', () => {
    const fw = result.frameworks.find((f) => f.id === frameworkId)!;
    assert.ok(fw, 'the framework is in result.json');
    assert.equal(fw.list, 'all');
    assert.deepEqual(
      fw.rows.map((r) => r.id),
      exampleIds,
    );
    const row = (id: string) => fw.rows.find((r) => r.id === id)!;
    // Rules: one passes, one fails; the checks' catalog control (WSAS-05) fails too.
    assert.deepEqual(
      row('ACME-ENC-01').rules.map((r) => [r.rule, r.status]),
      [
        ['S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED', 'pass'],
        ['S3_DEFAULT_ENCRYPTION_KMS', 'fail'],
      ],
    );
    assert.equal(row('ACME-ENC-01').status, 'fail');
    assert.ok(row('ACME-IAM-01').via.includes('WSAS-02'), "checks iam-user-mfa/iam-root-mfa are WSAS-02's");
    // Inherited through NIST edges: the NIST control's own status, never better than it.
    const nist = result.frameworks.find((f) => f.id === 'nist-sp-800-53-r5')!;
    const inherited = row('ACME-ENC-03').inherits!;
    assert.deepEqual(
      inherited.map((i) => i.id),
      ['SC-8(1)', 'SC-13'],
    );
    for (const i of inherited) assert.equal(i.status, nist.rows.find((r) => r.id === i.id)!.status, i.id);
    // Nothing addresses it: listed as not assessed, never a pass.
    assert.equal(row('ACME-DAT-02').status, 'not-assessed');
  });

  it('appears in report.html with a section, its controls and statuses', () => {
    const html = readFileSync(join(pack, 'report.html'), 'utf8');
    const section = html.split('<section id="frameworks">')[1]!.split('</section>')[0]!;
    assert.match(section, /<h3>ACME Corp information security standard \(example\): all 8 controls<\/h3>/);
    for (const id of exampleIds) assert.ok(section.includes(`<td class="mono">${id}</td>`), id);
    assert.match(section, /NIST 800-53 r5 SC-8\(1\) <span class="muted">\(Fail, inherited\)/, "an inherited edge is shown, by the framework's label");
    assert.match(html, /<strong>ACME Corp information security standard \(example\)<\/strong>: 7 of 8 controls addressed/, 'and in the summary');
  });

  it('has a column in evidence.csv naming the framework controls each item is evidence for', () => {
    const [header, ...rows] = readFileSync(join(pack, 'evidence.csv'), 'utf8').trim().split('\r\n');
    const columns = header!.split(',');
    assert.deepEqual(columns.slice(-3), ['nist_sp_800_53_r5', 'gdpr', 'acme_example_controls']);
    const wsas02 = rows.filter((r) => r.startsWith('WSAS-02,'));
    assert.ok(wsas02.length > 0 && wsas02.every((r) => r.endsWith(',ACME-IAM-01')), wsas02[0]);
  });

  it('has OSCAL findings of its own, one per assessed control, and the manifest lists every output', () => {
    const oscal = JSON.parse(readFileSync(join(pack, 'oscal-assessment-results.json'), 'utf8'));
    const findings = oscal['assessment-results'].results[0].findings.filter((f: any) => f.props.some((p: any) => p.name === 'framework' && p.value === frameworkId));
    assert.deepEqual(
      findings.map((f: any) => f.target['target-id']).sort(),
      exampleIds
        .filter((id) => id !== 'ACME-DAT-02')
        .map((id) => `${id.toLowerCase()}_smt`)
        .sort(),
    );
    const iam = findings.find((f: any) => f.target['target-id'] === 'acme-iam-01_smt');
    assert.equal(iam.target.status.state, 'not-satisfied');
    assert.match(iam.description, /AWS Config rule IAM_USER_MFA_ENABLED: fail/);
    const manifest = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8'));
    const listed = new Set(manifest.files.map((f: { path: string }) => f.path));
    for (const f of ['report.html', 'evidence.csv', 'oscal-assessment-results.json', 'result.json']) assert.ok(listed.has(f), f);
  });

  const schemaFile = join(referenceDir, 'oscal/v1.1.3/oscal_assessment-results_schema.json');
  it('keeps the OSCAL document valid', { skip: existsSync(schemaFile) ? false : 'needs ../shared/reference (NIST OSCAL schema)' }, () => {
    const addFormats = ((ajvFormats as unknown as { default?: typeof ajvFormats }).default ?? ajvFormats) as unknown as (a: Ajv) => void;
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    assert.ok(validate(JSON.parse(readFileSync(join(pack, 'oscal-assessment-results.json'), 'utf8'))), JSON.stringify(validate.errors?.slice(0, 3)));
  });

  it('drifts per framework: a framework new in this pack, and a control whose status changed', async () => {
    const current = result;
    const previous: Result = structuredClone(current);
    previous.frameworks = previous.frameworks.filter((f) => f.id !== frameworkId);
    const fedramp = previous.frameworks.find((f) => f.id === 'fedramp-r5-moderate')!;
    fedramp.rows.find((r) => r.id === 'IA-2(1)')!.status = 'pass';
    const drift = await diffPacks({ dir: pack, result: previous }, { dir: pack, result: current });
    assert.deepEqual(drift.frameworks.find((f) => f.id === frameworkId)!.presence, 'new');
    assert.deepEqual(drift.frameworks.find((f) => f.id === 'fedramp-r5-moderate')!.changes, [{ id: 'IA-2(1)', before: 'pass', after: 'fail', change: 'regressed' }]);
    assert.deepEqual(drift.frameworks.find((f) => f.id === 'gdpr')!.changes, []);
  });
});

describe('the shipped example', () => {
  it("works with --catalog catalogs/examples and the settings file's catalog key (a path relative to the file)", async (t) => {
    const direct = await runCliInProcess(['catalog', 'export', '--catalog', 'catalogs/examples']);
    assert.equal(direct.code, 0, direct.stderr);
    const edges = JSON.parse(direct.stdout).edges.filter((e: { framework: string }) => e.framework === frameworkId);
    assert.ok(edges.some((e: any) => e.rule === 'IAM_USER_MFA_ENABLED' && e.control === 'ACME-IAM-01' && e.ruleKind === 'aws-managed-rule'));
    assert.ok(edges.some((e: any) => e.rule === 'macie-enabled' && e.control === 'ACME-DAT-01' && e.ruleKind === 'built-in-check'));
    assert.ok(edges.some((e: any) => e.rule === 'nist-sp-800-53-r5:AU-9' && e.control === 'ACME-LOG-02' && e.ruleKind === 'framework-control'));
    const { dir } = userCatalog(t);
    const settings = join(dir, '..', 'evidence-pack.yaml');
    writeFileSync(settings, 'catalog: my-catalog\n');
    const viaSettings = await runCliInProcess(['catalog', 'export', '--config', settings]);
    assert.equal(viaSettings.code, 0, viaSettings.stderr);
    assert.equal(JSON.parse(viaSettings.stdout).edges.filter((e: { framework: string }) => e.framework === frameworkId).length, edges.length);
    const without = await runCliInProcess(['catalog', 'export']);
    assert.ok(!without.stdout.includes(frameworkId), 'only when asked for');
  });
});

describe('a malformed user framework', () => {
  const original = readFileSync(example, 'utf8');
  const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
  const cases: { name: string; edit: (s: string) => string; needle: string; field: RegExp }[] = [
    { name: 'a bad framework id', edit: (s) => s.replace('framework: acme-example-controls', 'framework: ACME Example'), needle: 'framework: ACME', field: /: framework: must match pattern/ },
    {
      name: 'a duplicate control id',
      edit: (s) => s.replace('  - id: ACME-ENC-02', '  - id: ACME-ENC-01'),
      needle: '  - id: ACME-ENC-01\n    title: "Encryption keys',
      field: /: controls\[1\]\.id: duplicate control id "ACME-ENC-01"/,
    },
    {
      name: 'an unknown rule',
      edit: (s) => s.replace('rules: [CMK_BACKING_KEY_ROTATION_ENABLED]', 'rules: [CMK_BACKING_KEY_ROTATION_ENABLED_TYPO]'),
      needle: 'rules: [CMK_BACKING_KEY_ROTATION_ENABLED_TYPO]',
      field: /: controls\[1\] \(ACME-ENC-02\)\.rules\[0\]: unknown managed rule "CMK_BACKING_KEY_ROTATION_ENABLED_TYPO"/,
    },
    {
      name: 'an unknown check',
      edit: (s) => s.replace('checks: [macie-enabled]', 'checks: [macie-on]'),
      needle: 'checks: [macie-on]',
      field: /: controls\[6\] \(ACME-DAT-01\)\.checks\[0\]: unknown built-in check "macie-on"/,
    },
    {
      name: 'an unknown NIST id',
      edit: (s) => s.replace('["AU-9"]', '["AU-99"]'),
      needle: '["AU-99"]',
      field: /: controls\[5\] \(ACME-LOG-02\)\.inherits\.nist-sp-800-53-r5\[0\]: unknown nist-sp-800-53-r5 control "AU-99"/,
    },
    {
      name: 'an unknown framework inherited from',
      edit: (s) => s.replace('inherits: {nist-sp-800-53-r5: ["AU-9"]}', 'inherits: {iso-27001: ["A.5"]}'),
      needle: 'inherits: {iso-27001',
      field: /inherits\.iso-27001\[0\]: unknown framework "iso-27001"/,
    },
    { name: 'bad YAML', edit: (s) => s.replace('    family: ENC\n    rules: [CMK', '    family: ENC\n   rules: [CMK'), needle: '   rules: [CMK', field: /acme-example-controls\.yaml:\d+: / },
  ];
  for (const c of cases) {
    it(`${c.name}: one line naming file:line and field, exit 2`, async (t) => {
      const text = c.edit(original);
      assert.notEqual(text, original, 'the edit applies');
      const { dir, file } = userCatalog(t, text);
      const r = await runCliInProcess(['catalog', 'export', '--catalog', dir]);
      assert.equal(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, c.field);
      const line = Number(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(lines[0]!)?.[1]);
      assert.ok(line > 0, `names the file and a line: ${lines[0]}`);
      if (c.name !== 'bad YAML') assert.equal(line, lineOf(text, c.needle), lines[0]);
      assert.ok(!/\bat .*\.ts:\d+/.test(r.stderr), 'no stack trace');
    });
  }

  it('stops a run before anything is written', async (t) => {
    const { dir } = userCatalog(t, original.replace('["AU-9"]', '["AU-99"]'));
    const out = tempDir(t);
    const r = await runCliInProcess(['run', '--catalog', dir, '--out', out, '--no-pdf']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /acme-example-controls\.yaml:\d+: controls\[5\] \(ACME-LOG-02\)\.inherits\.nist-sp-800-53-r5\[0\]: unknown nist-sp-800-53-r5 control "AU-99"/);
    assert.deepEqual(
      readdirSync(out).filter((f) => !f.startsWith('.')),
      [],
    );
  });

  it('a directory without catalog files, and a framework id the built-ins already use', async (t) => {
    const empty = tempDir(t);
    const r = await runCliInProcess(['catalog', 'export', '--catalog', empty]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--catalog .*: no catalog files/);
    const { file, dir } = userCatalog(t, original.replace('framework: acme-example-controls', 'framework: gdpr'));
    const clash = await runCliInProcess(['catalog', 'export', '--catalog', dir]);
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: framework: "gdpr" is already declared by .*gdpr\\.yaml`));
  });
});

describe('no framework is named in code', () => {
  // Frameworks live in catalogs/; these files may name them, each for a reason:
  const allowed: Record<string, string> = {
    'src/catalog/import-oscal.ts': "developer tool that writes NIST's and GSA's OSCAL files into those frameworks' data files",
    'src/catalog/import-rule-mappings.ts': "developer tool that writes AWS's published rule → 800-53 table into its mapping file",
    'src/evaluate/legacy-frameworks.ts': 'reads packs made before frameworks were data (result@3 and older name them by fixed keys)',
    // FedRAMP's own deliverables: document formats a FedRAMP package requires, not framework sections. Which
    // framework's statuses they read comes from data (the KSI catalog's controlsOf and ucmView, the baselines' framework).
    'src/catalog/import-ksi.ts': "developer tool that writes FedRAMP's FRMR file into catalogs/ksi/",
    'src/catalog/ksi.ts': 'the FedRAMP 20x KSI catalog: where it lives (catalogs/ksi/) and its indicator levels',
    'src/evaluate/ksi.ts': "the FedRAMP 20x KSI roll-up (ksi.json): its rule and reasons name FedRAMP as the indicators' author",
    'src/evaluate/ksi.schema.json': "ksi.json's schema: its title and the KSI catalog's id",
    'templates/partials/ksi.hbs': "the report's KSI section: FedRAMP's indicators and UCM standard",
    'src/render/poam-outputs.ts': "poam.csv/.xlsx/OSCAL in FedRAMP's POA&M template columns and OSCAL namespace",
    'src/poam/risk.ts': "POA&M remediation windows as FedRAMP's continuous monitoring guide sets them",
    'templates/partials/poam.hbs': "says the POA&M files follow FedRAMP's template",
    'src/inventory/columns.ts': "inventory columns of FedRAMP's Integrated Inventory Workbook",
    'src/inventory/write.ts': "inventory.csv/.xlsx in the Integrated Inventory Workbook's columns",
    'src/pack/readme.ts': "the pack README names the inventory's format (FedRAMP's Integrated Inventory Workbook)",
  };
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });

  it('src/ and templates/ name no framework id outside the allow-list', () => {
    const names = /nist-sp-800-53-r5|fedramp|gdpr/i;
    const hits: string[] = [];
    for (const file of [...walk(join(root, 'src')), ...walk(join(root, 'templates'))]) {
      const rel = relative(root, file);
      if (/\.(png|jpe?g|gif|pdf)$/.test(rel) || allowed[rel]) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (names.test(line)) hits.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(hits, []);
    for (const f of Object.keys(allowed)) assert.ok(existsSync(join(root, f)), `allow-listed ${f} exists`);
  });
});

describe('a pack made before frameworks were data (result@3)', () => {
  it('re-renders with its frameworks: the NIST, FIPS and GDPR sections and the CSV columns', async (t) => {
    const out = tempDir(t);
    const r = await runCliInProcess(['run', '--out', out, '--no-pdf']);
    assert.equal(r.code, 0, r.stderr);
    const pack = onlyPack(out);
    const now = JSON.parse(readFileSync(join(pack, 'result.json'), 'utf8')) as Result;
    // As result@3 wrote it: mappings under fixed keys with flags, and the baseline under `baselines`.
    const fedramp = now.frameworks.find((f) => f.id === 'fedramp-r5-moderate')!;
    const old = {
      ...now,
      schema: 'evidence-pack/result@3',
      frameworks: undefined,
      baselines: [{ id: fedramp.id, title: fedramp.title, rows: fedramp.rows }],
      controls: now.controls.map((c) => ({
        ...c,
        mappings: {
          nist: (c.mappings['nist-sp-800-53-r5'] ?? []).map(({ in: holders, ...m }) => ({ ...m, fedrampModerate: holders?.includes(fedramp.id) ?? false, fips: holders?.includes('fips') ?? false })),
          gdpr: c.mappings.gdpr ?? [],
        },
      })),
    };
    writeFileSync(join(pack, 'result.json'), JSON.stringify(old));
    const again = await runCliInProcess(['render', pack, '--no-pdf', '--only', 'html,csv', '--force']);
    assert.equal(again.code, 0, again.stderr);
    const html = readFileSync(join(pack, 'report.html'), 'utf8');
    assert.match(html, /<h3>NIST SP 800-53 Rev\. 5: controls this catalog maps to<\/h3>/);
    assert.match(html, /<h3>FedRAMP Rev\. 5 Moderate baseline: all 323 controls<\/h3>/);
    assert.match(html, /<span class="tag">FIPS view<\/span>/);
    assert.match(html, /<th>GDPR<\/th><td class="mono">Art\. 32<\/td>/);
    assert.match(readFileSync(join(pack, 'evidence.csv'), 'utf8').split('\r\n')[0]!, /,nist_sp_800_53_r5,gdpr$/);
  });
});
