import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRecord, judge, missing, trailRecord } from '../../../../test/check-fixtures.ts';
import { TlsSummaryBuilder } from '../../../evidence/cloudtrail-summary.ts';
import { apiResourceTypes } from '../../../evidence/read-service-apis.ts';
import { check } from './check.ts';

describe('cloudtrail-tls-version', () => {
  const sample = (versions: (string | undefined)[]) =>
    trailRecord(versions.map((v) => ({ eventSource: 'workspaces.amazonaws.com', eventName: 'DescribeWorkspaces', userAgent: 'aws-cli/1.16.0', tlsDetails: v ? { tlsVersion: v } : undefined })));

  it('on a sample of events: calls below TLS 1.2 fail, named', () => {
    assert.equal(judge(check, sample(['TLSv1.2', 'TLSv1.3', undefined])).status, 'pass');
    const old = judge(check, sample(['TLSv1.2', 'TLSv1.1', 'TLSv1']));
    assert.equal(old.status, 'fail');
    assert.match(
      old.message,
      /^2 call\(s\) below TLS 1\.2 \(TLSv1 1, TLSv1\.1 1, TLSv1\.2 1; 3 events sampled 2026-10-01T00:00:00Z to 2026-10-01T00:02:00Z\): workspaces\.amazonaws\.com DescribeWorkspaces by "aws-cli\/1\.16\.0"/,
    );
    assert.equal(judge(check, sample([undefined])).status, 'not-applicable');
    missing(check, apiRecord(apiResourceTypes.cloudtrailEventSample, {}), /configuration\.tlsVersions/);
  });

  it('on log files: the same summary, whatever the number of events, with the files it stands for', () => {
    const builder = new TlsSummaryBuilder();
    for (let i = 0; i < 100_000; i++)
      builder.add({
        eventTime: '2026-10-02T00:00:00Z',
        eventSource: 's3.amazonaws.com',
        eventName: 'GetObject',
        userAgent: `client-${Math.floor(i / 1000)}`,
        tlsDetails: { tlsVersion: i % 1000 ? 'TLSv1.3' : 'TLSv1.1' },
      });
    const summary = builder.build({ kind: 'log-files', files: 12 });
    assert.equal(summary.belowTls12.length, 20, '100 clients below TLS 1.2: the 20 first groups kept, the count stays exact');
    assert.match(
      judge(check, apiRecord(apiResourceTypes.cloudtrailEventSample, { ...summary })).message,
      /^100 call\(s\) below TLS 1\.2 \(TLSv1\.1 100, TLSv1\.3 99900; 100000 events in 12 CloudTrail log file\(s\) 2026-10-02T00:00:00Z to 2026-10-02T00:00:00Z\)/,
    );
  });
});
