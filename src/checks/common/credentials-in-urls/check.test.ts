import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ci, judge } from '../../../../test/check-fixtures.ts';
import { check } from './check.ts';

describe('credentials-in-urls', () => {
  it('fails a URL with credentials, masked', () => {
    const stack = judge(check, ci('analyst-stack'));
    assert.equal(stack.status, 'fail');
    assert.match(stack.message, /configuration\.FeedbackURL: https:\/\/\[REDACTED url-credentials #[0-9a-f]{8}\]@feedback\.example\.net\/submit/);
    assert.ok(!stack.message.includes('Hunter2'));
    assert.equal(judge(check, ci('dev-stack')).status, 'pass');
    assert.equal(
      judge(
        check,
        ci('dev-stack', (c) => {
          c.configuration.RedirectURL = 'https://dev.example.com/?access_token=abc123';
        }),
      ).status,
      'fail',
    );
  });
});
