// An organization estate read through an AWS Config aggregator, against a fake endpoint that pages as AWS does
// (tokens bound to the request that produced them): 3 accounts × 2 regions, more than 100 rule rows, several
// pages of results per rule, a stopped recorder, a failed source and a source that never reported.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCatalog } from '../../src/catalog/load.ts';
import { checksById } from '../../src/checks/index.ts';
import type { EvidenceItem } from '../../src/evaluate/result.ts';
import { configurationItem, fakeAwsEnv, startFakeAws, type FakeAggregator, type FakeAws, type FakeRegion } from '../fake-aws.ts';
import type { PoamDocument } from '../../src/poam/poam.ts';
import { onlyPack, packResult, packsUnder, root, runCliInProcess, tempDir, untilExit } from '../helpers.ts';

const hub = '999999999999';
const [alpha, beta, gamma] = ['111111111111', '222222222222', '333333333333'];
const accounts = [alpha, beta, gamma];
const regions = ['eu-west-1', 'us-east-1'];
const epoch = 1795000000; // 2026-11-18

// What each account and region is in the estate.
const stopped = `${beta}/eu-west-1`; // the member's recorder is stopped; the aggregator's source still SUCCEEDED
const failed = `${gamma}/us-east-1`; // the aggregator's source FAILED
const silent = `${gamma}/eu-west-1`; // no source status at all: never reported
const reporting = accounts.flatMap((a) => regions.map((r) => `${a}/${r}`)).filter((s) => s !== silent);
const covered = reporting.filter((s) => s !== stopped && s !== failed);

// The rules that controls use, under the names conformance packs give them, and custom rules no control knows:
// 24 rules in each of the 5 reporting account/regions, 120 rule rows.
const catalog = loadCatalog(new Set(checksById.keys()));
const controlRules = new Set(catalog.controls.controls.flatMap((c) => (c.evidence?.rules ?? []).map((r) => r.rule)));
const mappedNames = catalog.ruleMappings
  .flatMap((m) => m.rules)
  .filter((r) => controlRules.has(r.rule) && r.names?.length)
  .map((r) => `${r.names![0]}-conformance-pack-q7x2m9ab`);
const ruleNames = [...mappedNames, ...Array.from({ length: 24 - mappedNames.length }, (_, i) => `team-custom-rule-${i}`)];

/** 101 to 221 results a rule: two or three pages of GetAggregateComplianceDetailsByConfigRule at 100 a page. */
const resultsOf = (k: number) => 101 + 40 * (k % 4);

function result(account: string, region: string, rule: string, id: string, compliance: 'COMPLIANT' | 'NON_COMPLIANT') {
  return {
    EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: rule, ResourceType: 'AWS::IAM::User', ResourceId: id }, OrderingTimestamp: epoch },
    ComplianceType: compliance,
    ResultRecordedTime: epoch + 60,
    ConfigRuleInvokedTime: epoch + 30,
    AccountId: account,
    AwsRegion: region,
  };
}

function workspace(scope: string, i: number, encrypted: boolean) {
  const [account, region] = scope.split('/') as [string, string];
  const id = `ws-${account.slice(0, 3)}${region.slice(0, 2)}${String(i).padStart(4, '0')}`;
  const configuration = {
    Id: id,
    RootVolumeEncryptionEnabled: encrypted,
    UserVolumeEncryptionEnabled: encrypted,
    ...(encrypted ? { VolumeEncryptionKey: `arn:aws:kms:${region}:${account}:key/ws` } : {}),
  };
  return configurationItem(account, region, 'AWS::WorkSpaces::Workspace', id, configuration, { arn: `arn:aws:workspaces:${region}:${account}:workspace/${id}` });
}

// WorkSpaces per account/region: how many, and how many unencrypted. beta/us-east-1 has none (not applicable);
// the stopped and failed ones still hold items in the aggregator, which must not count.
const workspaces: Record<string, [number, number]> = { [`${alpha}/us-east-1`]: [10, 2], [`${alpha}/eu-west-1`]: [5, 1], [`${beta}/us-east-1`]: [0, 0], [stopped]: [4, 1], [failed]: [3, 0] };

const rules = reporting.flatMap((scope) => ruleNames.map((name) => ({ name, account: scope.split('/')[0]!, region: scope.split('/')[1]! })));
const evaluations: Record<string, object[]> = {};
rules.forEach((r, k) => {
  evaluations[`${r.account}/${r.region}/${r.name}`] = Array.from({ length: resultsOf(k) }, (_, i) =>
    result(r.account, r.region, r.name, `AIDA${r.account}${k}x${i}`, i % 7 ? 'COMPLIANT' : 'NON_COMPLIANT'),
  );
});
const aggregator: FakeAggregator = {
  sources: reporting.map((scope) => {
    const [account, region] = scope.split('/') as [string, string];
    return scope === failed
      ? {
          SourceId: account,
          SourceType: 'ACCOUNT' as const,
          AwsRegion: region,
          LastUpdateStatus: 'FAILED' as const,
          LastErrorCode: 'OrganizationAccessDeniedException',
          LastErrorMessage: 'aggregation authorization missing',
        }
      : { SourceId: account, SourceType: 'ACCOUNT' as const, AwsRegion: region, LastUpdateStatus: 'SUCCEEDED' as const };
  }),
  resources: Object.entries(workspaces).flatMap(([scope, [n, bad]]) => Array.from({ length: n }, (_, i) => workspace(scope, i, i >= bad))),
  rules,
  evaluations,
};
const members: Record<string, Record<string, FakeRegion>> = Object.fromEntries(
  accounts.map((a) => [a, Object.fromEntries(regions.map((r) => [r, { recording: `${a}/${r}` !== stopped, macie: 'ENABLED' as const, directories: [] }]))]),
);

/** What the estate holds, for the rules that controls use: results by status. */
const held = { pass: 0, fail: 0 };
for (const r of rules) {
  if (!mappedNames.includes(r.name)) continue;
  for (const e of evaluations[`${r.account}/${r.region}/${r.name}`] as { ComplianceType: string }[]) held[e.ComplianceType === 'COMPLIANT' ? 'pass' : 'fail']++;
}
const present = Object.values(evaluations).reduce((n, list) => n + list.length, 0);

describe('an organization through an AWS Config aggregator: 3 accounts × 2 regions, 120 rules, AWS-like paging (fake endpoint, real SDK)', () => {
  let aws: FakeAws;
  let work: string;
  const collect = async (dir: string, role: boolean) => {
    const r = await runCliInProcess(
      ['collect', '--aggregator', 'org-all', '--region', 'us-east-1', ...(role ? ['--assume-role', 'EvidencePackReadOnly'] : []), '--organization', 'Org', '--out', dir, '--json'],
      fakeAwsEnv(aws.url),
    );
    assert.equal(r.code, 5, r.stderr); // collected, with gaps
    return r;
  };
  const packOf = async (evidence: string) => {
    const out = join(work, `${evidence.split('/').pop()}-out`);
    const r = await runCliInProcess(['run', '--evidence', evidence, '--out', out, '--no-pdf'], {});
    assert.equal(r.code, 0, r.stderr);
    const pack = onlyPack(out);
    return { pack, result: await packResult(pack) };
  };
  let withRole: string;
  let pack: Awaited<ReturnType<typeof packOf>>;

  before(async () => {
    work = tempDir(untilExit);
    aws = await startFakeAws({ account: hub, regions: { 'us-east-1': {} }, aggregators: { 'org-all': aggregator }, members });
    withRole = join(work, 'with-role');
    await collect(withRole, true);
    pack = await packOf(withRole);
  });
  after(() => aws.close());

  it('collects every rule evaluation present, with no call rejected as malformed', () => {
    assert.equal(rules.length, 120);
    const rejectedBy = [...new Set(aws.rejected)].map((k) => `${k} × ${aws.rejected.filter((r) => r === k).length}`);
    assert.deepEqual(rejectedBy, [], `calls rejected as malformed: ${aws.rejected.length}`);
    const dir = join(withRole, 'aws/aggregator/org-all/us-east-1/config/GetAggregateComplianceDetailsByConfigRule');
    let collected = 0;
    for (const account of readdirSync(dir)) {
      for (const region of readdirSync(join(dir, account))) {
        for (const f of readdirSync(join(dir, account, region))) {
          for (const page of JSON.parse(readFileSync(join(dir, account, region, f), 'utf8'))) collected += page.AggregateEvaluationResults.length;
        }
      }
    }
    assert.equal(collected, present, 'rule evaluations collected vs present');
    const pages = rules.reduce((n, _, k) => n + Math.ceil(resultsOf(k) / 100), 0);
    const calls = [...aws.calls.entries()].filter(([k]) => k === 'us-east-1|config.GetAggregateComplianceDetailsByConfigRule').reduce((n, [, c]) => n + c, 0);
    assert.equal(calls, pages, 'one call a page, none repeated');
    console.log(`# rule evaluations collected ${collected} of ${present} present (${rules.length} rules, ${pages} pages); calls rejected as malformed: ${aws.rejected.length}`);
  });

  it("the pack's rule results are the estate's: every pass and fail, no rule without results", () => {
    const byResult = new Map<string, EvidenceItem>();
    for (const e of pack.result.controls.flatMap((c) => c.evidence)) {
      if (e.source.kind === 'config-rule') byResult.set(`${e.account}/${e.region}/${e.source.ruleName}/${e.resource?.id ?? e.message}`, e);
    }
    const counts = { pass: 0, fail: 0, gap: 0 };
    for (const e of byResult.values()) counts[e.status as keyof typeof counts]++;
    assert.deepEqual(counts, { ...held, gap: 0 });
    console.log(`# config-rule results in the pack: pass ${counts.pass} / fail ${counts.fail} / gap ${counts.gap}; the estate holds pass ${held.pass} / fail ${held.fail}`);
  });

  it('a stopped recorder, a failed source and a silent source are gaps with the reason; their resources never pass or are not applicable', () => {
    const wsas11 = pack.result.controls.find((c) => c.id === 'WSAS-11')!;
    const at = (scope: string) => wsas11.evidence.filter((e) => `${e.account}/${e.region}` === scope);
    for (const scope of covered) {
      const [n, bad] = workspaces[scope]!;
      const items = at(scope);
      if (n === 0)
        assert.deepEqual(
          items.map((e) => e.status),
          ['not-applicable'],
          scope,
        );
      else
        assert.deepEqual(
          { pass: items.filter((e) => e.status === 'pass').length, fail: items.filter((e) => e.status === 'fail').length, other: items.filter((e) => !['pass', 'fail'].includes(e.status)).length },
          { pass: n - bad, fail: bad, other: 0 },
          scope,
        );
    }
    const reasons = {
      [stopped]: /AWS Config recorder "default" is not recording in 222222222222\/eu-west-1/,
      [failed]: /333333333333\/us-east-1.*source ACCOUNT 333333333333 in us-east-1 is FAILED \(OrganizationAccessDeniedException/,
      [silent]: /333333333333\/eu-west-1.*aggregator org-all has no source status for account 333333333333 in eu-west-1/,
    };
    for (const [scope, reason] of Object.entries(reasons)) {
      const items = at(scope);
      assert.deepEqual(
        items.map((e) => e.status),
        ['gap'],
        `${scope}: ${JSON.stringify(items)}`,
      );
      assert.match(items[0]!.message, reason);
    }
    const expected = { pass: covered.reduce((n, s) => n + workspaces[s]![0] - workspaces[s]![1], 0), fail: covered.reduce((n, s) => n + workspaces[s]![1], 0), 'not-applicable': 1, gap: 3 };
    assert.deepEqual(Object.fromEntries(Object.entries(wsas11.counts).filter(([, n]) => n > 0)), expected);
    // Across every control read from AWS Config, those three are the only account/regions with a coverage gap, and
    // gamma's global resources (IAM), which no region of gamma reports.
    const configGaps = new Set(
      pack.result.controls
        .flatMap((c) => c.evidence)
        .filter((e) => e.source.kind === 'coverage' && e.status === 'gap' && e.source.api.startsWith('config:') && e.region !== '-')
        .map((e) => `${e.account}/${e.region}`),
    );
    assert.deepEqual([...configGaps].sort(), [stopped, failed, silent, `${gamma}/global`].sort());
    console.log(
      `# WSAS-11 (WorkSpaces volumes): pack pass ${wsas11.counts.pass} / fail ${wsas11.counts.fail} / not-applicable ${wsas11.counts['not-applicable']} / gap ${wsas11.counts.gap}; the estate: ${JSON.stringify(expected)}`,
    );
    console.log(`# pack summary: ${JSON.stringify(pack.result.summary.evidence)}`);
  });

  it('reads each member recorder through the role; the report never shows a stopped recorder as recording', () => {
    const recorders = pack.result.evidence.recorders;
    const b = recorders.filter((r) => `${r.account}/${r.region}` === stopped);
    assert.deepEqual(
      b.map((r) => [r.name, r.recording]),
      [['default', false]],
      JSON.stringify(b),
    );
    const html = readFileSync(join(pack.pack, 'report.html'), 'utf8');
    const row = new RegExp(`<tr><td class="mono">${beta}</td><td class="mono">eu-west-1</td><td>([^<]*)</td><td>(.*?)</td>`).exec(html);
    assert.ok(row, 'the recorder row of 222222222222/eu-west-1');
    assert.equal(row[2], '<strong>no</strong>');
  });

  it('without --assume-role, the source status decides: never "Recording yes"; a silent source is a gap', async () => {
    const dir = join(work, 'no-role');
    await collect(dir, false);
    const meta = JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8'));
    assert.ok(
      meta.gaps.some((g: any) => g.account === gamma && g.region === 'eu-west-1' && g.api === 'config:DescribeConfigurationAggregatorSourcesStatus' && /no source status/.test(g.reason)),
      JSON.stringify(meta.gaps.filter((g: any) => g.account === gamma)),
    );
    const { pack: dirOut, result } = await packOf(dir);
    const html = readFileSync(join(dirOut, 'report.html'), 'utf8');
    const rows = [...html.matchAll(/<tr><td class="mono">(\d{12})<\/td><td class="mono">([a-z0-9-]+)<\/td><td>([^<]*)<\/td><td>(.*?)<\/td>/g)];
    assert.equal(rows.length, reporting.length);
    for (const [, , , name, recording] of rows) {
      assert.match(name!, /^aggregator org-all source/);
      assert.doesNotMatch(recording!, /^yes$/, 'an aggregator does not show whether a recorder records');
    }
    const silentItems = result.controls.find((c) => c.id === 'WSAS-11')!.evidence.filter((e) => `${e.account}/${e.region}` === silent);
    assert.deepEqual(
      silentItems.map((e) => e.status),
      ['gap'],
    );
    assert.match(silentItems[0]!.message, /no source status/);
  });

  it('keeps a POA&M over two months of organization evidence: same ids, first detection dates carried, gaps entering in the second month', async () => {
    const out = join(work, 'poam-out');
    const key = join(work, 'poam-key.pem');
    writeFileSync(key, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    for (const [period, at] of [
      ['2026-11', '1796083200'],
      ['2026-12', '1798761600'],
    ] as const) {
      const r = await runCliInProcess(['run', '--evidence', withRole, '--out', out, '--no-pdf', '--period', period, '--signing-key', key], { SOURCE_DATE_EPOCH: at });
      assert.equal(r.code, 0, r.stderr);
    }
    const [first, second] = packsUnder(out).map((p) => JSON.parse(readFileSync(join(p, 'poam.json'), 'utf8')) as PoamDocument) as [PoamDocument, PoamDocument];
    const open = first.items.filter((i) => i.status !== 'closed');
    assert.deepEqual([...new Set(open.map((i) => i.account))].sort(), accounts, 'weaknesses in every member account');
    assert.equal(
      first.items.some((i) => i.finding === 'gap'),
      false,
      "the first month's gaps are pending, not items",
    );
    assert.ok(first.counts.pending > 0 && first.counts.pending === first.pendingGaps.length);
    assert.equal(second.previous.state, 'carried');
    const later = new Map(second.items.map((i) => [i.id, i]));
    for (const i of open) {
      assert.equal(later.get(i.id)?.detected.packId, first.packId, `${i.id} keeps its first detection`);
      assert.notEqual(later.get(i.id)?.status, 'closed', `${i.id}: the same evidence fixes nothing`);
    }
    for (const g of first.pendingGaps) {
      assert.deepEqual(later.get(g.id)?.detected, g.firstSeen, `${g.id}: the same gap a second month is an item, dated from the first`);
    }
    assert.equal(second.counts.promotedThisPeriod, first.counts.pending);
    assert.ok(
      second.pendingGaps.every((g) => !first.pendingGaps.some((f) => f.id === g.id) && !first.items.some((i) => i.id === g.id)),
      'pending in December: first seen in December',
    );
    console.log(
      `# organization POA&M: 2026-11 ${first.counts.open} open, ${first.counts.pending} gaps pending; 2026-12 ${second.counts.open} open (${second.counts.newThisPeriod} new, ${second.counts.promotedThisPeriod} of them gaps pending since 2026-11), ${second.counts.pending} pending, ${second.counts.closedThisPeriod} closed, ${second.counts.overdue} overdue`,
    );
  });

  it('every SDK paginator in src/collect runs over its own copy of the input (through paginate())', () => {
    const dir = join(root, 'src/collect');
    const direct = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/\bpaginate[A-Z]\w*\(/g)].map((m) => `${f}: ${m[0]}`));
    assert.deepEqual(direct, [], 'an SDK paginator writes NextToken into the input it is given: call it as paginate(paginateX, config, input)');
  });
});
