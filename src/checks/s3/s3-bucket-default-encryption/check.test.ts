import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ci, ciFromFile, judge, needsRdk, rdk } from '../../../../test/check-fixtures.ts';
import { check } from './check.ts';

describe('s3-bucket-default-encryption', () => {
  it("on the sample and on AWS's example item", { skip: needsRdk('AWS_S3_Bucket.json') }, () => {
    assert.equal(judge(check, ciFromFile(rdk('AWS_S3_Bucket.json'))).status, 'fail', 'the 2019 example predates default encryption');
    assert.match(judge(check, ci('appstream2-36fb080bb8-us-east-1-111111111111')).message, /SSE-S3/);
    assert.match(judge(check, ci('audit-logs-111111111111')).message, /aws:kms with arn:aws:kms/);
    assert.equal(judge(check, ci('legacy-exports-2019')).status, 'fail');
  });
});
