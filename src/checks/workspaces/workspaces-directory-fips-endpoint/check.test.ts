import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRecord, judge, missing } from '../../../../test/check-fixtures.ts';
import { apiResourceTypes } from '../../../evidence/read-service-apis.ts';
import { check } from './check.ts';

describe('workspaces-directory-fips-endpoint', () => {
  it('passes FIPS_VALIDATED, fails STANDARD_TLS; no mode is a gap', () => {
    const t = apiResourceTypes.workspacesDirectory;
    assert.equal(judge(check, apiRecord(t, { DirectoryId: 'd-1', EndpointEncryptionMode: 'FIPS_VALIDATED' })).status, 'pass');
    assert.equal(judge(check, apiRecord(t, { DirectoryId: 'd-1', EndpointEncryptionMode: 'STANDARD_TLS' })).status, 'fail');
    missing(check, apiRecord(t, { DirectoryId: 'd-1' }), /EndpointEncryptionMode/);
  });
});
