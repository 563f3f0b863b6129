import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ci, judge } from '../../../../test/check-fixtures.ts';
import { check } from './check.ts';

describe('sensitive-data-in-tags-and-names', () => {
  it('reports with the value masked', () => {
    const owner = judge(check, ci('ws-f2k9x7m1q'));
    assert.equal(owner.status, 'fail');
    assert.match(owner.message, /^tag "Owner" holds email: \[REDACTED email #[0-9a-f]{8}\]$/);
    assert.ok(!owner.message.includes('jane.doe'));
    assert.match(judge(check, ci('ws-c4d6f8h0j')).message, /tag "Name" holds secret-assignment: temp desk pw=\[REDACTED/);
    assert.equal(judge(check, ci('ws-b8n3p5r2t')).status, 'pass');
    const key = judge(
      check,
      ci('ws-b8n3p5r2t', (c) => {
        c.tags.Deployer = 'AKIAIOSFODNN7EXAMPLE';
      }),
    );
    assert.match(key.message, /aws-access-key-id/);
  });
});
