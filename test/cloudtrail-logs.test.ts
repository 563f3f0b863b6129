import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { fakeAwsEnv, startFakeAws, type FakeAws } from './fake-aws.ts';
import { onlyPack, runCliInProcess, tempDir, packResult, untilExit } from './helpers.ts';

const account = '333333333333';

function event(time: string, over: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.09',
    eventTime: time,
    eventSource: 'kms.amazonaws.com',
    eventName: 'Decrypt',
    awsRegion: 'us-east-1',
    recipientAccountId: account,
    userAgent: 'aws-sdk-js/3.645.0',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'kms-fips.us-east-1.amazonaws.com' },
    ...over,
  };
}

describe('collect --cloudtrail-logs: every event of the log files, summarised with the hash of each file', () => {
  let aws: FakeAws;
  let work: string;
  let logs: string;
  let snapshot: string;
  let collected: Awaited<ReturnType<typeof runCliInProcess>>;
  const files: Record<string, Buffer> = {};

  before(async () => {
    work = tempDir(untilExit);
    logs = join(work, 'trail');
    const day = join(logs, 'AWSLogs', account, 'CloudTrail', 'us-east-1', '2026', '10', '05');
    mkdirSync(day, { recursive: true });
    const write = (name: string, body: Buffer) => {
      writeFileSync(join(day, name), body);
      files[name] = body;
    };
    write(
      `${account}_CloudTrail_us-east-1_20261005T0000Z_a1.json.gz`,
      gzipSync(
        JSON.stringify({
          Records: [
            event('2026-10-05T00:01:00Z'),
            event('2026-10-05T00:02:00Z', {
              eventSource: 'workspaces.amazonaws.com',
              eventName: 'DescribeWorkspaces',
              userAgent: 'aws-cli/1.16.0',
              tlsDetails: { tlsVersion: 'TLSv1.1', clientProvidedHostHeader: 'workspaces.us-east-1.amazonaws.com' },
            }),
            event('2026-10-05T00:03:00Z', { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', tlsDetails: undefined }),
            event('2026-10-05T00:04:00Z', { recipientAccountId: '444444444444' }),
            event('2026-10-05T00:05:00Z', { awsRegion: 'eu-central-1' }),
          ],
        }),
      ),
    );
    write(
      `${account}_CloudTrail_us-east-1_20261105T0000Z_b2.json`,
      Buffer.from(JSON.stringify({ Records: [event('2026-10-31T23:59:59Z'), event('2026-11-02T09:00:00Z', { userAgent: 'aws-cli/1.16.0', tlsDetails: { tlsVersion: 'TLSv1.0' } })] })),
    );
    aws = await startFakeAws({ account, regions: { 'us-east-1': { macie: 'ENABLED' } } });
    snapshot = join(work, 'snapshot');
    collected = await runCliInProcess(['collect', '--region', 'us-east-1', '--period', '2026-10', '--cloudtrail-logs', logs, '--out', snapshot, '--json'], fakeAwsEnv(aws.url));
  });
  after(() => aws.close());

  it('writes one summary per account and region, naming each file with its sha256', () => {
    assert.equal(collected.code, 0, collected.stderr);
    assert.deepEqual(
      JSON.parse(collected.stdout).cloudtrailLogs,
      { files: 2, events: 4, outOfScope: 3, written: [`${account}/us-east-1`] },
      'another account, another region and an event after October are left out',
    );
    const doc = JSON.parse(readFileSync(join(snapshot, 'aws', account, 'us-east-1', 'cloudtrail', 'LogFiles.json'), 'utf8'));
    for (const f of doc.files) {
      const name = f.path.split('/').pop();
      assert.equal(f.sha256, createHash('sha256').update(files[name]!).digest('hex'), `hash of ${f.path}`);
    }
    assert.deepEqual(doc.summary.tlsVersions, { 'TLSv1.1': 1, 'TLSv1.3': 2 });
    assert.deepEqual(doc.summary.hostHeaders, { fips: 2, standard: 1 });
    assert.equal(doc.summary.from, '2026-10-05T00:01:00Z');
    assert.equal(doc.summary.to, '2026-10-31T23:59:59Z');
    assert.match(
      JSON.parse(readFileSync(join(snapshot, 'snapshot.json'), 'utf8')).collector.description,
      /CloudTrail log files: 4 events of 1 account-region\(s\) from 2 file\(s\) in 2026-10, 3 outside the scope left out$/,
    );
  });

  it('gives the TLS and FIPS checks every event of the period instead of the sample', async () => {
    const out = join(work, 'out');
    const r = await runCliInProcess(['run', '--evidence', snapshot, '--out', out, '--no-pdf', '--period', '2026-10']);
    assert.equal(r.code, 0, r.stderr);
    const result = await packResult(onlyPack(out));
    const item = (control: string) => result.controls.find((c) => c.id === control)!.evidence.find((e) => e.source.kind === 'check' && e.region === 'us-east-1')!;
    assert.match(
      item('WSAS-03').message,
      /^1 call\(s\) below TLS 1\.2 \(TLSv1\.1 1, TLSv1\.3 2; 4 events in 2 CloudTrail log file\(s\) 2026-10-05T00:01:00Z to 2026-10-31T23:59:59Z\): workspaces\.amazonaws\.com DescribeWorkspaces by "aws-cli\/1\.16\.0"$/,
    );
    assert.equal(item('WSAS-08').status, 'fail');
    assert.match(item('WSAS-08').message, /^1 of 3 call\(s\) with a host header went to non-FIPS endpoints/);
    assert.equal(item('WSAS-08').origin?.file.endsWith('cloudtrail/LogFiles.json'), true, 'the evidence points at the summary file');
  });

  it('refuses a file that is not a CloudTrail log with one line and exit 2, leaving nothing', async () => {
    const bad = join(work, 'bad-logs');
    mkdirSync(bad);
    writeFileSync(join(bad, 'broken.json.gz'), 'not gzip at all');
    const out = join(work, 'never');
    const r = await runCliInProcess(['collect', '--region', 'us-east-1', '--cloudtrail-logs', bad, '--out', out], fakeAwsEnv(aws.url));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /broken\.json\.gz: not a valid gzip file$/m);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(!existsSync(out), 'no partial evidence directory');
  });
});
