import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { formOf, startFakeTickets, type FakeTickets } from './fake-tickets.ts';
import { runCliInProcess, tempDir } from './helpers.ts';
import { sampleRunPack } from './shared-sample.ts';

const token = 'jira-secret-token-do-not-print-0123456789';
const ghToken = 'ghp_fakeTokenThatMustNeverBePrinted000000';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('attach a pack to Jira and GitHub (fake servers on 127.0.0.1)', () => {
  let api: FakeTickets;
  let pack: string;
  let archive: string;
  /** The pack's own key, pinned: attach sends only packs whose signer is verified. */
  let pin: string[];
  const env = () => ({ JIRA_API_TOKEN: token, JIRA_EMAIL: 'auditor@example.org', GITHUB_TOKEN: ghToken, GITHUB_API_URL: `${api.url}/api/v3` });
  const noSecrets = (r: { stdout: string; stderr: string }) => {
    for (const s of [token, ghToken, Buffer.from(`auditor@example.org:${token}`).toString('base64')]) {
      assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), 'a token was printed');
    }
  };

  before(async () => {
    api = await startFakeTickets();
    pack = await sampleRunPack();
    archive = `${pack}.zip`;
    pin = ['--expect-key', JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8')).signature.keyFingerprint];
  });
  after(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
    api.stored.attachments.length = 0;
    api.stored.comments.length = 0;
  });

  it('uploads the archive and the PDF to Jira as multipart attachments, then comments with the pack facts', async () => {
    const r = await runCliInProcess(['attach', archive, ...pin, '--jira', api.url, '--issue', 'AUDIT-42'], env());
    assert.equal(r.code, 0, r.stderr);
    noSecrets(r);
    // Reading what the issue holds first makes a rerun send nothing twice (test/attach-rerun.test.ts).
    assert.deepEqual(
      api.requests.map((q) => `${q.method} ${q.path}`),
      [
        'GET /rest/api/3/issue/AUDIT-42?fields=attachment',
        'POST /rest/api/3/issue/AUDIT-42/attachments',
        'POST /rest/api/3/issue/AUDIT-42/attachments',
        'GET /rest/api/3/issue/AUDIT-42/comment?startAt=0&maxResults=50&orderBy=-created',
        'POST /rest/api/3/issue/AUDIT-42/comment',
      ],
    );
    for (const q of api.requests) {
      assert.equal(q.headers.authorization, `Basic ${Buffer.from(`auditor@example.org:${token}`).toString('base64')}`);
    }
    const [zipUpload, pdfUpload, comment] = api.requests.filter((q) => q.method === 'POST') as [(typeof api.requests)[0], (typeof api.requests)[0], (typeof api.requests)[0]];
    assert.equal(zipUpload.headers['x-atlassian-token'], 'no-check');
    const zipFile = (await formOf(zipUpload)).get('file') as File;
    assert.equal(zipFile.name, archive.split('/').pop());
    assert.equal(sha256(Buffer.from(await zipFile.arrayBuffer())), sha256(readFileSync(archive)), 'the archive arrives byte for byte');
    const pdfFile = (await formOf(pdfUpload)).get('file') as File;
    assert.equal(
      pdfFile.name,
      `${archive
        .split('/')
        .pop()!
        .replace(/\.zip$/, '')}.pdf`,
      'named after the pack, not report.pdf',
    );
    assert.equal(sha256(Buffer.from(await pdfFile.arrayBuffer())), sha256(readFileSync(join(pack, 'report.pdf'))));

    const body = JSON.parse(comment.body.toString('utf8')).body;
    assert.equal(body.type, 'doc');
    const text = JSON.stringify(body);
    const packId = pack.split('/').pop()!;
    assert.ok(text.includes(`Evidence pack ${packId}: Example Corp (sample estate), period 2026-10`), text);
    assert.ok(text.includes('18 controls: fail 11, gap 1, manual 4, inherited 2'), text);
    assert.ok(text.includes(sha256(readFileSync(join(pack, 'manifest.json')))), 'manifest digest in the comment');
    assert.ok(text.includes(`sha256 ${sha256(readFileSync(archive))}`), 'archive digest in the comment');
    assert.match(r.stdout, new RegExp(`^${packId}: attached ${packId}\\.zip and ${packId}\\.pdf to Jira AUDIT-42 with a comment: 18 controls`));
  });

  it('comments on a GitHub issue with the same facts and the storage link', async () => {
    const r = await runCliInProcess(['attach', pack, ...pin, '--github', 'acme/compliance#7', '--link', 's3://acme-audit/2026-10/', '--json'], env());
    assert.equal(r.code, 0, r.stderr);
    noSecrets(r);
    assert.deepEqual(
      api.requests.map((q) => `${q.method} ${q.path}`),
      ['GET /api/v3/repos/acme/compliance/issues/7/comments?per_page=100&page=1', 'POST /api/v3/repos/acme/compliance/issues/7/comments'],
    );
    const q = api.requests[1]!;
    assert.equal(q.headers.authorization, `Bearer ${ghToken}`);
    assert.equal(q.headers['x-github-api-version'], '2022-11-28');
    const markdown = JSON.parse(q.body.toString('utf8')).body as string;
    assert.match(markdown, /\| Controls \| `18 controls: fail 11, gap 1, manual 4, inherited 2` \|/);
    assert.match(markdown, /\| Stored at \| `s3:\/\/acme-audit\/2026-10\/` \|/);
    assert.match(markdown, /evidence-pack verify pack-\S+\.zip --expect-key sha256:[0-9a-f]{64}/);
    assert.equal(JSON.parse(r.stdout).github.comment, 'https://github.example/acme/compliance/issues/7#issuecomment-1');
  });

  it('waits out a 429 with Retry-After, then succeeds', async () => {
    api.script.attachments = [{ status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down' } }];
    const r = await runCliInProcess(['attach', archive, ...pin, '--jira', api.url, '--issue', 'AUDIT-42'], env());
    assert.equal(r.code, 0, r.stderr);
    assert.equal(api.requests.filter((q) => q.path.endsWith('/attachments')).length, 3, 'the refused upload was sent again');
  });

  const failures = [
    { status: 401, expect: /^evidence-pack: Jira AUDIT-42: attaching pack-\S+\.zip: HTTP 401: authentication failed: check JIRA_EMAIL and JIRA_API_TOKEN/ },
    { status: 403, expect: /HTTP 403: the token may not do this \(permission denied\) \(You do not have permission to create attachments for this issue\.\)/ },
    { status: 404, expect: /HTTP 404: not found, or not visible to this token/ },
    { status: 413, expect: /HTTP 413: the file is larger than the server accepts/ },
    { status: 429, headers: { 'retry-after': '3600' }, expect: /HTTP 429: rate limited \(retry after 3600 s\); try again later/ },
    { status: 500, expect: /HTTP 500: Internal server error/ },
  ];
  for (const f of failures) {
    it(`HTTP ${f.status} from Jira: exit 7, one line, no comment sent`, async () => {
      api.script.attachments = [
        { status: f.status, headers: f.headers, body: { errorMessages: [f.status === 403 ? 'You do not have permission to create attachments for this issue.' : 'Internal server error'] } },
      ];
      const r = await runCliInProcess(['attach', archive, ...pin, '--jira', api.url, '--issue', 'AUDIT-42'], env());
      assert.equal(r.code, 7, r.stderr);
      assert.match(r.stderr, f.expect);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      noSecrets(r);
      assert.ok(!api.requests.some((q) => q.path.endsWith('/comment')), 'no comment after a failed upload');
      api.script.attachments = [];
    });
  }

  it('refuses a tampered pack before sending anything (exit 3)', async (t) => {
    const copy = join(tempDir(t), pack.split('/').pop()!);
    cpSync(pack, copy, { recursive: true });
    appendFileSync(join(copy, 'evidence.csv'), 'x');
    const r = await runCliInProcess(['attach', copy, ...pin, '--jira', api.url, '--issue', 'AUDIT-42'], env());
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /does not verify \(changed evidence\.csv\); refusing to attach it/);
    assert.equal(api.requests.length, 0);
  });

  it('refuses a pack whose signer no trust anchor names (exit 8), or signed by another key (exit 3), before sending anything', async () => {
    const r = await runCliInProcess(['attach', archive, '--jira', api.url, '--issue', 'AUDIT-42'], env());
    assert.equal(r.code, 8, r.stderr);
    assert.match(
      r.stderr,
      /^evidence-pack: \S+\.zip: intact, signer not verified: signed by key sha256:[0-9a-f]{64}, and no trust anchor was given \(--expect-key, --expect-kms-key or trusted-keys\); refusing to attach it\n$/,
    );
    const other = await runCliInProcess(['attach', pack, '--github', 'acme/compliance#7', '--link', 's3://acme-audit/2026-10/', '--expect-key', `sha256:${'d'.repeat(64)}`], env());
    assert.equal(other.code, 3, other.stderr);
    assert.match(other.stderr, /does not verify \(signed by key sha256:[0-9a-f]{64}, not the expected sha256:d{64} \(--expect-key\)\); refusing to attach it/);
    assert.equal((await runCliInProcess(['attach', archive, '--jira', api.url, '--issue', 'AUDIT-42', '--expect-key'], env())).code, 2);
    assert.equal(api.requests.length, 0);
  });

  it('needs a token from the environment, an issue key and https (exit 2, nothing sent)', async () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['--jira', api.url, '--issue', 'AUDIT-42'], { JIRA_API_TOKEN: '' }, /set JIRA_API_TOKEN \(and JIRA_EMAIL for Jira Cloud\)/],
      [['--jira', api.url, '--issue', 'audit 42'], env(), /--issue audit 42: not a Jira issue key/],
      [['--jira', 'http://jira.example.org', '--issue', 'AUDIT-42'], env(), /use https \(plain http is accepted only for localhost\)/],
      [['--github', 'acme/compliance'], env(), /--github acme\/compliance: expected owner\/repo#number/],
      [['--github', 'acme/compliance#7', '--link', 's3://acme-audit/2026-10/'], { ...env(), GITHUB_TOKEN: '', GH_TOKEN: '' }, /set GITHUB_TOKEN or GH_TOKEN/],
      [[], env(), /name a ticket with --jira URL --issue KEY, or --github owner\/repo#N/],
    ];
    for (const [args, e, expect] of cases) {
      const r = await runCliInProcess(['attach', archive, ...pin, ...args], e);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, expect);
    }
    assert.equal(api.requests.length, 0);
  });
});
