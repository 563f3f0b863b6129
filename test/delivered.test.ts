import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { fakeAwsEnv, startFakeAws, type FakeAws } from './fake-aws.ts';
import { onlyPack, runCliInProcess, sampleDir, tempDir, packResult, untilExit } from './helpers.ts';

const [alpha, beta] = ['111111111111', '222222222222'];

/** A delivered snapshot of the sample's us-east-1 items, re-dated and re-labelled so the chosen one can be told apart. */
function snapshotFile(account: string, region: string, stamp: string, label: string): { name: string; body: Buffer } {
  const source = readdirSync(join(sampleDir, 'config-snapshots')).find((f) => f.startsWith(`${alpha}_Config_us-east-1`))!;
  const doc = JSON.parse(readFileSync(join(sampleDir, 'config-snapshots', source), 'utf8'));
  doc.configSnapshotId = label;
  doc.configurationItems = doc.configurationItems
    .filter((ci: any) => ci.awsRegion === 'us-east-1')
    .map((ci: any) => ({ ...ci, awsAccountId: account, awsRegion: region, resourceId: `${ci.resourceId}-${label}` }));
  return { name: `${account}_Config_${region}_ConfigSnapshot_${stamp}_${label}.json.gz`, body: gzipSync(JSON.stringify(doc)) };
}

const files = [
  snapshotFile(alpha, 'us-east-1', '20261015T120000Z', 'mid-october'),
  snapshotFile(alpha, 'us-east-1', '20261031T230000Z', 'end-of-october'),
  snapshotFile(alpha, 'us-east-1', '20261102T080000Z', 'november'),
  snapshotFile(beta, 'eu-west-1', '20261103T080000Z', 'beta-november'),
];
const keyOf = (f: { name: string }) => {
  const [account, , region] = f.name.split('_');
  return `AWSLogs/${account}/Config/${region}/2026/10/31/ConfigSnapshot/${f.name}`;
};

describe('collect from the snapshot files AWS Config delivered', () => {
  let aws: FakeAws;
  let work: string;
  let snapshot: string;
  let collected: Awaited<ReturnType<typeof runCliInProcess>>;
  const bucket: Record<string, Buffer> = {};

  before(async () => {
    for (const f of files) bucket[keyOf(f)] = f.body;
    // History files and other objects under the prefix: listed (two pages), never read.
    for (let i = 0; i < 1100; i++)
      bucket[`AWSLogs/${alpha}/Config/us-east-1/2026/10/${String((i % 28) + 1).padStart(2, '0')}/ConfigHistory/${alpha}_Config_us-east-1_ConfigHistory_AWS::S3::Bucket_2026${i}.json.gz`] =
        Buffer.from('x');
    aws = await startFakeAws({ account: alpha, regions: {}, s3: { 'acme-config': bucket } });
    work = tempDir(untilExit);
    snapshot = join(work, 'snapshot');
    collected = await runCliInProcess(['collect', '--from-files', 's3://acme-config/AWSLogs/', '--period', '2026-10', '--organization', 'Acme', '--out', snapshot, '--json'], fakeAwsEnv(aws.url));
  });
  after(() => aws.close());

  it('chooses per account and region the snapshot closest to the period end, and says which', () => {
    assert.equal(collected.code, 0, collected.stderr);
    assert.deepEqual(readdirSync(join(snapshot, 'config-snapshots')).sort(), [files[1]!.name, files[3]!.name].sort());
    const log = JSON.parse(readFileSync(join(snapshot, 'collection-log.json'), 'utf8'));
    assert.deepEqual(
      log.snapshots.map((s: any) => [s.account, s.region, s.relation, s.snapshotTime, s.candidates]),
      [
        [alpha, 'us-east-1', 'at-or-before-end', '2026-10-31T23:00:00.000Z', 3],
        [beta, 'eu-west-1', 'after-end', '2026-11-03T08:00:00.000Z', 1],
      ],
    );
    const meta = JSON.parse(readFileSync(join(snapshot, 'snapshot.json'), 'utf8'));
    assert.equal(meta.collector.method, 'files');
    assert.match(
      meta.collector.description,
      /^AWS Config snapshot files from s3:\/\/acme-config\/AWSLogs\/: 4 found, 2 chosen, the latest at or before the end of 2026-10 \(2026-11-01T00:00:00\.000Z\) per account and region; none before the end for 222222222222\/eu-west-1, so the first after it$/,
    );
    assert.deepEqual(meta.scope, { accounts: [alpha, beta], regions: ['eu-west-1', 'us-east-1'] });
  });

  it('lists at the page-size minimum and reads only the chosen files, byte for byte', () => {
    assert.equal(aws.calls.get('s3.ListObjectsV2'), Math.ceil(Object.keys(bucket).length / 1000));
    assert.equal(aws.calls.get('s3.GetObject'), 2);
    assert.deepEqual(readFileSync(join(snapshot, 'config-snapshots', files[1]!.name)), files[1]!.body);
  });

  it('evaluates into a pack whose absence rests on the delivered snapshot', async () => {
    const out = join(work, 'out');
    const r = await runCliInProcess(['run', '--evidence', snapshot, '--out', out, '--no-pdf', '--period', '2026-10'], {});
    assert.equal(r.code, 0, r.stderr);
    const result = await packResult(onlyPack(out));
    const ids = result.resources.map((x) => x.id);
    assert.ok(
      ids.some((id) => id.endsWith('-end-of-october')),
      'the end-of-October snapshot is read',
    );
    assert.ok(!ids.some((id) => id.endsWith('-mid-october') || (id.endsWith('-november') && !id.endsWith('-beta-november'))), 'the other alpha snapshots are not');
    const evidence = result.controls.flatMap((c) => c.evidence);
    assert.ok(
      evidence.some((e) => e.status === 'not-applicable' && /delivered snapshot .*_end-of-october\.json\.gz \(a delivered snapshot does not state which types the recorder records\)/.test(e.message)),
      evidence
        .filter((e) => e.status !== 'pass' && e.status !== 'fail')
        .map((e) => `${e.status} ${e.account}/${e.region} ${e.message}`)
        .join('\n'),
    );
  });

  it('reads a local directory the same way (no period: the latest)', async () => {
    const dir = join(work, 'delivered');
    for (const f of files) {
      mkdirSync(join(dir, keyOf(f), '..'), { recursive: true });
      writeFileSync(join(dir, keyOf(f)), f.body);
    }
    const out = join(work, 'from-dir');
    const r = await runCliInProcess(['collect', '--from-files', dir, '--out', out, '--json'], {});
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(join(out, 'config-snapshots')).sort(), [files[2]!.name, files[3]!.name].sort());
  });

  it('an unreadable object is a gap naming account, region and API (exit 5); an empty prefix is an error (exit 2)', async () => {
    const denied = await startFakeAws({ account: alpha, regions: {}, s3: { 'acme-config': bucket }, deny: [`s3.GetObject ${keyOf(files[3]!)}`] });
    try {
      const out = join(work, 'denied');
      const r = await runCliInProcess(['collect', '--from-files', 's3://acme-config/AWSLogs/', '--period', '2026-10', '--out', out], fakeAwsEnv(denied.url));
      assert.equal(r.code, 5, r.stderr);
      const { gaps } = JSON.parse(readFileSync(join(out, 'snapshot.json'), 'utf8'));
      assert.deepEqual(
        gaps.map((g: any) => [g.account, g.region, g.api]),
        [[beta, 'eu-west-1', 's3:GetObject']],
      );
      const none = await runCliInProcess(['collect', '--from-files', 's3://acme-config/nothing-here/', '--out', join(work, 'none')], fakeAwsEnv(denied.url));
      assert.equal(none.code, 2);
      assert.match(none.stderr, /^evidence-pack: --from-files s3:\/\/acme-config\/nothing-here\/: no AWS Config snapshot files .* found\n$/);
      assert.ok(!existsSync(join(work, 'none')), 'nothing is left behind');
    } finally {
      await denied.close();
    }
  });

  it('needs exactly the S3 actions that iam-policy --from-files prints, scoped to the prefix', async () => {
    const policy = JSON.parse((await runCliInProcess(['iam-policy', '--from-files', 's3://acme-config/AWSLogs/'])).stdout);
    assert.deepEqual(
      policy.Statement.map((s: any) => [s.Action, s.Resource]),
      [
        [['s3:ListBucket'], 'arn:aws:s3:::acme-config'],
        [['s3:GetObject'], 'arn:aws:s3:::acme-config/AWSLogs/*'],
      ],
    );
    assert.deepEqual(policy.Statement[0].Condition, { StringLike: { 's3:prefix': ['AWSLogs/*'] } });
    assert.deepEqual([...aws.calls.keys()].filter((k) => k.startsWith('s3.')).sort(), ['s3.GetObject', 's3.ListObjectsV2']);
  });
});
