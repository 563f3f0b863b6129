import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactJson, redactText } from '../src/redact/detect.ts';

describe('redaction', () => {
  const cases: [string, string][] = [
    ['owner jane.doe@example.com', 'email'],
    ['https://svc:Hunter2@example.net/x', 'url-credentials'],
    ['https://example.net/cb?token=abc123&x=1', 'url-token'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'jwt'],
    ['AKIAIOSFODNN7EXAMPLE', 'aws-access-key-id'],
    ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws-secret-key'],
    ['aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws-secret-key'],
    ['client_secret: Zx9-Qm2!Lp', 'secret-assignment'],
    ['db password=Winter2026!', 'secret-assignment'],
    ['-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----', 'private-key'],
  ];
  for (const [input, kind] of cases) {
    it(`masks ${kind}`, () => {
      const { text, findings } = redactText(input);
      assert.ok(findings.some((f) => f.kind === kind), JSON.stringify(findings));
      assert.match(text, new RegExp(`\\[REDACTED ${kind} #[0-9a-f]{8}\\]`));
      assert.equal(redactText(text).text, text, 'idempotent');
    });
  }

  it('leaves ordinary evidence alone', () => {
    for (const s of ['arn:aws:iam::111111111111:user/alice', 'd41d8cd98f00b204e9800998ecf8427e00000000', 'No console password: programmatic access only', 'ws-f2k9x7m1q', 'https://portal.example.com/appstream/logout', '2026-10-31T23:41:07.512Z']) {
      assert.equal(redactText(s).text, s);
    }
  });

  it('redacts keys and values deep in JSON', () => {
    assert.deepEqual(redactJson({ a: [{ 'x@y.com': 'me@example.org' }], n: 1, b: true, z: null }), {
      a: [{ [redactText('x@y.com').text]: `[REDACTED email #${redactText('me@example.org').findings[0]!.hash}]` }], n: 1, b: true, z: null,
    });
  });
});
