import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ci, ciFromFile, judge, missing, needsRdk, rdk } from '../../../../test/check-fixtures.ts';
import { check } from './check.ts';

describe('kms-key-rotation', () => {
  it("on the sample and on AWS's example item", { skip: needsRdk('AWS_KMS_Key.json') }, () => {
    assert.equal(judge(check, ciFromFile(rdk('AWS_KMS_Key.json'))).status, 'not-applicable', 'AWS managed key');
    assert.equal(judge(check, ci('0c1b7a4e-3f21-4d5a-9a0e-5b6c7d8e9f01')).status, 'pass');
    assert.equal(judge(check, ci('3a4b5c6d-7e8f-4a1b-9c2d-0e1f2a3b4c5d')).status, 'fail');
    missing(check, ci('9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b'), /supplementaryConfiguration\.KeyRotationStatus/);
  });
});
