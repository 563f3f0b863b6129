import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { copiesVerbatim } from '../src/evidence/redacted-copies.ts';
import { fingerprint, mayBeSensitive, redactJson, redactJsonInPlace, redactText, runDetectors } from '../src/redact/detect.ts';

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
    // Issue 21 §2: each kind, in each form it takes.
    ['AKIAIOSFODNN7EXAMPLEprod', 'aws-access-key-id'],
    ['{"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}', 'aws-secret-key'],
    ['export AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ', 'aws-session-token'],
    ['{"SessionToken":"FwoGZXIvYXdzEJr"}', 'aws-session-token'],
    ['https://b.s3.amazonaws.com/k?X-Amz-Security-Token=IQoJb3JpZ2lu%2FX2VjEJr%3D&X-Amz-Expires=60', 'url-token'],
    ['{\\"apiKey\\":\\"plainword\\"}', 'secret-assignment'],
    ['client_secret: plainword', 'secret-assignment'],
    ['Authorization: Bearer plainword', 'authorization'],
    ['curl -H "Bearer 9f8e7d6c5b4a39281706"', 'authorization'],
    ['Basic dXNlcjpwYXNzd29yZA==', 'authorization'],
    ['-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF0AbCd\n-----END PGP PRIVATE KEY BLOCK-----', 'private-key'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----', 'private-key'],
    ['a key cut short: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIByy', 'private-key'],
    ['eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0In0.', 'jwt'],
    ['ghp_0123456789abcdefghijABCDEFGHIJ012345', 'github-pat'],
    ['xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'slack-bot-token'],
    ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'stripe-access-token'],
    ['AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY', 'gcp-api-key'],
    ['redis://:s3cr3t@cache.internal:6379/0', 'url-credentials'],
    ['jdbc:oracle:thin:scott/tiger@db.internal:1521:orcl', 'connection-string'],
    ['Server=db;Database=app;User Id=sa;Password=correcthorse;', 'secret-assignment'],
    ['owner jürgen@bücher.example', 'email'],
    ['用户@例子.广告', 'email'],
    ['call +44 20 7946 0958', 'phone'],
    ['+1 (415) 555-0132', 'phone'],
    ['(415) 555-0198', 'phone'],
    ['card 4111 1111 1111 1111', 'payment-card'],
    ['378282246310005', 'payment-card'],
    ['GB82 WEST 1234 5698 7654 32', 'iban'],
    ['payment iban: DE89 3704 0044 0532 0130 00', 'iban'],
    ['DE89370400440532013000', 'iban'],
  ];
  for (const [input, kind] of cases) {
    it(`masks ${kind}`, () => {
      const { text, findings } = redactText(input);
      assert.ok(
        findings.some((f) => f.kind === kind),
        JSON.stringify(findings),
      );
      assert.match(text, new RegExp(`\\[REDACTED ${kind} #[0-9a-f]{8}\\]`));
      assert.equal(redactText(text).text, text, 'idempotent');
    });
  }

  it('leaves ordinary evidence alone', () => {
    for (const s of [
      'arn:aws:iam::111111111111:user/alice',
      'd41d8cd98f00b204e9800998ecf8427e00000000',
      'No console password: programmatic access only',
      'ws-f2k9x7m1q',
      'https://portal.example.com/appstream/logout',
      '2026-10-31T23:41:07.512Z',
      // A false positive hides evidence: account ids, unique ids, ARNs (a secret's too), times, versions, addresses, numbers that fail their checks.
      '111111111111',
      'AIDAQ3EGRKZ7ALICE0001',
      'AROAQ3EGRKZ7ROLE00001',
      'arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbCdEf',
      'arn:aws:kms:eu-west-1:111111111111:key/0c1b7a4e-3f21-4d5a-9a0e-5b6c7d8e9f01',
      '1793491200000',
      '2026-10-31 23:41:07',
      '20261031T234107Z',
      'v1.2.3',
      '10.0.0.1/16',
      'i-0123456789abcdef0',
      'sg-0a1b2c3d4e5f67890',
      '+05:30',
      'version +1.2',
      '4111 1111 1111 1112',
      '1234567890123456',
      'DE89370400440532013001',
      'GB82 WEST 1234 5698 7654 33',
      'MinimumPasswordLength=14',
      'passwordLastUsed: 2026-10-01',
      'TokenValidity: 60',
      'Bearer tokens are issued by Cognito',
      'Basic authentication is disabled',
      'password: none',
      'CMK_BACKING_KEY_ROTATION_ENABLED',
      'AWS::IAM::User',
    ]) {
      assert.equal(redactText(s).text, s, s);
    }
  });

  it('masks the value of a secret-named member or name/value pair whatever it looks like, and nothing else', () => {
    const masked = (name: string, v: string, kind = 'secret-assignment') => `[REDACTED ${kind} #${fingerprint(v)}]`;
    assert.deepEqual(
      redactJson({
        tags: { DbPassword: 'x', password_enabled: 'true', PasswordLastUsed: '2026-10-01T00:00:00Z', Name: 'n' },
        Tags: [
          { Key: 'ApiToken', Value: 'v' },
          { Key: 'Team', Value: 'blue' },
        ],
        environment: [{ name: 'DB_PASSWORD', value: 'v2' }],
        secrets: [{ name: 'X_TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:111111111111:parameter/x' }],
        ManageMasterUserPassword: true,
        MinimumPasswordLength: 14,
        Authorization: 'Bearer zz',
        aws_secret_access_key: 'short',
        empty: { password: '' },
      }),
      {
        tags: { DbPassword: masked('DbPassword', 'x'), password_enabled: 'true', PasswordLastUsed: '2026-10-01T00:00:00Z', Name: 'n' },
        Tags: [
          { Key: 'ApiToken', Value: masked('ApiToken', 'v') },
          { Key: 'Team', Value: 'blue' },
        ],
        environment: [{ name: 'DB_PASSWORD', value: masked('DB_PASSWORD', 'v2') }],
        secrets: [{ name: 'X_TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:111111111111:parameter/x' }],
        ManageMasterUserPassword: true,
        MinimumPasswordLength: 14,
        Authorization: masked('Authorization', 'Bearer zz', 'authorization'),
        aws_secret_access_key: masked('', 'short', 'aws-secret-key'),
        empty: { password: '' },
      },
    );
    // AWS's pagination tokens are opaque base64 under a name ending in "Token", and no secret: evidence copies keep them.
    const pages = { NextToken: 'eyJvZmZzZXQiOjEwMCwibWFjIjoiSUZleEhIc3dfcXowdGdUaGRsdlZyOVN1bUF3V0NlT2pYdENiVXRsNE95WSJ9', nextToken: 'abc', NextContinuationToken: '1x2y', PaginationToken: 'p' };
    assert.deepEqual(redactJson(pages), pages);
    assert.equal(redactText(JSON.stringify(pages)).text, JSON.stringify(pages));
    assert.match(redactText('{"NextToken": "a", "AuthToken": "hunter2x"}').text, /"AuthToken": "\[REDACTED secret-assignment/);
    const inPlace = { tags: { DbPassword: 'x' }, Tags: [{ Key: 'ApiToken', Value: 'v' }] };
    assert.deepEqual(redactJsonInPlace(inPlace), redactJson({ tags: { DbPassword: 'x' }, Tags: [{ Key: 'ApiToken', Value: 'v' }] }));
  });

  it('redacts keys and values deep in JSON', () => {
    assert.deepEqual(redactJson({ a: [{ 'x@y.com': 'me@example.org' }], n: 1, b: true, z: null }), {
      a: [{ [redactText('x@y.com').text]: `[REDACTED email #${redactText('me@example.org').findings[0]!.hash}]` }],
      n: 1,
      b: true,
      z: null,
    });
  });

  // The prefilter decides which strings skip the detectors, and copiesVerbatim which items are copied
  // without masking: either one wrong lets a secret through, so both are checked against the detectors.
  const secrets = cases.map(([input]) => input);
  const tricky = fc.constantFrom(
    ...'@=:-/+ "\\\n\tabcXYZ019eyJAKIApassword token key secret pw Bearer Basic ghp_ xoxb- sk_live_ ( ) +4 GB82 4111'.split(' '),
    '',
    ' ',
    '"',
    '\\',
    '\n',
    '-',
    '(',
    '+',
    'A'.repeat(39),
    'aB3'.repeat(14),
    '4111',
    '1111 ',
    '555-',
    '0132',
    'WEST',
    '1234 ',
    '20 ',
  );
  const keyWords = ['password', 'passwd', 'passphrase', 'pwd', 'pw', 'secret', 'token', 'api_key', 'apikey', 'secret-access-key', 'access_key', 'private-key', 'client_secret'];
  const assignment = fc
    .tuple(
      fc.constantFrom(...keyWords, ...keyWords.map((k) => k.toUpperCase())),
      fc.constantFrom('', ' ', '\t'),
      fc.constantFrom(':', '='),
      fc.constantFrom('', ' '),
      fc.constantFrom('Xy1', 'abc', 'Q!', 'none'),
    )
    .map((parts) => parts.join(''));
  const mixed = fc.array(fc.oneof(fc.constantFrom(...secrets), assignment, tricky, fc.string({ maxLength: 12 })), { maxLength: 6 }).map((parts) => parts.join(''));

  it('lets no string a detector would mask past the prefilter', () => {
    fc.assert(
      fc.property(mixed, (text) => runDetectors(text).findings.length === 0 || mayBeSensitive(text)),
      { numRuns: 3000 },
    );
  });

  const stringsOf = (v: unknown): string[] =>
    typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(stringsOf) : v !== null && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...stringsOf(x)]) : [];

  it('copies an item verbatim only when no detector finds anything in it', () => {
    let verbatim = 0;
    const item = fc.dictionary(mixed, fc.oneof(mixed, fc.integer(), fc.array(mixed, { maxLength: 3 }), fc.dictionary(mixed, mixed, { maxKeys: 3 })), { maxKeys: 5 });
    fc.assert(
      fc.property(item, (value) => {
        const text = JSON.stringify(value);
        if (!copiesVerbatim(text)) return true;
        verbatim++;
        return stringsOf(value).every((s) => runDetectors(s).findings.length === 0);
      }),
      { numRuns: 3000 },
    );
    assert.ok(verbatim > 100, `only ${verbatim} generated items took the verbatim path`);
    assert.ok(
      copiesVerbatim(
        JSON.stringify({
          resourceType: 'AWS::WorkSpaces::Workspace',
          ARN: 'arn:aws:workspaces:eu-west-1:111111111111:workspace/ws-1',
          configurationItemCaptureTime: '2026-10-31T23:00:00.000Z',
          tags: { Name: 'a "quoted" name' },
        }),
      ),
      'an ordinary item is copied as read',
    );
    assert.ok(!copiesVerbatim(JSON.stringify({ note: 'line\none', owner: 'x' })), 'an escaped newline is re-serialised');
  });
});
