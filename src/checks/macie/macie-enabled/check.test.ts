import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRecord, judge, missing } from '../../../../test/check-fixtures.ts';
import { apiResourceTypes } from '../../../evidence/read-service-apis.ts';
import { check } from './check.ts';

describe('macie-enabled', () => {
  it('passes ENABLED, fails PAUSED', () => {
    assert.equal(judge(check, apiRecord(apiResourceTypes.macieSession, { status: 'ENABLED' })).status, 'pass');
    assert.equal(judge(check, apiRecord(apiResourceTypes.macieSession, { status: 'PAUSED' })).status, 'fail');
  });

  it('Macie\'s answer where it is off is a fact (fail); another error kept in its place decides nothing (gap)', () => {
    const off = judge(check, apiRecord(apiResourceTypes.macieSession, { Error: { Code: 'AccessDeniedException', Message: 'Macie is not enabled.', HttpStatusCode: 403 } }));
    assert.deepEqual(off, { status: 'fail', message: 'Macie is not enabled: GetMacieSession answered AccessDeniedException "Macie is not enabled." (HTTP 403)' });
    missing(check, apiRecord(apiResourceTypes.macieSession, { Error: { Code: 'AccessDeniedException', Message: 'User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: macie2:GetMacieSession' } }), /^configuration\.status$/);
  });
});
