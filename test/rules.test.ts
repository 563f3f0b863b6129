// Which AWS Config managed rules count as evidence of a control, which of their verdicts are compared
// with a built-in check, and the multi-region trail judged as the account's property (issue 20, items 6–8).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadCatalog } from '../src/catalog/load.ts';
import { checks, checksById } from '../src/checks/index.ts';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { MemoryLinesStore } from '../src/evaluate/item-files.ts';
import type { EvidenceItem } from '../src/evaluate/result.ts';
import { apiResourceTypes, readSnapshot } from '../src/evidence/read.ts';
import type { ComplianceType, Snapshot } from '../src/evidence/types.ts';
import { referenceDir, sampleDir } from './helpers.ts';

const catalog = loadCatalog(new Set(checksById.keys()));
const catalogRules = catalog.controls.controls.flatMap((c) => (c.evidence?.rules ?? []).map((r) => ({ control: c.id, ...r })));

/** The sample estate, read afresh (each test changes its own copy). */
const sample = () => readSnapshot(sampleDir);
/** Evaluates the estate whole; `items(control)` reads every evidence item of a control back. */
function run(snapshot: Snapshot) {
  const lines = new MemoryLinesStore();
  const result = evaluate({ snapshot, catalog, checks: checksById, generatedAt: '2026-11-01T00:00:00Z', tool: { name: 't', version: '0' }, packPathOf: (p) => p, lines });
  const control = (id: string) => result.controls.find((c) => c.id === id)!;
  const items = (id: string) => (control(id).items ?? []).flatMap((f) => lines.read<EvidenceItem>(f.file));
  return { result, control, items };
}
const origin = { file: 'test', pointer: '', api: 'test' };

/** Deploys a managed rule in the account/region with one result per resource. */
function deploy(s: Snapshot, account: string, region: string, sourceIdentifier: string, name: string, results: [type: string, id: string, compliance: ComplianceType][]) {
  s.rules.push({ account, region, name, owner: 'AWS', sourceIdentifier, state: 'ACTIVE', evaluated: true, origin });
  for (const [resourceType, resourceId, compliance] of results) {
    s.evaluations.push({ account, region, ruleName: name, sourceIdentifier, resourceType, resourceId, compliance, recordedAt: '2026-10-30T03:00:00.000Z', origin });
  }
}

/**
 * Managed rules AWS published after the 2023 pages kept in ../shared/reference/aws/, each read on AWS's
 * own page (AWS Config Developer Guide) on 2026-12-03: identifier, rule name and resource type.
 */
const newerThanReference: Record<string, { name: string; url: string }> = {
  WORKSPACES_ROOT_VOLUME_ENCRYPTION_ENABLED: {
    name: 'workspaces-root-volume-encryption-enabled',
    url: 'https://docs.aws.amazon.com/config/latest/developerguide/workspaces-root-volume-encryption-enabled.html',
  },
  WORKSPACES_USER_VOLUME_ENCRYPTION_ENABLED: {
    name: 'workspaces-user-volume-encryption-enabled',
    url: 'https://docs.aws.amazon.com/config/latest/developerguide/workspaces-user-volume-encryption-enabled.html',
  },
  APPSTREAM_FLEET_IN_VPC: { name: 'appstream-fleet-in-vpc', url: 'https://docs.aws.amazon.com/config/latest/developerguide/appstream-fleet-in-vpc.html' },
  MACIE_STATUS_CHECK: { name: 'macie-status-check', url: 'https://docs.aws.amazon.com/config/latest/developerguide/macie-status-check.html' },
};

const managedRulePages = join(referenceDir, 'aws/config-managed-rule-pages-2023.json');
describe('managed rules named in the catalog', { skip: existsSync(managedRulePages) ? false : 'needs ../shared/reference/aws (present in CI and for developers, absent in a user clone)' }, () => {
  const pages: Record<string, { identifier: string }> = existsSync(managedRulePages) ? JSON.parse(readFileSync(managedRulePages, 'utf8')).rules : {};
  const nameOf = new Map(Object.entries(pages).map(([name, p]) => [p.identifier, name]));

  it("are AWS managed rules, under their AWS rule names, each edge citing the rule's AWS page", () => {
    for (const r of catalogRules) {
      const name = nameOf.get(r.rule) ?? newerThanReference[r.rule]?.name;
      assert.ok(name, `${r.control}: ${r.rule} is not an AWS managed-rule identifier`);
      assert.equal(r.name, name, `${r.control}: ${r.rule} is named ${name} by AWS`);
      assert.equal(r.source.type, 'aws-document', `${r.control}: ${r.rule}`);
      assert.equal(catalog.controls.sources[r.source.ref!]!.url, `https://docs.aws.amazon.com/config/latest/developerguide/${name}.html`, `${r.control}: ${r.rule} cites its own page`);
    }
    for (const r of catalog.ruleMappings.flatMap((m) => m.rules)) assert.ok(nameOf.has(r.rule), `mapping: ${r.rule}`);
    for (const c of checks) for (const r of c.sameProperty ?? []) assert.ok(nameOf.has(r) || newerThanReference[r], `${c.id}: ${r}`);
  });

  it('list as newer only rules the 2023 reference lacks', () => {
    for (const id of Object.keys(newerThanReference)) assert.ok(!nameOf.has(id), `${id} is in the reference: drop it from the list`);
  });
});

describe("managed rules that test a control's property are its evidence (item 6)", () => {
  const expected: Record<string, string> = {
    WORKSPACES_ROOT_VOLUME_ENCRYPTION_ENABLED: 'WSAS-11',
    WORKSPACES_USER_VOLUME_ENCRYPTION_ENABLED: 'WSAS-11',
    APPSTREAM_FLEET_IN_VPC: 'WSAS-15',
    MACIE_STATUS_CHECK: 'WSAS-06',
    CLOUD_TRAIL_ENABLED: 'WSAS-04',
    S3_DEFAULT_ENCRYPTION_KMS: 'WSAS-05',
  };

  it('the catalog lists each on its control', () => {
    for (const [rule, control] of Object.entries(expected)) {
      assert.ok(
        catalogRules.some((r) => r.rule === rule && r.control === control),
        `${rule} is not evidence of ${control}`,
      );
    }
  });

  it('an estate that deploys them shows their results on the control, none in unmappedRules', async () => {
    const s = await sample();
    const a = '111111111111';
    deploy(s, a, 'us-east-1', 'WORKSPACES_ROOT_VOLUME_ENCRYPTION_ENABLED', 'workspaces-root-volume-encryption-enabled', [['AWS::WorkSpaces::Workspace', 'ws-b8n3p5r2t', 'NON_COMPLIANT']]);
    deploy(s, a, 'us-east-1', 'WORKSPACES_USER_VOLUME_ENCRYPTION_ENABLED', 'workspaces-user-volume-encryption-enabled', [['AWS::WorkSpaces::Workspace', 'ws-f2k9x7m1q', 'COMPLIANT']]);
    deploy(s, a, 'us-east-1', 'APPSTREAM_FLEET_IN_VPC', 'appstream-fleet-in-vpc', [['AWS::AppStream::Fleet', 'analyst-fleet', 'COMPLIANT']]);
    deploy(s, a, 'us-east-1', 'MACIE_STATUS_CHECK', 'macie-status-check', [['AWS::::Account', a, 'COMPLIANT']]);
    deploy(s, a, 'us-east-1', 'CLOUD_TRAIL_ENABLED', 'cloudtrail-enabled', [['AWS::::Account', a, 'COMPLIANT']]);
    const { result, items } = run(s);
    const unmapped = new Set(result.unmappedRules!.map((r) => r.rule));
    assert.deepEqual([...unmapped], ['arn:aws:lambda:us-east-1:111111111111:function:required-tags-costcenter'], 'only the custom rule is left unmapped');
    const ruleVerdicts = (control: string, rule: string) =>
      items(control)
        .filter((i) => i.source.kind === 'config-rule' && i.source.rule === rule)
        .map((i) => `${i.resource?.id}:${i.status}`);
    assert.deepEqual(ruleVerdicts('WSAS-11', 'WORKSPACES_ROOT_VOLUME_ENCRYPTION_ENABLED'), ['ws-b8n3p5r2t:fail']);
    assert.deepEqual(ruleVerdicts('WSAS-11', 'WORKSPACES_USER_VOLUME_ENCRYPTION_ENABLED'), ['ws-f2k9x7m1q:pass']);
    assert.deepEqual(ruleVerdicts('WSAS-15', 'APPSTREAM_FLEET_IN_VPC'), ['analyst-fleet:pass']);
    assert.deepEqual(ruleVerdicts('WSAS-06', 'MACIE_STATUS_CHECK'), ['111111111111:pass']);
    assert.deepEqual(ruleVerdicts('WSAS-04', 'CLOUD_TRAIL_ENABLED'), ['111111111111:pass']);
    // The sample itself deploys S3_DEFAULT_ENCRYPTION_KMS: its four results are WSAS-05's evidence.
    assert.deepEqual(
      ruleVerdicts('WSAS-05', 'S3_DEFAULT_ENCRYPTION_KMS').sort(),
      ['appstream2-36fb080bb8-us-east-1-111111111111:fail', 'audit-logs-111111111111:pass', 'legacy-exports-2019:fail', 'appstream-app-settings-us-east-1-111111111111-k2j4h6:fail'].sort(),
    );
  });
});

describe('only a check and a rule that test the same property are compared (item 7)', () => {
  /** Account 222's dev-trail with log-file validation on, judged by CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED as `compliance`. */
  async function estate(compliance: ComplianceType) {
    const s = await sample();
    const trail = s.resources.find((r) => r.type === 'AWS::CloudTrail::Trail' && r.id === 'dev-trail')!;
    trail.configuration = { ...trail.configuration, logFileValidationEnabled: true };
    deploy(s, '222222222222', 'us-east-1', 'CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED', 'cloud-trail-log-file-validation-enabled', [['AWS::CloudTrail::Trail', 'dev-trail', compliance]]);
    return run(s);
  }

  it('each check declares only managed rules that a control using it lists', () => {
    for (const c of checks) {
      for (const rule of c.sameProperty ?? []) {
        assert.ok(
          catalog.controls.controls.some((x) => x.evidence?.checks?.includes(c.id) && x.evidence.rules?.some((r) => r.rule === rule)),
          `${c.id}: ${rule} is on no control that uses the check`,
        );
      }
    }
    assert.deepEqual(checksById.get('cloudtrail-multi-region-logging')!.sameProperty, ['MULTI_REGION_CLOUD_TRAIL_ENABLED']);
    assert.ok(!checksById.get('workspaces-volume-encryption')!.sameProperty?.length, 'a root-volume-only rule tests less than root and user volumes');
  });

  it('the multi-region check and the log-file-validation rule never disagree', async () => {
    const { control } = await estate('COMPLIANT');
    // dev-trail: the multi-region check fails (222 has no multi-region trail), the LFV rule passes: different questions.
    assert.deepEqual(control('WSAS-04').disagreements, []);
  });

  it('a check and a rule on the same property that differ on one resource do', async () => {
    const { control } = await estate('NON_COMPLIANT');
    const d = control('WSAS-04').disagreements;
    assert.equal(d.length, 1, d.join('\n'));
    assert.match(
      d[0]!,
      /^AWS::CloudTrail::Trail dev-trail \(222222222222\/us-east-1\): built-in check cloudtrail-log-file-validation says pass .*AWS Config rule cloud-trail-log-file-validation-enabled says fail/,
    );
  });
});

describe("multi-region logging is the account's property (item 8; the check's own tests are in its folder)", () => {
  it("through the engine: the sample's logging trail passes, its account's other trail is context, the account without one fails once", async () => {
    const s = await sample();
    const trailOf = (id: string) => s.resources.find((r) => r.type === 'AWS::CloudTrail::Trail' && r.id === id)!;
    const orgTrail = trailOf('org-audit-trail');
    const devTrail = trailOf('dev-trail');
    s.resources.push({
      ...structuredClone(orgTrail),
      key: '111111111111/eu-west-1/AWS::CloudTrail::Trail/eu-app-trail',
      region: 'eu-west-1',
      id: 'eu-app-trail',
      name: 'eu-app-trail',
      configuration: { ...orgTrail.configuration, name: 'eu-app-trail', homeRegion: 'eu-west-1', isMultiRegionTrail: false },
    });
    s.resources.push({ ...structuredClone(devTrail), key: '222222222222/us-east-1/AWS::CloudTrail::Trail/dev-trail-2', id: 'dev-trail-2', name: 'dev-trail-2' });
    const verdicts = (snapshot: Snapshot) =>
      run(snapshot)
        .items('WSAS-04')
        .filter((i) => i.source.kind === 'check' && i.source.id === 'cloudtrail-multi-region-logging' && i.resource)
        .map((i) => `${i.resource!.id}:${i.status}`)
        .sort();
    assert.deepEqual(verdicts(s), ['dev-trail-2:not-applicable', 'dev-trail:fail', 'eu-app-trail:not-applicable', 'org-audit-trail:pass']);
    // Without the sample's GetTrailStatus response the trail is a gap; stopped, the account fails on it.
    const status = s.resources.find((r) => r.type === apiResourceTypes.cloudtrailTrailStatus && r.id === 'org-audit-trail')!;
    const withoutStatus = { ...s, resources: s.resources.filter((r) => r !== status) };
    assert.deepEqual(verdicts(withoutStatus), ['dev-trail-2:not-applicable', 'dev-trail:fail', 'eu-app-trail:not-applicable', 'org-audit-trail:gap']);
    // Stopped: the account fails once, on its first trail, naming the stopped one.
    status.configuration = { ...status.configuration, IsLogging: false };
    assert.deepEqual(verdicts(s), ['dev-trail-2:not-applicable', 'dev-trail:fail', 'eu-app-trail:fail', 'org-audit-trail:not-applicable']);
    const failed = run(s)
      .items('WSAS-04')
      .find((i) => i.source.kind === 'check' && i.source.id === 'cloudtrail-multi-region-logging' && i.resource?.id === 'eu-app-trail')!;
    assert.match(
      failed.message,
      /^no logging multi-region trail .* in 111111111111; found 2 trail\(s\): eu-app-trail \(eu-west-1\): single-region trail \(records eu-west-1 only\); org-audit-trail \(us-east-1\): multi-region trail that is not logging$/,
    );
  });
});
