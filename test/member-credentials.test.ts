// The member-role credentials of an organization collection are assumed again before they expire, and shared by
// every client reading that account (fake endpoint, real SDK).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fakeAwsEnv, startFakeAws, type FakeAggregator, type FakeAwsOptions } from './fake-aws.ts';
import { runCli, tempDir } from './helpers.ts';

const hub = '999999999999';
const [alpha, beta] = ['111111111111', '222222222222'];
const regions = ['eu-west-1', 'us-east-1'];
const aggregator: FakeAggregator = {
  sources: [alpha, beta].flatMap((SourceId) => regions.map((AwsRegion) => ({ SourceId, SourceType: 'ACCOUNT' as const, AwsRegion, LastUpdateStatus: 'SUCCEEDED' as const }))),
  resources: [],
  rules: [],
  evaluations: {},
};
const member = { 'us-east-1': { directories: [], macie: 'ENABLED' as const }, 'eu-west-1': { directories: [], macie: 'ENABLED' as const } };

async function collectOrganization(t: import('node:test').TestContext, extra: Partial<FakeAwsOptions>) {
  const aws = await startFakeAws({ account: hub, regions: { 'us-east-1': {} }, aggregators: { 'org-all': aggregator }, members: { [alpha]: member, [beta]: member }, ...extra });
  t.after(() => aws.close());
  const out = join(tempDir(t), 'evidence');
  const r = await runCli(
    ['collect', '--aggregator', 'org-all', '--region', 'us-east-1', '--assume-role', 'EvidencePackReadOnly', '--organization', 'Org', '--out', out, '--json'],
    fakeAwsEnv(aws.url),
  );
  const gaps = existsSync(join(out, 'snapshot.json')) ? (JSON.parse(readFileSync(join(out, 'snapshot.json'), 'utf8')) as { gaps: { account?: string; api?: string; reason: string }[] }).gaps : [];
  const count = (pattern: RegExp) => [...aws.calls.entries()].filter(([k]) => pattern.test(k)).reduce((n, [, c]) => n + c, 0);
  return { r, out, gaps, assumeRoles: count(/^[^:]*\|sts\.AssumeRole$/), memberCalls: (account: string) => count(new RegExp(`^${account}:`)) };
}

describe('member-role credentials (collect --aggregator --assume-role)', () => {
  it('assumes the role again when its credentials near expiry, and completes without an expired-token gap', { timeout: 120_000 }, async (t) => {
    // Each set of role credentials expires a minute after issue (inside the SDK's five-minute refresh window) and is
    // refused after 6 calls; the member reads make more than that per account, so credentials held from the first
    // AssumeRole run out mid-collection.
    const uses = 6;
    const { r, out, gaps, assumeRoles, memberCalls } = await collectOrganization(t, { memberCredentialUses: uses });
    assert.notEqual(r.code, 9, r.stderr);
    assert.ok(r.code === 0 || r.code === 5, r.stderr);
    assert.deepEqual(
      gaps.filter((g) => /expired/i.test(g.reason)),
      [],
      'no call met expired credentials',
    );
    assert.ok(memberCalls(alpha) > uses && memberCalls(beta) > uses, `each account makes more calls than one set of credentials answers (${memberCalls(alpha)}, ${memberCalls(beta)})`);
    assert.ok(assumeRoles > 2, `the role is assumed again before its credentials expire (${assumeRoles} AssumeRole calls for 2 accounts)`);
    assert.ok(existsSync(join(out, `aws/${beta}/eu-west-1/workspaces/DescribeWorkspaceDirectories.json`)), 'the member reads are saved');
    t.diagnostic(`${assumeRoles} AssumeRole calls; member calls ${memberCalls(alpha)} + ${memberCalls(beta)}; each credential answers ${uses}`);
  });

  it('assumes the role once per account while its credentials are good, shared by every client of that account', { timeout: 120_000 }, async (t) => {
    const { r, gaps, assumeRoles, memberCalls } = await collectOrganization(t, {});
    assert.ok(r.code === 0 || r.code === 5, r.stderr);
    assert.deepEqual(
      gaps.filter((g) => g.api === 'sts:AssumeRole'),
      [],
    );
    assert.ok(memberCalls(alpha) > 2 * regions.length, 'several clients per account');
    assert.equal(assumeRoles, 2, 'one AssumeRole per account');
  });
});
