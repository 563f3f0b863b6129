import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ci, ciFromFile, judge, needsRdk, rdk } from '../../../../test/check-fixtures.ts';
import { check } from './check.ts';

describe('s3-bucket-tls-only', () => {
  it("on the sample and on AWS's example item", { skip: needsRdk('AWS_S3_Bucket.json') }, () => {
    assert.deepEqual(
      judge(check, ciFromFile(rdk('AWS_S3_Bucket.json'))),
      { status: 'pass', message: 'policy denies requests without TLS (aws:SecureTransport false)' },
      'AWS example bucket has the SecureTransport deny',
    );
    assert.equal(judge(check, ci('audit-logs-111111111111')).status, 'pass');
    assert.equal(judge(check, ci('legacy-exports-2019')).status, 'fail');
  });

  it('names a policy without a deny, and one that denies only below TLS 1.2', () => {
    const allow = ci('audit-logs-111111111111', (c) => {
      c.supplementaryConfiguration.BucketPolicy.policyText = JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: 's3:GetObject' } });
    });
    assert.match(judge(check, allow).message, /no statement denying/);
    const tls12 = ci('audit-logs-111111111111', (c) => {
      c.supplementaryConfiguration.BucketPolicy.policyText = JSON.stringify({
        Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: ['s3:*'], Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } }],
      });
    });
    assert.match(judge(check, tls12).message, /below TLS 1\.2/);
  });
});
