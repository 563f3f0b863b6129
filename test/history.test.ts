import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { asSelectedItem, fakeAwsEnv, startFakeAws, workspaceHistoryItem, type FakeAws } from './fake-aws.ts';
import { inventoryResourceTypes } from '../src/checks/inventory-types.ts';
import { onlyPack, runCliInProcess, tempDir, packResult, untilExit } from './helpers.ts';

const account = '444444444444';
const at = (iso: string) => Date.parse(iso) / 1000;

const workspace = (id: string, encrypted: boolean, captured: string, status = 'OK') => workspaceHistoryItem(account, id, encrypted, captured, status);
// The advanced-query shape of the same items today.
const current = asSelectedItem;

const history = {
  // Unencrypted through October (changed on 10 Oct), encrypted on 5 Nov: at the end of October it fails.
  'AWS::WorkSpaces::Workspace|ws-changed': [
    workspace('ws-changed', false, '2026-09-20T08:00:00Z'),
    workspace('ws-changed', false, '2026-10-10T08:00:00Z'),
    workspace('ws-changed', true, '2026-11-05T08:00:00Z'),
  ],
  // Unchanged since August: the item before the period is the state at its end.
  'AWS::WorkSpaces::Workspace|ws-steady': [workspace('ws-steady', true, '2026-08-01T08:00:00Z')],
  // Created in November: it did not exist at the end of October.
  'AWS::WorkSpaces::Workspace|ws-newer': [workspace('ws-newer', false, '2026-11-10T08:00:00Z')],
  // Deleted in November: gone from today's inventory, but it existed, unencrypted, at the end of October.
  'AWS::WorkSpaces::Workspace|ws-removed': [workspace('ws-removed', false, '2026-09-01T08:00:00Z'), workspace('ws-removed', false, '2026-11-15T08:00:00Z', 'ResourceDeleted')],
};

describe('collect --period: evidence as of the period end from configuration history', () => {
  let aws: FakeAws;
  let work: string;
  let snapshot: string;
  let collected: Awaited<ReturnType<typeof runCliInProcess>>;

  before(async () => {
    aws = await startFakeAws({
      account,
      regions: {
        'us-east-1': {
          resources: [
            current(history['AWS::WorkSpaces::Workspace|ws-changed'][2]!),
            current(history['AWS::WorkSpaces::Workspace|ws-steady'][0]!),
            current(history['AWS::WorkSpaces::Workspace|ws-newer'][0]!),
          ],
          history,
          directories: [],
          macie: 'ENABLED',
          events: [],
          discovered: [
            ...['ws-changed', 'ws-steady', 'ws-newer'].map((id) => ({ resourceType: 'AWS::WorkSpaces::Workspace', resourceId: id })),
            { resourceType: 'AWS::WorkSpaces::Workspace', resourceId: 'ws-removed', resourceDeletionTime: at('2026-11-15T08:00:00Z') },
            // Deleted during October: absent at its end, so its history is not read.
            { resourceType: 'AWS::WorkSpaces::Workspace', resourceId: 'ws-gone', resourceDeletionTime: at('2026-10-20T08:00:00Z') },
          ],
        },
      },
    });
    work = tempDir(untilExit);
    snapshot = join(work, 'snapshot');
    collected = await runCliInProcess(['collect', '--region', 'us-east-1', '--period', '2026-10', '--out', snapshot, '--json'], fakeAwsEnv(aws.url));
  });
  after(() => aws.close());

  it("reads each resource's history: the period first, the item before it only when nothing changed", () => {
    assert.equal(collected.code, 0, collected.stderr);
    assert.equal(aws.calls.get('us-east-1|config.GetResourceConfigHistory'), 4 + 3, 'one call per resource (the one deleted in November too), a second for the three unchanged during October');
    assert.equal(aws.calls.get('us-east-1|config.ListDiscoveredResources'), inventoryResourceTypes().length, 'one page per inventoried type');
    assert.ok(!existsSync(join(snapshot, `aws/${account}/us-east-1/config/GetResourceConfigHistory/AWS.WorkSpaces.Workspace/ws-gone.json`)), 'deleted during October: not read');
    for (const id of ['ws-changed', 'ws-steady', 'ws-newer', 'ws-removed']) {
      assert.ok(existsSync(join(snapshot, `aws/${account}/us-east-1/config/GetResourceConfigHistory/AWS.WorkSpaces.Workspace/${id}.json`)), id);
    }
    const meta = JSON.parse(readFileSync(join(snapshot, 'snapshot.json'), 'utf8'));
    assert.match(meta.collector.description, /; configuration items as of the end of 2026-10 \(2026-11-01T00:00:00\.000Z\) from AWS Config's configuration history$/);
  });

  it("evaluates the state at the end of October, not today's", async () => {
    const out = join(work, 'out');
    const r = await runCliInProcess(['run', '--evidence', snapshot, '--out', out, '--no-pdf', '--period', '2026-10'], {});
    assert.equal(r.code, 0, r.stderr);
    const result = await packResult(onlyPack(out));
    const volumes = result.controls.find((c) => c.id === 'WSAS-11')!.evidence.filter((e) => e.resource);
    assert.deepEqual(volumes.map((e) => [e.resource!.id, e.status, e.observedAt]).sort(), [
      ['ws-changed', 'fail', '2026-10-10T08:00:00.000Z'],
      ['ws-removed', 'fail', '2026-09-01T08:00:00.000Z'],
      ['ws-steady', 'pass', '2026-08-01T08:00:00.000Z'],
    ]);
    const changed = result.resources.find((x) => x.id === 'ws-changed')!;
    assert.equal(changed.changesInPeriod, 1);
    assert.equal(changed.origin.api, 'config:GetResourceConfigHistory');
    assert.equal(result.resources.find((x) => x.id === 'ws-steady')!.changesInPeriod, 0);
    assert.ok(!result.resources.some((x) => x.id === 'ws-newer'), "created after the period end: not in the period's evidence");
  });

  it('needs config:GetResourceConfigHistory and ListDiscoveredResources only with --period, as iam-policy --period prints', async () => {
    const withPeriod = JSON.parse((await runCliInProcess(['iam-policy', '--period'])).stdout).Statement[0].Action as string[];
    const without = JSON.parse((await runCliInProcess(['iam-policy'])).stdout).Statement[0].Action as string[];
    assert.deepEqual(
      withPeriod.filter((a) => !without.includes(a)),
      ['config:GetResourceConfigHistory', 'config:ListDiscoveredResources'],
    );
  });
});
