import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configurationItem, fakeAwsEnv, startFakeAws, type FakeAws, type FakeRegion } from './fake-aws.ts';
import { onlyPack, root, runCliInProcess, tempDir, packResult, untilExit } from './helpers.ts';

const account = '333333333333';
const epoch = 1795000000; // 2026-11-18

const ci = (region: string, type: string, id: string, configuration: object, extra: Record<string, unknown> = {}) => configurationItem(account, region, type, id, configuration, extra);

function evaluation(rule: string, type: string, id: string, compliance: string) {
  return {
    EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: rule, ResourceType: type, ResourceId: id }, OrderingTimestamp: epoch },
    ComplianceType: compliance,
    ResultRecordedTime: epoch + 60,
    ConfigRuleInvokedTime: epoch + 30,
  };
}

const types = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'];
const usEast1: FakeRegion = {
  rules: [
    { name: 'iam-user-mfa-enabled-conformance-pack-abc', identifier: 'IAM_USER_MFA_ENABLED' },
    { name: 'mfa-enabled-for-iam-console-access', identifier: 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS' },
    ...Array.from({ length: 28 }, (_, i) => ({ name: `other-rule-${i}`, identifier: 'S3_BUCKET_VERSIONING_ENABLED' })),
  ],
  evaluations: {
    // Its results say COMPLIANT, its own verdict (DescribeComplianceByConfigRule) NON_COMPLIANT: results are missing.
    'mfa-enabled-for-iam-console-access': ['AIDAUSER00001', 'AIDAUSER00002', 'AIDAUSER00003'].map((id) => evaluation('mfa-enabled-for-iam-console-access', 'AWS::IAM::User', id, 'COMPLIANT')),
    'iam-user-mfa-enabled-conformance-pack-abc': Array.from({ length: 250 }, (_, i) =>
      evaluation('iam-user-mfa-enabled-conformance-pack-abc', 'AWS::IAM::User', `AIDAUSER${String(i).padStart(5, '0')}`, types[i % 4]!),
    ),
    ...Object.fromEntries(Array.from({ length: 28 }, (_, i) => [`other-rule-${i}`, i % 2 ? [] : [evaluation(`other-rule-${i}`, 'AWS::S3::Bucket', 'bucket-0', 'COMPLIANT')]])),
  },
  resources: [
    ci('us-east-1', 'AWS::AppStream::Stack', 'analysts', { Name: 'analysts', StorageConnectors: [], ApplicationSettings: { Enabled: true, SettingsGroup: 'a' } }),
    ci('global', 'AWS::IAM::User', 'AIDAUSER00007', { userName: 'dana' }, { resourceName: 'dana', arn: `arn:aws:iam::${account}:user/dana` }),
    ci('us-east-1', 'AWS::WorkSpaces::Workspace', 'ws-clear0001', { Id: 'ws-clear0001', RootVolumeEncryptionEnabled: false, UserVolumeEncryptionEnabled: false }),
    ci('us-east-1', 'AWS::WorkSpaces::Workspace', 'ws-sealed001', {
      Id: 'ws-sealed001',
      RootVolumeEncryptionEnabled: true,
      UserVolumeEncryptionEnabled: true,
      VolumeEncryptionKey: `arn:aws:kms:us-east-1:${account}:key/k1`,
    }),
    ...Array.from({ length: 226 }, (_, i) =>
      ci(
        'us-east-1',
        'AWS::S3::Bucket',
        `bucket-${i}`,
        { name: `bucket-${i}` },
        {
          supplementaryConfiguration: { ServerSideEncryptionConfiguration: JSON.stringify({ rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] }) },
          tags: i === 7 ? [{ key: 'Owner', value: 'ops.lead@example.org', tag: 'Owner=ops.lead@example.org' }] : [],
        },
      ),
    ),
  ],
  directories: [{ DirectoryId: 'd-90670000aa', DirectoryName: 'corp.example.com', EndpointEncryptionMode: 'FIPS_VALIDATED' }],
  macie: 'ENABLED',
  ruleVerdicts: { 'mfa-enabled-for-iam-console-access': 'NON_COMPLIANT' },
  stacks: [
    {
      Name: 'analysts',
      Arn: `arn:aws:appstream:us-east-1:${account}:stack/analysts`,
      StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' }],
      ApplicationSettings: { Enabled: true, SettingsGroup: 'a', S3BucketName: `appstream-app-settings-us-east-1-${account}-x1y2z3` },
    },
  ],
  credentialReport: [
    'user,arn,user_creation_time,password_enabled,password_last_used,mfa_active,access_key_1_active,access_key_2_active',
    `<root_account>,arn:aws:iam::${account}:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-01T00:00:00+00:00,false,false,false`,
    `dana,arn:aws:iam::${account}:user/dana,2024-01-01T00:00:00+00:00,true,2026-11-17T00:00:00+00:00,true,false,false`,
  ].join('\n'),
  packs: { 'Operational-Best-Practices-for-FedRAMP-Moderate': ['iam-user-mfa-enabled-conformance-pack-abc'] },
  trails: [{ Name: 'main-trail', IsMultiRegionTrail: true }],
  // 1,200 events: the collector must stop at its 500-event sample (10 pages of 50).
  events: Array.from({ length: 1200 }, (_, i) => ({
    EventId: `evt-${i}`,
    EventName: 'DescribeWorkspaces',
    EventSource: 'workspaces.amazonaws.com',
    EventTime: epoch - i * 60,
    CloudTrailEvent: JSON.stringify({
      userAgent: i === 3 ? 'aws-cli/1.16.0 Python/2.7.5' : 'aws-sdk-js/3.645.0',
      tlsDetails: { tlsVersion: i === 3 ? 'TLSv1.0' : 'TLSv1.3', clientProvidedHostHeader: 'workspaces.us-east-1.amazonaws.com' },
    }),
  })),
};

describe('collect from a fake AWS endpoint with the real SDK clients', () => {
  let aws: FakeAws;
  let work: string;
  let snapshot: string;
  let collected: Awaited<ReturnType<typeof runCliInProcess>>;

  before(async () => {
    work = tempDir(untilExit);
    aws = await startFakeAws({
      account,
      regions: {
        'us-east-1': usEast1,
        'eu-west-1': { recording: false, resources: [], directories: [] },
        'ap-southeast-2': { resources: [], directories: [], macie: 'ENABLED' },
      },
      throttle: { 'us-east-1|config.SelectResourceConfig': 2 },
      // eu-west-1 has no Macie (the service answers 403 "Macie is not enabled"); in ap-southeast-2 the role may not ask.
      deny: ['ap-southeast-2|config.SelectResourceConfig', 'ap-southeast-2|macie2.GET /macie'],
    });
    snapshot = join(work, 'snapshot');
    collected = await runCliInProcess(
      ['collect', '--region', 'us-east-1', '--region', 'eu-west-1', '--region', 'ap-southeast-2', '--organization', 'Fake Corp', '--out', snapshot],
      fakeAwsEnv(aws.url),
    );
  });
  after(() => aws.close());

  it('finishes with exit 5 (completed with gaps) and names each gap', () => {
    assert.equal(collected.code, 5, collected.stderr);
    assert.match(
      collected.stdout,
      /^Wrote .*snapshot: account 333333333333, 3 region\(s\), \d+ operations \(\d+ API pages\), 2 gap\(s\): ap-southeast-2 config:SelectResourceConfig; ap-southeast-2 macie2:GetMacieSession\n$/,
    );
    const meta = JSON.parse(readFileSync(join(snapshot, 'snapshot.json'), 'utf8'));
    assert.equal(meta.collector.identity, `arn:aws:sts::${account}:assumed-role/EvidenceCollector/compliance`);
    assert.deepEqual(
      meta.gaps.map((g: { region: string; api: string }) => `${g.region} ${g.api}`),
      ['ap-southeast-2 config:SelectResourceConfig', 'ap-southeast-2 macie2:GetMacieSession'],
    );
    assert.match(meta.gaps[0].reason, /^AccessDeniedException: User is not authorized/);
    assert.match(meta.gaps[1].reason, /^AccessDeniedException: User is not authorized to perform macie2\.GET \/macie in ap-southeast-2 \(HTTP 403\)$/, 'a permission denial stays a gap');
  });

  it('keeps Macie\'s "not enabled" answer as the response: a fact about the account, not a gap', () => {
    const file = join(snapshot, 'aws', account, 'eu-west-1', 'macie2', 'GetMacieSession.json');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { Error: { Code: 'AccessDeniedException', Message: 'Macie is not enabled', HttpStatusCode: 403 } });
    assert.ok(!existsSync(join(snapshot, 'aws', account, 'ap-southeast-2', 'macie2', 'GetMacieSession.json')), 'a denied call leaves no response');
    const log = JSON.parse(readFileSync(join(snapshot, 'collection-log.json'), 'utf8'));
    const call = (region: string) => log.calls.find((c: { region: string; operation: string }) => c.region === region && c.operation === 'macie2:GetMacieSession');
    assert.equal(call('eu-west-1').outcome, 'answered: AccessDeniedException: Macie is not enabled (HTTP 403)');
    assert.match(call('ap-southeast-2').outcome, /^AccessDeniedException: User is not authorized/);
  });

  it('makes no more API calls than the page sizes require', (t) => {
    const count = (op: string, region = 'us-east-1') => aws.calls.get(`${region}|${op}`) ?? 0;
    assert.equal(count('config.DescribeConfigRules'), 2, '30 rules, 25 a page');
    assert.equal(count('config.GetComplianceDetailsByConfigRule'), 2 + 1 + 2 * 29, '188 results at 100 a page and the 62 NOT_APPLICABLE asked for by name, then two calls per other rule');
    assert.equal(count('config.DescribeComplianceByConfigRule'), 2, "30 rules' verdicts, 25 a page");
    assert.equal(count('config.SelectResourceConfig'), 3 + 2, '230 items at 100 a page, plus the 2 throttled attempts');
    assert.equal(count('cloudtrail.LookupEvents'), 10, 'a 500-event sample at 50 a page, not all 1,200 events');
    assert.equal(count('config.DescribeConformancePackCompliance'), 1);
    assert.equal(count('appstream.DescribeStacks'), 1);
    assert.equal(count('iam.GenerateCredentialReport'), 2, 'STARTED, then COMPLETE');
    assert.equal(count('iam.GetCredentialReport'), 1);
    assert.equal(count('cloudtrail.DescribeTrails'), 1, "not paginated: one response lists the region's trails");
    assert.equal(count('cloudtrail.GetTrailStatus') + count('cloudtrail.GetEventSelectors'), 2, 'once each for the one trail');
    const minimum =
      3 /* regions */ * (1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 /* conformance packs */ + 1 /* stacks */ + 1 /* rule verdicts */ + 1) /* trails */ +
      2 /* the trail's status and selectors */ +
      1 /* verdicts, 2nd page */ +
      2 +
      1 /* credential report */ +
      1 /* sts */ +
      1 /* the one pack's compliance */ +
      (2 - 1) /* rules, 2nd page */ +
      (3 + 2 * 29) /* rule details: every rule's results, then its NOT_APPLICABLE ones */ +
      (3 - 1) /* inventory pages */ +
      (10 - 1); /* event pages */
    const made = [...aws.calls.values()].reduce((a, b) => a + b, 0) - 2; /* injected throttles */
    assert.ok(made >= minimum && made <= minimum * 1.05, `made ${made}, minimum ${minimum}`);
    t.diagnostic(`API calls: ${made} made (plus 2 injected throttles retried), ${minimum} the page sizes require`);
  });

  it('keeps raw responses and a collection log with pages, attempts and outcomes', () => {
    const base = join(snapshot, 'aws', account, 'us-east-1', 'config');
    const pages = JSON.parse(readFileSync(join(base, 'GetComplianceDetailsByConfigRule', 'iam-user-mfa-enabled-conformance-pack-abc.json'), 'utf8'));
    assert.equal(pages.length, 3);
    assert.equal(pages.flatMap((p: { EvaluationResults: unknown[] }) => p.EvaluationResults).length, 250);
    assert.ok(!existsSync(join(snapshot, 'aws', account, 'ap-southeast-2', 'config', 'SelectResourceConfig.json')), 'nothing written for a failed call');
    const log = JSON.parse(readFileSync(join(snapshot, 'collection-log.json'), 'utf8'));
    const select = log.calls.find((c: { region: string; operation: string }) => c.region === 'us-east-1' && c.operation === 'config:SelectResourceConfig');
    assert.equal(select.pages, 3);
    assert.equal(select.attempts, 5, 'two throttled attempts retried by the SDK');
    assert.equal(select.outcome, 'ok');
    assert.ok(readdirSync(work).every((f) => !f.startsWith('.tmp')));
  });

  it('yields evidence that run turns into a pack, gaps kept as gaps', async () => {
    const out = join(work, 'out');
    const r = await runCliInProcess(['run', '--evidence', snapshot, '--out', out, '--no-pdf']);
    assert.equal(r.code, 0, r.stderr);
    const result = await packResult(onlyPack(out));
    const items = (id: string) => result.controls.find((c) => c.id === id)!.evidence;
    assert.equal(items('WSAS-11').find((e) => e.resource?.id === 'ws-clear0001')!.status, 'fail');
    assert.equal(items('WSAS-11').find((e) => e.resource?.id === 'ws-sealed001')!.status, 'pass');
    assert.match(items('WSAS-11').find((e) => e.region === 'eu-west-1')!.message, /not recording/);
    assert.match(items('WSAS-11').find((e) => e.region === 'ap-southeast-2')!.message, /no configuration items for 333333333333\/ap-southeast-2.*AccessDeniedException/);
    assert.equal(items('WSAS-05').filter((e) => e.resource?.type === 'AWS::S3::Bucket' && e.source.kind === 'check' && e.status === 'pass').length, 226, 'supplementary JSON strings decoded');
    assert.match(items('WSAS-09').find((e) => e.resource?.id === 'bucket-7')!.message, /tag "Owner" holds email: \[REDACTED email/);
    const mfa = items('WSAS-02');
    const fromRule = mfa.filter((e) => e.source.kind === 'config-rule' && e.source.rule === 'IAM_USER_MFA_ENABLED');
    assert.deepEqual(
      ['pass', 'fail', 'not-applicable', 'gap'].map((s) => fromRule.filter((e) => e.status === s).length),
      [63, 63, 62, 62],
      'every compliance type kept; INSUFFICIENT_DATA is a gap',
    );
    assert.ok(
      fromRule.every((e) => e.source.kind === 'config-rule' && e.source.conformancePack === 'Operational-Best-Practices-for-FedRAMP-Moderate'),
      'the pack behind each rule is named',
    );
    const incomplete = mfa.filter((e) => e.source.kind === 'config-rule' && e.source.rule === 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS' && e.status === 'gap');
    assert.deepEqual(
      incomplete.map((e) => e.message),
      ['AWS Config reports rule mfa-enabled-for-iam-console-access NON_COMPLIANT, but none of the 3 evaluation result(s) read is: the results are incomplete'],
    );
    // The credential report decides MFA; rules that are not deployed only corroborate, so their absence is no gap.
    assert.deepEqual(
      mfa.filter((e) => e.source.kind === 'coverage').map((e) => e.message),
      [],
    );
    assert.equal(mfa.find((e) => e.resource?.id === 'AIDAUSER00007' && e.source.kind === 'check')!.status, 'pass', 'dana has MFA in the credential report');
    assert.match(mfa.find((e) => e.source.kind === 'check' && e.source.id === 'iam-root-mfa')!.message, /^root user has no MFA device/);
    assert.match(
      items('WSAS-13').find((e) => e.resource?.id === 'analysts')?.message ?? '',
      /^the application settings bucket \(appstream-app-settings-us-east-1-333333333333-x1y2z3\) in the configuration snapshot/,
      'the bucket DescribeStacks names is the one looked for',
    );
    assert.equal(items('WSAS-07')[0]!.status, 'pass');
    const tls = items('WSAS-03').find((e) => e.region === 'us-east-1' && e.source.kind === 'check' && e.source.id === 'cloudtrail-tls-version')!;
    assert.equal(tls.status, 'fail');
    assert.match(tls.message, /^1 call\(s\) below TLS 1\.2 \(TLSv1\.0 1, TLSv1\.3 499; 500 events sampled/);
    const macie = (region: string) => items('WSAS-06').find((e) => e.region === region)!;
    assert.deepEqual([macie('eu-west-1').status, macie('eu-west-1').message], ['fail', 'Macie is not enabled: GetMacieSession answered AccessDeniedException "Macie is not enabled" (HTTP 403)']);
    assert.equal(macie('eu-west-1').origin?.file, `evidence/aws/${account}/eu-west-1/macie2/GetMacieSession.json`, 'the answer is in the pack for the auditor');
    assert.deepEqual([macie('ap-southeast-2').status, macie('ap-southeast-2').source.kind], ['gap', 'coverage']);
    assert.match(macie('ap-southeast-2').message, /no macie2:GetMacieSession response for 333333333333\/ap-southeast-2: AccessDeniedException: User is not authorized/);
    assert.equal(macie('us-east-1').status, 'pass');
    assert.equal(result.controls.find((c) => c.id === 'WSAS-06')!.status, 'fail');
  });

  it('needs exactly the IAM actions that iam-policy prints', async () => {
    const r = await runCliInProcess(['iam-policy']);
    const policy = JSON.parse(r.stdout);
    const printed = new Set<string>(policy.Statement.flatMap((s: { Action: string[] }) => s.Action));
    assert.ok(
      [...printed].every((a) => !a.includes('*')),
      'no wildcard actions',
    );
    const iamService: Record<string, string> = { config: 'config', workspaces: 'workspaces', macie2: 'macie2', cloudtrail: 'cloudtrail', appstream: 'appstream', iam: 'iam' };
    const made = new Set<string>();
    for (const key of aws.calls.keys()) {
      const [, op] = key.split('|') as [string, string];
      const [service, name] = op.split('.') as [string, string];
      if (service === 'sts') continue; // GetCallerIdentity needs no permission
      made.add(`${iamService[service]}:${name === 'GET /macie' ? 'GetMacieSession' : name}`);
    }
    assert.deepEqual([...made].sort(), [...printed].sort());
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const action of printed) assert.ok(readme.includes(`\`${action}\``), `README lists ${action}`);
  });

  it('collects every enabled region with --all-regions', async () => {
    const all = await startFakeAws({ account, regions: { 'us-east-1': { macie: 'ENABLED' }, 'sa-east-1': { macie: 'ENABLED' } } });
    try {
      const out = join(work, 'all-regions');
      const r = await runCliInProcess(['collect', '--all-regions', '--out', out, '--json'], fakeAwsEnv(all.url));
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).regions, ['sa-east-1', 'us-east-1']);
      assert.deepEqual(JSON.parse(readFileSync(join(out, 'snapshot.json'), 'utf8')).scope.regions, ['sa-east-1', 'us-east-1']);
      assert.equal([...all.calls.keys()].filter((k) => k.endsWith('account.POST /listRegions')).length, 1);
      const policy = JSON.parse((await runCliInProcess(['iam-policy', '--all-regions'])).stdout);
      assert.ok(policy.Statement[0].Action.includes('account:ListRegions'));
      const both = await runCliInProcess(['collect', '--all-regions', '--region', 'us-east-1', '--out', join(work, 'x')], fakeAwsEnv(all.url));
      assert.equal(both.code, 2);
      assert.match(both.stderr, /--region and --all-regions exclude each other/);
    } finally {
      await all.close();
    }
  });

  it('stops with one line and exit 2 when credentials do not work', async () => {
    const expired = await startFakeAws({ account, regions: {}, stsError: 'ExpiredToken' });
    try {
      const r = await runCliInProcess(['collect', '--region', 'us-east-1', '--out', join(work, 'never')], fakeAwsEnv(expired.url));
      assert.equal(r.code, 2);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.match(r.stderr, /^evidence-pack: cannot establish AWS credentials in us-east-1: ExpiredToken/);
      assert.ok(!existsSync(join(work, 'never')));
    } finally {
      await expired.close();
    }
  });
});
