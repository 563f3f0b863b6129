import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ci, ciFromFile, judge, needsRdk, rdk } from '../../../../test/check-fixtures.ts';
import { check } from './check.ts';

describe('cloudtrail-kms-encryption', () => {
  it("on the sample and on AWS's example item", { skip: needsRdk('AWS_Cloudtrail_Trail.json') }, () => {
    assert.equal(judge(check, ciFromFile(rdk('AWS_Cloudtrail_Trail.json'))).status, 'fail', 'AWS example trail has no kmsKeyId');
    assert.equal(judge(check, ci('org-audit-trail')).status, 'pass');
  });
});
