// A status for a period rests on evidence of the state at the period end: evidence recorded later is
// not evidence for the period, whatever the wall clock or the run's time.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EvidenceItem, Result } from '../src/evaluate/result.ts';
import { asSelectedItem, fakeAwsEnv, startFakeAws, workspaceHistoryItem, type FakeAws } from './fake-aws.ts';
import { onlyPack, packResult, runCliInProcess, tempDir, untilExit } from './helpers.ts';

const decided = new Set(['pass', 'fail', 'not-applicable', 'waived']);
const everyItem = (result: Result) => result.controls.flatMap((c) => c.evidence.map((e) => ({ control: c.id, ...e })));
/** Items whose status was decided on evidence observed after the period end: there must be none. */
const decidedOnLaterEvidence = (result: Result) => everyItem(result).filter((e) => decided.has(e.status) && e.observedAt > result.period!.to);

describe('the point-in-time rule on the embedded sample (collected 2026-10-31)', () => {
  it('--period 2026-09: no status rests on evidence recorded in October; each such item is a gap that says what to collect', async (t) => {
    const out = join(tempDir(t), 'out');
    const r = await runCliInProcess(['run', '--no-pdf', '--out', out, '--period', '2026-09', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const result = await packResult(onlyPack(out));
    assert.equal(result.period!.to, '2026-10-01T00:00:00.000Z');
    assert.deepEqual(
      decidedOnLaterEvidence(result).map((e) => `${e.control} ${e.resource?.id ?? e.region} ${e.observedAt}`),
      [],
    );
    assert.equal(result.summary.evidence.pass, 0, 'every pass of the sample rests on evidence from late October');
    const items = everyItem(result);
    assert.ok(
      items.some((e) => /^configuration item captured at 2026-10-31T23:41:07\.512Z, after the period end 2026-10-01T00:00:00\.000Z: .*collect --period/.test(e.message)),
      'a configuration item says when it was captured and how to collect the period end',
    );
    assert.ok(
      items.some((e) => /^read from the service API at 2026-10-31T23:55:00\.000Z, after the period end .*collect it before the period end/.test(e.message)),
      'an API read says to collect before the end',
    );
    assert.ok(
      items.some((e) => e.source.kind === 'config-rule' && /\(rule result recorded at 2026-10-\d\dT.*, after the period end/.test(e.message)),
      'a rule result recorded in October',
    );
    assert.ok(result.period!.atPeriodEnd!.afterEnd > 0);
    assert.equal(result.period!.atPeriodEnd!.fromHistory, 0);
  });

  it('without --period, the period follows the evidence (2026-10), at any run time', async (t) => {
    const out = join(tempDir(t), 'out');
    // 2028-02-29T12:00:00Z: a leap day more than a year after the sample was collected.
    const r = await runCliInProcess(['run', '--no-pdf', '--out', out, '--json'], { SOURCE_DATE_EPOCH: '1835438400' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).period, '2026-10');
    const result = await packResult(onlyPack(out));
    assert.equal(result.period!.evidence, 'within');
    assert.deepEqual(decidedOnLaterEvidence(result), []);
    assert.ok(result.summary.evidence.pass > 50, `the sample's October evidence decides October: ${JSON.stringify(result.summary.evidence)}`);
  });
});

const account = '555555555555';
const at = (iso: string) => Date.parse(iso) / 1000;
const captured = (id: string, encrypted: boolean, when: string) => workspaceHistoryItem(account, id, encrypted, when);
const asSelected = asSelectedItem;
const ruleResult = (rule: string, id: string, compliance: string, recorded: string) => ({
  EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: rule, ResourceType: 'AWS::IAM::User', ResourceId: id }, OrderingTimestamp: at(recorded) - 60 },
  ComplianceType: compliance,
  ResultRecordedTime: at(recorded),
  ConfigRuleInvokedTime: at(recorded) - 30,
});

describe('collect --period on 3 November for October (fake endpoint, real SDK)', () => {
  let aws: FakeAws;
  let result: Result;
  const mfaRule = 'iam-user-mfa-enabled';

  before(async () => {
    const history = {
      // Encrypted since August, unencrypted from 2 November: at the end of October it passes.
      'AWS::WorkSpaces::Workspace|ws-then-ok': [captured('ws-then-ok', true, '2026-08-01T08:00:00Z'), captured('ws-then-ok', false, '2026-11-02T08:00:00Z')],
      'AWS::WorkSpaces::Workspace|ws-steady': [captured('ws-steady', false, '2026-07-01T08:00:00Z')],
    };
    aws = await startFakeAws({
      account,
      regions: {
        'us-east-1': {
          resources: [asSelected(history['AWS::WorkSpaces::Workspace|ws-then-ok'][1]!), asSelected(history['AWS::WorkSpaces::Workspace|ws-steady'][0]!)],
          history,
          discovered: ['ws-then-ok', 'ws-steady'].map((id) => ({ resourceType: 'AWS::WorkSpaces::Workspace', resourceId: id })),
          rules: [{ name: mfaRule, identifier: 'IAM_USER_MFA_ENABLED' }],
          evaluations: { [mfaRule]: [ruleResult(mfaRule, 'AIDAOCTOBER', 'COMPLIANT', '2026-10-20T10:00:00Z'), ruleResult(mfaRule, 'AIDANOVEMBER', 'COMPLIANT', '2026-11-02T10:00:00Z')] },
          directories: [],
          macie: 'ENABLED',
          events: [],
        },
      },
    });
    const work = tempDir(untilExit);
    const evidence = join(work, 'evidence');
    const collectedAt = { SOURCE_DATE_EPOCH: String(at('2026-11-03T09:00:00Z')) };
    const collected = await runCliInProcess(['collect', '--region', 'us-east-1', '--period', '2026-10', '--out', evidence, '--json'], { ...fakeAwsEnv(aws.url), ...collectedAt });
    assert.ok(collected.code === 0 || collected.code === 5, collected.stderr);
    const out = join(work, 'out');
    // No --period: the period the evidence was collected for.
    const r = await runCliInProcess(['run', '--evidence', evidence, '--out', out, '--no-pdf', '--json'], collectedAt);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).period, '2026-10');
    result = await packResult(onlyPack(out));
  });
  after(() => aws.close());

  const item = (control: string, pred: (e: EvidenceItem) => boolean) => result.controls.find((c) => c.id === control)!.evidence.filter(pred);

  it('configuration items from history decide the period: the state at its end, not on 3 November', () => {
    assert.deepEqual(
      item('WSAS-11', (e) => Boolean(e.resource))
        .map((e) => [e.resource!.id, e.status, e.observedAt])
        .sort(),
      [
        ['ws-steady', 'fail', '2026-07-01T08:00:00.000Z'],
        ['ws-then-ok', 'pass', '2026-08-01T08:00:00.000Z'],
      ],
    );
    assert.equal(result.period!.itemsAsOfEnd, true);
    const { fromHistory, afterEnd, stale } = result.period!.atPeriodEnd!;
    assert.deepEqual({ fromHistory, stale }, { fromHistory: 2, stale: 0 });
    assert.ok(afterEnd > 0, 'the service API records read on 3 November');
    const absences = result.controls.flatMap((c) => c.evidence).filter((e) => e.status === 'not-applicable');
    assert.ok(absences.length > 0 && absences.every((e) => e.observedAt === result.period!.to), "absence read from the period's history is the absence at its end");
  });

  it('a rule result recorded in October counts; one recorded on 2 November is a gap naming its time', () => {
    const results = result.controls.flatMap((c) => c.evidence).filter((e) => e.source.kind === 'config-rule' && e.resource);
    const october = results.filter((e) => e.resource!.id === 'AIDAOCTOBER');
    const november = results.filter((e) => e.resource!.id === 'AIDANOVEMBER');
    assert.ok(october.length > 0 && october.every((e) => e.status === 'pass'), JSON.stringify(october));
    assert.ok(
      november.length > 0 && november.every((e) => e.status === 'gap' && /rule result recorded at 2026-11-02T10:00:00\.000Z, after the period end 2026-11-01T00:00:00\.000Z/.test(e.message)),
      JSON.stringify(november),
    );
  });

  it('service API reads made on 3 November (Macie, WorkSpaces directories) are gaps for October, never passes', () => {
    const reads = result.controls.flatMap((c) => c.evidence).filter((e) => e.observedAt === '2026-11-03T09:00:00.000Z');
    assert.ok(reads.length > 0);
    assert.deepEqual(
      reads.filter((e) => e.status !== 'gap').map((e) => e.message),
      [],
    );
    assert.deepEqual(decidedOnLaterEvidence(result), []);
  });
});
