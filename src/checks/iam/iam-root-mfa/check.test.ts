import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialReport, judge, missing, reportRow } from '../../../../test/check-fixtures.ts';
import { check } from './check.ts';

describe('iam-root-mfa', () => {
  it("reads the credential report's <root_account> row", () => {
    const root = (mfa: boolean) => credentialReport(reportRow('<root_account>', 'arn:aws:iam::111111111111:root', 'not_supported', mfa));
    assert.equal(judge(check, root(true)).status, 'pass');
    assert.match(judge(check, root(false)).message, /^root user has no MFA device/);
    missing(check, credentialReport(), /<root_account> row/);
  });
});
