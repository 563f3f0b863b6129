import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ci, judge, missing } from '../../../../test/check-fixtures.ts';
import { check } from './check.ts';

describe('workspaces-volume-encryption', () => {
  it('passes an item with both volumes encrypted, naming the key', () => {
    assert.equal(judge(check, ci('ws-f2k9x7m1q')).status, 'pass');
    assert.match(judge(check, ci('ws-f2k9x7m1q')).message, /key\/0c1b7a4e/);
  });

  it('fails an unencrypted root volume or a missing key; a missing field is a gap', () => {
    assert.deepEqual(judge(check, ci('ws-b8n3p5r2t')), { status: 'fail', message: 'root volume not encrypted' });
    assert.equal(
      judge(
        check,
        ci('ws-f2k9x7m1q', (c) => delete c.configuration.VolumeEncryptionKey),
      ).status,
      'fail',
    );
    missing(
      check,
      ci('ws-f2k9x7m1q', (c) => delete c.configuration.UserVolumeEncryptionEnabled),
      /UserVolumeEncryptionEnabled/,
    );
  });

  it('reads the API shape, whose configuration is a JSON string', () => {
    const apiShape = ci('ws-b8n3p5r2t', (c) => {
      c.configuration = JSON.stringify(c.configuration);
      c.accountId = c.awsAccountId;
      delete c.awsAccountId;
    });
    assert.equal(judge(check, apiShape).status, 'fail');
  });
});
