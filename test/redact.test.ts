import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { copiesVerbatim } from '../src/pack/redacted-copies.ts';
import { mayBeSensitive, redactJson, redactText, runDetectors } from '../src/redact/detect.ts';

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

  // The prefilter decides which strings skip the detectors, and copiesVerbatim which items are copied
  // without masking: either one wrong lets a secret through, so both are checked against the detectors.
  const secrets = cases.map(([input]) => input);
  const tricky = fc.constantFrom(...'@=:-/+ "\\\n\tabcXYZ019eyJAKIApassword token key secret pw'.split(' '), '', ' ', '"', '\\', '\n', 'A'.repeat(39), 'aB3'.repeat(14));
  const keyWords = ['password', 'passwd', 'passphrase', 'pwd', 'pw', 'secret', 'token', 'api_key', 'apikey', 'secret-access-key', 'access_key', 'private-key', 'client_secret'];
  const assignment = fc.tuple(fc.constantFrom(...keyWords, ...keyWords.map((k) => k.toUpperCase())), fc.constantFrom('', ' ', '\t'), fc.constantFrom(':', '='), fc.constantFrom('', ' '), fc.constantFrom('Xy1', 'abc', 'Q!', 'none'))
    .map((parts) => parts.join(''));
  const mixed = fc.array(fc.oneof(fc.constantFrom(...secrets), assignment, tricky, fc.string({ maxLength: 12 })), { maxLength: 6 }).map((parts) => parts.join(''));

  it('lets no string a detector would mask past the prefilter', () => {
    fc.assert(fc.property(mixed, (text) => runDetectors(text).findings.length === 0 || mayBeSensitive(text)), { numRuns: 3000 });
  });

  const stringsOf = (v: unknown): string[] => typeof v === 'string' ? [v]
    : Array.isArray(v) ? v.flatMap(stringsOf)
    : v !== null && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...stringsOf(x)]) : [];

  it('copies an item verbatim only when no detector finds anything in it', () => {
    let verbatim = 0;
    const item = fc.dictionary(mixed, fc.oneof(mixed, fc.integer(), fc.array(mixed, { maxLength: 3 }), fc.dictionary(mixed, mixed, { maxKeys: 3 })), { maxKeys: 5 });
    fc.assert(fc.property(item, (value) => {
      const text = JSON.stringify(value);
      if (!copiesVerbatim(text)) return true;
      verbatim++;
      return stringsOf(value).every((s) => runDetectors(s).findings.length === 0);
    }), { numRuns: 3000 });
    assert.ok(verbatim > 100, `only ${verbatim} generated items took the verbatim path`);
    assert.ok(copiesVerbatim(JSON.stringify({ resourceType: 'AWS::WorkSpaces::Workspace', ARN: 'arn:aws:workspaces:eu-west-1:111111111111:workspace/ws-1', configurationItemCaptureTime: '2026-10-31T23:00:00.000Z', tags: { Name: 'a "quoted" name' } })), 'an ordinary item is copied as read');
    assert.ok(!copiesVerbatim(JSON.stringify({ note: 'line\none', owner: 'x' })), 'an escaped newline is re-serialised');
  });
});
