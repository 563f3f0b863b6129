import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ci, credentialReport, judge, lookupsIn, reportRow } from '../../../../test/check-fixtures.ts';
import { MissingEvidence } from '../../types.ts';
import { check } from './check.ts';

describe('iam-user-mfa', () => {
  it("reads the user's row of the credential report; no report or no row is a gap", () => {
    const alice = ci('AIDAQ3EGRKZ7ALICE0001');
    const withMfa = credentialReport(reportRow('alice.admin', 'arn:aws:iam::111111111111:user/alice.admin', 'true', true));
    assert.deepEqual(judge(check, alice, lookupsIn([withMfa])), {
      status: 'pass',
      message: 'MFA device active; console password enabled, no active access key (credential report 2026-10-31T23:50:12.000Z)',
    });
    const without = credentialReport(reportRow('alice.admin', 'arn:aws:iam::111111111111:user/alice.admin', 'false', false, 2));
    assert.match(judge(check, alice, lookupsIn([without])).message, /^no MFA device; no console password, 2 active access key/);
    assert.throws(
      () => judge(check, alice, lookupsIn([])),
      (e: unknown) => e instanceof MissingEvidence && /credential report of account 111111111111/.test(e.field),
    );
    assert.throws(
      () => judge(check, alice, lookupsIn([credentialReport()])),
      (e: unknown) => e instanceof MissingEvidence && /IAM user alice\.admin in the credential report generated/.test(e.field),
    );
  });
});
