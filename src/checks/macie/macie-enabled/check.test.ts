import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { apiRecord, judge, missing } from '../../../../test/check-fixtures.ts';
import { apiResourceTypes } from '../../../evidence/read-service-apis.ts';
import { check } from './check.ts';

/** A GetMacieSession answer (or the error kept in its place) from fixtures/, as the reader records it. */
const session = (fixture: string) => apiRecord(apiResourceTypes.macieSession, JSON.parse(readFileSync(new URL(`fixtures/${fixture}`, import.meta.url), 'utf8')));

describe('macie-enabled', () => {
  it('passes ENABLED, fails PAUSED', () => {
    assert.deepEqual(judge(check, session('enabled.json')), { status: 'pass', message: 'Macie session ENABLED' });
    assert.deepEqual(judge(check, session('paused.json')), { status: 'fail', message: 'Macie session PAUSED' });
  });

  it("Macie's answer where it is off is a fact (fail); another error kept in its place decides nothing (gap)", () => {
    assert.deepEqual(judge(check, session('not-enabled.json')), { status: 'fail', message: 'Macie is not enabled: GetMacieSession answered AccessDeniedException "Macie is not enabled." (HTTP 403)' });
    missing(check, session('not-authorized.json'), /^configuration\.status$/);
  });
});
