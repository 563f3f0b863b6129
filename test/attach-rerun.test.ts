// attach run again (after a failed comment, or by a scheduler twice) sends nothing twice: an attachment with
// the same name, size and sha256 is not uploaded again, and the pack's comment is not repeated.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeTickets, type FakeTickets } from './fake-tickets.ts';
import { pinnedTo, runCliInProcess } from './helpers.ts';
import { sampleRunPack } from './shared-sample.ts';

describe('attach rerun: nothing sent twice', () => {
  let api: FakeTickets;
  let archive: string;
  let pin: string[];
  const env = () => ({
    JIRA_API_TOKEN: 'jira-token-0123456789abcdef',
    JIRA_EMAIL: 'auditor@example.org',
    GITHUB_TOKEN: 'ghp_fakeTokenForRerunTests0000000000000',
    GITHUB_API_URL: `${api.url}/api/v3`,
  });
  const posts = (suffix: string) => api.requests.filter((q) => q.method === 'POST' && q.path.endsWith(suffix)).length;
  const jira = () => runCliInProcess(['attach', archive, ...pin, '--jira', api.url, '--issue', 'AUDIT-42'], env());
  const github = () => runCliInProcess(['attach', archive, ...pin, '--github', 'acme/compliance#7', '--link', 's3://acme-audit/2026-10/'], env());

  before(async () => {
    api = await startFakeTickets();
    const pack = await sampleRunPack({ pdf: false });
    archive = `${pack}.zip`;
    pin = pinnedTo(pack);
  });
  after(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
    api.stored.attachments.length = 0;
    api.stored.comments.length = 0;
  });

  it('Jira: the comment fails once; the rerun does not upload the archive again, and a third run sends nothing', { timeout: 600_000 }, async () => {
    api.script.comment = [{ status: 502, body: { errorMessages: ['Bad gateway'] } }];
    const first = await jira();
    assert.equal(first.code, 7, first.stderr);
    assert.match(first.stderr, /adding the comment: HTTP 502/);
    assert.equal(posts('/attachments'), 1);

    const second = await jira();
    assert.equal(second.code, 0, second.stderr);
    assert.equal(posts('/attachments'), 1, 'the archive already on the issue was not uploaded again');
    assert.equal(api.stored.attachments.length, 1);
    assert.equal(posts('/comment'), 2, "the failed comment, then the rerun's");
    assert.equal(api.stored.comments.length, 1);
    assert.match(second.stdout, /attached nothing new \(pack-\S+\.zip already there\) to Jira AUDIT-42 with a comment/);
    const download = api.requests.find((q) => q.path.startsWith('/rest/api/3/attachment/content/'));
    assert.ok(download, 'the attachment of the same name and size was read back to compare digests');
    assert.match(download.path, /\?redirect=false$/);

    const third = await jira();
    assert.equal(third.code, 0, third.stderr);
    assert.equal(posts('/attachments'), 1);
    assert.equal(posts('/comment'), 2, 'no second comment for the same pack');
    assert.match(third.stdout, /\(pack-\S+\.zip already there\) to Jira AUDIT-42 which already has the comment/);
  });

  it('Jira: an attachment of the same name and size but other bytes is not taken for ours: the archive is uploaded', { timeout: 600_000 }, async () => {
    const size = statSync(archive).size;
    const name = archive.split('/').pop()!;
    const other = Buffer.alloc(size, 0x41);
    api.stored.attachments.push({ id: '9999', filename: name, size, sha256: createHash('sha256').update(other).digest('hex'), bytes: other });
    const r = await jira();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(posts('/attachments'), 1, 'uploaded: the digests differ');
    assert.match(r.stdout, new RegExp(`attached ${name.replace(/\./g, '\\.')} to Jira AUDIT-42 with a comment`));
  });

  it('GitHub: the comment fails once; the rerun comments once, and a third run does not comment again', { timeout: 600_000 }, async () => {
    api.script.comments = [{ status: 500, body: { message: 'Server Error' } }];
    const first = await github();
    assert.equal(first.code, 7, first.stderr);
    const second = await github();
    assert.equal(second.code, 0, second.stderr);
    const third = await github();
    assert.equal(third.code, 0, third.stderr);
    assert.equal(posts('/comments'), 2, 'the failed comment and one more');
    assert.equal(api.stored.comments.length, 1);
    assert.match(third.stdout, /GitHub acme\/compliance#7 already has the comment \(https:\/\/github\.example\/acme\/compliance\/issues\/7#issuecomment-1\)/);
    assert.match(api.stored.comments[0]!, /<!-- evidence-pack manifest-sha256:[0-9a-f]{64} -->/);
  });
});
