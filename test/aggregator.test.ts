import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCatalog } from '../src/catalog/load.ts';
import { ruleIdentifierByName } from '../src/catalog/rule-names.ts';
import { checksById } from '../src/checks/index.ts';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { MemoryLinesStore } from '../src/evaluate/item-files.ts';
import { readResult } from '../src/evaluate/read-result.ts';
import { readSnapshot } from '../src/evidence/read.ts';
import { listFilesUnder } from '../src/core/files.ts';
import { evidenceCopyPath } from '../src/evidence/redacted-copies.ts';
import { publicKeyFingerprint } from '../src/sign/keys.ts';
import { configurationItem, fakeAwsEnv, startFakeAws, type FakeAggregator, type FakeAws } from './fake-aws.ts';
import { assertSameEvidence, compiled, onlyPack, packResult, runCliInProcess, tempDir, withEveryItem, untilExit } from './helpers.ts';

// Threads: compiled, as the installed command runs them (see compiled in helpers.ts).
const { evaluateStage } = await compiled<typeof import('../src/pack/stages.ts')>('pack/stages');
const { UserError } = await compiled<typeof import('../src/core/errors.ts')>('core/errors');

const hub = '999999999999';
const [alpha, beta] = ['111111111111', '222222222222'];
const epoch = 1795000000; // 2026-11-18

const ci = configurationItem;

function result(account: string, region: string, rule: string, type: string, id: string, compliance: 'COMPLIANT' | 'NON_COMPLIANT') {
  return {
    EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: rule, ResourceType: type, ResourceId: id }, OrderingTimestamp: epoch },
    ComplianceType: compliance,
    ResultRecordedTime: epoch + 60,
    ConfigRuleInvokedTime: epoch + 30,
    AccountId: account,
    AwsRegion: region,
  };
}

const mfaRule = 'iam-user-mfa-enabled-conformance-pack-k2v9x1qz';
// 230 buckets and 120 WorkSpaces across two accounts: four pages of SelectAggregateResourceConfig.
const resources = [
  ...Array.from({ length: 230 }, (_, i) => ci(i % 2 ? beta : alpha, 'us-east-1', 'AWS::S3::Bucket', `bucket-${i}`, { name: `bucket-${i}` })),
  ...Array.from({ length: 120 }, (_, i) =>
    ci(i % 2 ? beta : alpha, i % 3 ? 'us-east-1' : 'eu-west-1', 'AWS::WorkSpaces::Workspace', `ws-${String(i).padStart(8, '0')}`, {
      Id: `ws-${i}`,
      RootVolumeEncryptionEnabled: i !== 7,
      UserVolumeEncryptionEnabled: i !== 7,
    }),
  ),
];
const aggregator: FakeAggregator = {
  sources: [
    { SourceId: alpha, SourceType: 'ACCOUNT', AwsRegion: 'us-east-1', LastUpdateStatus: 'SUCCEEDED' },
    { SourceId: alpha, SourceType: 'ACCOUNT', AwsRegion: 'eu-west-1', LastUpdateStatus: 'SUCCEEDED' },
    { SourceId: beta, SourceType: 'ACCOUNT', AwsRegion: 'us-east-1', LastUpdateStatus: 'SUCCEEDED' },
    { SourceId: beta, SourceType: 'ACCOUNT', AwsRegion: 'eu-west-1', LastUpdateStatus: 'FAILED', LastErrorCode: 'AccessDeniedException', LastErrorMessage: 'aggregation authorization missing' },
  ],
  resources,
  rules: [
    { name: mfaRule, account: alpha, region: 'us-east-1' },
    { name: mfaRule, account: beta, region: 'us-east-1' },
    { name: 'my-team-custom-rule', account: alpha, region: 'us-east-1' },
  ],
  evaluations: {
    [`${alpha}/us-east-1/${mfaRule}`]: Array.from({ length: 150 }, (_, i) => result(alpha, 'us-east-1', mfaRule, 'AWS::IAM::User', `AIDAALPHA${i}`, i % 10 ? 'COMPLIANT' : 'NON_COMPLIANT')),
    [`${beta}/us-east-1/${mfaRule}`]: [result(beta, 'us-east-1', mfaRule, 'AWS::IAM::User', 'AIDABETA0', 'COMPLIANT')],
    [`${alpha}/us-east-1/my-team-custom-rule`]: [result(alpha, 'us-east-1', 'my-team-custom-rule', 'AWS::S3::Bucket', 'bucket-0', 'COMPLIANT')],
  },
};

describe('collect through an AWS Config aggregator (fake endpoint, real SDK)', () => {
  let aws: FakeAws;
  let work: string;
  let snapshot: string;
  let collected: Awaited<ReturnType<typeof runCliInProcess>>;
  const calls = (op: string) => [...aws.calls.entries()].filter(([k]) => k.endsWith(`|${op}`) && !k.includes(':')).reduce((n, [, c]) => n + c, 0);

  before(async () => {
    work = tempDir(untilExit);
    aws = await startFakeAws({
      account: hub,
      regions: { 'us-east-1': {} },
      aggregators: { 'org-all': aggregator },
      // Only alpha lets the collector in; beta denies AssumeRole.
      members: {
        [alpha]: {
          'us-east-1': {
            directories: [{ DirectoryId: 'd-1', DirectoryName: 'corp', EndpointEncryptionMode: 'FIPS_VALIDATED' }],
            macie: 'ENABLED',
            trails: [{ Name: 'alpha-trail', IsMultiRegionTrail: true }],
          },
          'eu-west-1': { directories: [], macie: 'ENABLED' },
        },
      },
    });
    snapshot = join(work, 'snapshot');
    collected = await runCliInProcess(
      ['collect', '--aggregator', 'org-all', '--region', 'us-east-1', '--assume-role', 'EvidencePackReadOnly', '--organization', 'Org', '--out', snapshot, '--json'],
      fakeAwsEnv(aws.url),
    );
  });
  after(() => aws.close());

  it('reads the aggregator at the page-size minimum and scopes every source account and region', () => {
    assert.equal(collected.code, 5, collected.stderr);
    const out = JSON.parse(collected.stdout);
    assert.deepEqual(out.accounts, [alpha, beta]);
    assert.deepEqual(out.regions, ['eu-west-1', 'us-east-1']);
    assert.equal(calls('config.SelectAggregateResourceConfig'), Math.ceil(resources.length / 100));
    assert.equal(calls('config.DescribeConfigurationAggregatorSourcesStatus'), 1);
    assert.equal(calls('config.DescribeAggregateComplianceByConfigRules'), 1);
    // 150 results at 100 a page, then one page each for the two others.
    assert.equal(calls('config.GetAggregateComplianceDetailsByConfigRule'), 2 + 1 + 1);
    assert.equal(calls('config.SelectResourceConfig'), 0, 'no per-account crawl');
    const meta = JSON.parse(readFileSync(join(snapshot, 'snapshot.json'), 'utf8'));
    assert.match(meta.collector.description, /^AWS Config aggregator org-all \(us-east-1, account 999999999999\): 2 account\(s\), 2 region\(s\)/);
  });

  it('records a failed source and a refused AssumeRole as gaps naming account, region and API', () => {
    const { gaps } = JSON.parse(readFileSync(join(snapshot, 'snapshot.json'), 'utf8'));
    assert.ok(
      gaps.some((g: any) => g.account === beta && g.region === 'eu-west-1' && g.api === 'config:DescribeConfigurationAggregatorSourcesStatus' && /is FAILED \(AccessDeniedException/.test(g.reason)),
      'the failed source is a gap',
    );
    assert.ok(
      gaps.some((g: any) => g.account === beta && g.api === 'sts:AssumeRole' && /AccessDenied/.test(g.reason)),
      'the refused AssumeRole is a gap',
    );
    assert.ok(
      gaps.some(
        (g: any) =>
          g.account === beta && g.region === 'us-east-1' && g.api === 'workspaces:DescribeWorkspaceDirectories' && /cannot assume arn:aws:iam::222222222222:role\/EvidencePackReadOnly/.test(g.reason),
      ),
      'each unread service is a gap',
    );
    assert.ok(!gaps.some((g: any) => g.account === alpha && g.api !== 'cloudtrail:LookupEvents'), JSON.stringify(gaps.filter((g: any) => g.account === alpha)));
    assert.ok(existsSync(join(snapshot, `aws/${alpha}/us-east-1/workspaces/DescribeWorkspaceDirectories.json`)), 'member read saved under the member account');
    assert.ok(existsSync(join(snapshot, `aws/${alpha}/us-east-1/cloudtrail/GetTrailStatus/alpha-trail.json`)), "the member's trail status read through the role");
  });

  it('evaluates into a pack: resources per account, rules identified by name, sources as coverage', async () => {
    const out = join(work, 'out');
    const r = await runCliInProcess(['run', '--evidence', snapshot, '--out', out, '--no-pdf'], {});
    assert.equal(r.code, 0, r.stderr);
    const result = await packResult(onlyPack(out));
    const items = (id: string) => result.controls.find((c) => c.id === id)!.evidence;

    const volumes = items('WSAS-11');
    assert.deepEqual([...new Set(volumes.filter((e) => e.resource).map((e) => e.account))].sort(), [alpha, beta]);
    assert.ok(
      volumes.some((e) => e.status === 'fail' && e.resource?.id === 'ws-00000007'),
      'the unencrypted WorkSpace fails',
    );
    assert.ok(
      volumes.some((e) => e.account === beta && e.region === 'eu-west-1' && e.status === 'gap' && /not recording in 222222222222\/eu-west-1 \(last status FAILED\)/.test(e.message)),
      'a failed source is a gap, never a pass',
    );

    const mfa = result.controls.flatMap((c) => c.evidence).filter((e) => e.source.kind === 'config-rule' && e.source.rule === 'IAM_USER_MFA_ENABLED');
    assert.equal(mfa.length, 151);
    assert.ok(
      mfa.every((e) => e.source.kind === 'config-rule' && e.source.identifiedBy === 'rule-name' && e.source.ruleName === mfaRule),
      'every aggregated rule result says it was identified by name',
    );
    assert.equal(mfa.filter((e) => e.status === 'fail').length, 15);
    assert.ok(!result.controls.some((c) => c.evidence.some((e) => e.source.kind === 'config-rule' && e.source.ruleName === 'my-team-custom-rule')), 'a rule whose name is unknown maps to no control');
    // beta refused the role: absence rests on the aggregator's source status; alpha's rests on its own recorder, read through the role.
    const na = result.controls.flatMap((c) => c.evidence).find((e) => e.status === 'not-applicable' && e.account === beta && e.region === 'us-east-1' && /aggregator org-all source/.test(e.message));
    assert.ok(na, 'absence in an aggregated region says what it rests on');
    assert.match(na!.message, /SUCCEEDED at 2026-11-18T\d\d:\d\d:\d\d\.000Z \(whether the recorder runs, and which types it records, is not visible through an aggregator\)/);
    const alphaNa = result.controls
      .flatMap((c) => c.evidence)
      .filter((e) => e.status === 'not-applicable' && e.source.kind === 'coverage' && e.source.api === 'AWS Config snapshot' && e.account === alpha && e.region === 'eu-west-1');
    assert.ok(alphaNa.length > 0 && alphaNa.every((e) => /; recorder "default" recording all supported types since/.test(e.message)), JSON.stringify(alphaNa[0]));
  });

  it('evaluates the aggregator file a run of pages at a time, in threads or not, as the file read whole; a row seen twice counts once', async (t) => {
    const evidence = join(tempDir(t), 'evidence');
    cpSync(snapshot, evidence, { recursive: true });
    const file = join(evidence, 'aws/aggregator/org-all/us-east-1/config/SelectAggregateResourceConfig.json');
    const pages = JSON.parse(readFileSync(file, 'utf8'));
    pages.at(-1).Results.push(pages[0].Results[3]); // on a later page, and so in a later run
    writeFileSync(file, JSON.stringify(pages, null, 2));
    const at = '2026-11-20T00:00:00.000Z';
    const [inline, threaded] = [tempDir(t), tempDir(t)];
    // The same runs either way: gzip lines files join runs by their members, so the pack's bytes follow the run size (fixed), not the threads.
    await evaluateStage(evidence, inline, at, { threads: 0, runChars: 1 });
    const progress: string[] = [];
    await evaluateStage(evidence, threaded, at, { threads: 2, runChars: 1, onProgress: (text) => progress.push(text) }); // a page a run
    assert.deepEqual(
      progress.filter((p) => p.startsWith('SelectAggregateResourceConfig.json')),
      [100, 200, 300, 351].map((n) => `SelectAggregateResourceConfig.json: ${n} rows evaluated`),
      'progress within the file',
    );
    const files = listFilesUnder(inline);
    assert.deepEqual(listFilesUnder(threaded), files, 'the same files');
    for (const f of files) assert.ok(readFileSync(join(inline, f)).equals(readFileSync(join(threaded, f))), `${f}: the same bytes`);

    const lines = new MemoryLinesStore();
    const catalog = loadCatalog(new Set(checksById.keys()));
    const whole = evaluate({
      snapshot: await readSnapshot(evidence, { ruleIdentifier: ruleIdentifierByName(catalog) }),
      catalog,
      checks: checksById,
      generatedAt: at,
      tool: { name: 't', version: '0' },
      packPathOf: evidenceCopyPath,
      lines,
    });
    const streamed = await withEveryItem(threaded, readResult(join(threaded, 'result.json')));
    assertSameEvidence(whole, lines, streamed);
    assert.equal(streamed.resources.filter((r) => r.origin.api === 'config:SelectAggregateResourceConfig').length, resources.length, 'each row once');
    assert.equal(
      readFileSync(join(threaded, 'evidence/aws/aggregator/org-all/us-east-1/config/SelectAggregateResourceConfig.json'), 'utf8'),
      `${JSON.stringify(pages, null, 2)}\n`,
      'copied as the file read whole is',
    );

    // A broken row in a thread's run stops the evaluation with the one line it gives on the main thread.
    pages.at(-1).Results[0] = '{not json';
    writeFileSync(file, JSON.stringify(pages, null, 2));
    for (const threads of [0, 2]) {
      await assert.rejects(
        evaluateStage(evidence, tempDir(t), at, { threads, runChars: 1 }),
        (e) => e instanceof UserError && e.message === `${file}: [${pages.length - 1}].Results[0]: row is not JSON`,
        `threads: ${threads}`,
      );
    }
  });

  it('two packs of the same organization evidence diff to zero changes, a rule beside its conformance-pack copy', async (t) => {
    // Alpha also runs the managed rule on its own, under its plain name: the same identifier, the same users.
    const evidence = join(tempDir(t), 'evidence');
    cpSync(snapshot, evidence, { recursive: true });
    const config = join(evidence, 'aws/aggregator/org-all/us-east-1/config');
    const standalone = 'iam-user-mfa-enabled';
    const rules = JSON.parse(readFileSync(join(config, 'DescribeAggregateComplianceByConfigRules.json'), 'utf8'));
    const copied = rules[0].AggregateComplianceByConfigRules.find((r: any) => r.ConfigRuleName === mfaRule && r.AccountId === alpha);
    rules[0].AggregateComplianceByConfigRules.push({ ...copied, ConfigRuleName: standalone });
    writeFileSync(join(config, 'DescribeAggregateComplianceByConfigRules.json'), JSON.stringify(rules));
    const details = join(config, 'GetAggregateComplianceDetailsByConfigRule', alpha, 'us-east-1');
    writeFileSync(join(details, `${standalone}.json`), readFileSync(join(details, `${mfaRule}.json`), 'utf8').replaceAll(mfaRule, standalone));
    const work = tempDir(t);
    // Both packs signed by one key, pinned for the diff (an unpinned diff says the signer is not verified).
    const pair = generateKeyPairSync('ed25519');
    const key = join(work, 'key.pem');
    writeFileSync(key, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const packs: string[] = [];
    for (const out of ['first', 'second']) {
      const r = await runCliInProcess(['run', '--evidence', evidence, '--out', join(work, out), '--no-pdf', '--signing-key', key]);
      assert.equal(r.code, 0, r.stderr);
      packs.push(onlyPack(join(work, out)));
    }
    const names = new Set((await packResult(packs[1]!)).controls.flatMap((c) => c.evidence).flatMap((e) => (e.source.kind === 'config-rule' ? [e.source.ruleName] : [])));
    assert.ok(names.has(standalone) && names.has(mfaRule), [...names].join(', '));
    const r = await runCliInProcess(['diff', packs[0]!, packs[1]!, '--format', 'json', '--expect-key', publicKeyFingerprint(pair.publicKey)]);
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout);
    assert.deepEqual(d.items, []);
    assert.deepEqual(
      Object.entries(d.counts).filter(([k, n]) => k !== 'unchanged' && n !== 0),
      [],
    );
  });

  it('needs exactly the actions that iam-policy prints for the aggregator identity and for the member role', async () => {
    const hubPolicy = JSON.parse((await runCliInProcess(['iam-policy', '--aggregator', '--assume-role', 'EvidencePackReadOnly'])).stdout);
    const memberPolicy = JSON.parse((await runCliInProcess(['iam-policy', '--member-role'])).stdout);
    const iam = (op: string) => op.replace(/^macie2\.GET \/macie$/, 'macie2.GetMacieSession').replace('.', ':');
    const hubMade = new Set(
      [...aws.calls.keys()]
        .filter((k) => !/^\d{12}:/.test(k))
        .map((k) => iam(k.split('|')[1]!))
        .filter((a) => a !== 'sts:GetCallerIdentity'),
    );
    const memberMade = new Set([...aws.calls.keys()].filter((k) => /^\d{12}:/.test(k)).map((k) => iam(k.split('|')[1]!)));
    assert.deepEqual([...hubMade].sort(), hubPolicy.Statement.flatMap((s: any) => s.Action).sort());
    assert.equal(hubPolicy.Statement[1].Resource, 'arn:aws:iam::*:role/EvidencePackReadOnly');
    assert.deepEqual([...memberMade].sort(), memberPolicy.Statement[0].Action);
  });

  it('without --assume-role, names each unread service per account and region as a gap', async () => {
    const dir = join(work, 'no-role');
    const r = await runCliInProcess(['collect', '--aggregator', 'org-all', '--region', 'us-east-1', '--out', dir, '--json'], fakeAwsEnv(aws.url));
    assert.equal(r.code, 5, r.stderr);
    const { gaps } = JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8'));
    const unread = gaps.filter((g: any) => g.reason === 'not read: collecting through an aggregator without --assume-role');
    assert.equal(unread.length, 2 /* accounts */ * (2 /* regions */ * 5 /* regional APIs */ + 1) /* the IAM credential report */);
  });

  it('an unknown aggregator or a second region stops with one line and exit 2, leaving nothing', async () => {
    for (const args of [
      ['--aggregator', 'nope', '--region', 'us-east-1'],
      ['--aggregator', 'org-all', '--region', 'us-east-1', '--region', 'eu-west-1'],
    ]) {
      const dir = join(work, `bad-${args[1]}`);
      const r = await runCliInProcess(['collect', ...args, '--out', dir], fakeAwsEnv(aws.url));
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /--aggregator (nope in us-east-1 \(account 999999999999\): NoSuchConfigurationAggregatorException|org-all: give the aggregator's home region with one --region)/);
      assert.ok(!existsSync(dir), 'nothing is left behind');
    }
  });
});
