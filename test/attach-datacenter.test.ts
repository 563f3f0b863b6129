// attach to Jira Data Center / Server: REST API v2, a bearer personal access token, the comment as a wiki-markup
// string whose values cannot add markup or links, and a rerun that sends nothing twice (fake Jira on 127.0.0.1).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { commentWiki, wikiText } from '../src/attach/jira-wiki.ts';
import type { PackFacts } from '../src/attach/summary.ts';
import { formOf, startFakeTickets, type FakeTickets } from './fake-tickets.ts';
import { pinnedTo, runCliInProcess, tempDir } from './helpers.ts';
import { sampleRunPack } from './shared-sample.ts';

const token = 'jira-dc-personal-access-token-0123456789';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('attach to Jira Data Center (REST API v2, wiki markup)', () => {
  let api: FakeTickets;
  let pack: string;
  let archive: string;
  let pin: string[];
  const attach = (env: Record<string, string> = { JIRA_API_TOKEN: token }, extra: string[] = []) =>
    runCliInProcess(['attach', archive, ...pin, '--jira', `${api.url}/jira`, '--issue', 'AUDIT-42', ...extra], { JIRA_EMAIL: '', ...env });
  const posts = () => api.requests.filter((q) => q.method === 'POST').map((q) => q.path);

  before(async () => {
    api = await startFakeTickets({ jira: 'datacenter' });
    pack = await sampleRunPack({ pdf: false });
    archive = `${pack}.zip`;
    pin = pinnedTo(pack);
  });
  after(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
    api.stored.attachments.length = 0;
    api.stored.comments.length = 0;
  });

  it('with a token alone: uploads and comments on /rest/api/2 with a bearer token and a wiki-markup string; a rerun sends nothing', { timeout: 600_000 }, async () => {
    const first = await attach();
    assert.equal(first.code, 0, first.stderr);
    assert.ok(!first.stdout.includes(token) && !first.stderr.includes(token), 'the token was printed');
    assert.deepEqual(
      api.requests.map((q) => `${q.method} ${q.path}`),
      [
        'GET /jira/rest/api/2/issue/AUDIT-42?fields=attachment',
        'POST /jira/rest/api/2/issue/AUDIT-42/attachments',
        'GET /jira/rest/api/2/issue/AUDIT-42/comment?startAt=0&maxResults=50&orderBy=-created',
        'POST /jira/rest/api/2/issue/AUDIT-42/comment',
      ],
    );
    for (const q of api.requests) assert.equal(q.headers.authorization, `Bearer ${token}`);
    const [upload, comment] = api.requests.filter((q) => q.method === 'POST') as [(typeof api.requests)[0], (typeof api.requests)[0]];
    assert.equal(upload.headers['x-atlassian-token'], 'no-check');
    const file = (await formOf(upload)).get('file') as File;
    assert.equal(sha256(Buffer.from(await file.arrayBuffer())), sha256(readFileSync(archive)), 'the archive arrives byte for byte');

    const body = JSON.parse(comment.body.toString('utf8')).body;
    assert.equal(typeof body, 'string', 'API v2 takes the comment as a string');
    const packId = pack.split('/').pop()!;
    assert.ok(body.startsWith(`*Evidence pack ${wikiText(packId)}: Example Corp \\(sample estate\\), period 2026\\-10*\n`), body);
    assert.ok(body.includes(`* manifest.json sha256: {{${sha256(readFileSync(`${pack}/manifest.json`))}}}`), body);
    assert.match(body, /\{noformat\}evidence-pack verify pack-\S+\.zip --expect-key sha256:[0-9a-f]{64}\{noformat\}/);

    // The rerun finds the archive (read back from /secure/attachment, as Data Center serves it) and its comment.
    api.requests.length = 0;
    const second = await attach();
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(posts(), [], 'nothing sent twice');
    assert.ok(
      api.requests.some((q) => /^\/secure\/attachment\/\d+\/pack-\S+\.zip$/.test(q.path)),
      'the attachment was read back to compare digests',
    );
    assert.match(second.stdout, /attached nothing new \(pack-\S+\.zip already there\) to Jira AUDIT-42 which already has the comment/);
    assert.equal(api.stored.attachments.length, 1);
    assert.equal(api.stored.comments.length, 1);
  });

  it('an archive renamed since: the rerun still finds the comment by the pack id as the wiki text spells it', { timeout: 600_000 }, async (t) => {
    const renamed = join(tempDir(t), 'october-evidence.zip');
    copyFileSync(archive, renamed);
    const run = () => runCliInProcess(['attach', renamed, ...pin, '--jira', api.url, '--issue', 'AUDIT-42'], { JIRA_API_TOKEN: token, JIRA_EMAIL: '' });
    assert.equal((await run()).code, 0);
    assert.ok(!api.stored.comments[0]!.includes(pack.split('/').pop()!), 'the pack id appears only escaped');
    const again = await run();
    assert.equal(again.code, 0, again.stderr);
    assert.equal(api.stored.comments.length, 1, 'no second comment');
    assert.match(again.stdout, /which already has the comment/);
  });

  it('--jira-flavor datacenter with JIRA_EMAIL: basic auth on API v2; --jira-flavor cloud without it: one line, exit 2', { timeout: 600_000 }, async () => {
    const r = await attach({ JIRA_API_TOKEN: token, JIRA_EMAIL: 'svc-audit' }, ['--jira-flavor', 'datacenter']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(api.requests.every((q) => q.path.startsWith('/jira/rest/api/2/') && q.headers.authorization === `Basic ${Buffer.from(`svc-audit:${token}`).toString('base64')}`));
    const cloud = await attach({ JIRA_API_TOKEN: token }, ['--jira-flavor', 'cloud']);
    assert.equal(cloud.code, 2, cloud.stderr);
    assert.equal(cloud.stderr.trim(), "evidence-pack: --jira-flavor cloud: set JIRA_EMAIL (the account's e-mail) besides JIRA_API_TOKEN");
  });
});

describe('the Data Center comment in wiki markup', () => {
  const hostile: PackFacts = {
    packId: 'pack-2026-10-0a1b2c3d',
    organization: 'Acme [phish|https://evil.example/login] {html}<script>x</script>{html} !https://evil.example/p.png! [~admin]\nh1. injected',
    period: '2026-10 *bold* _em_ -del- +ins+ ^sup^ ~sub~ ??cite?? (y) :) {{mono}} \\\\ back\\slash',
    controls: '18 controls: fail 11 | pass 3 || table',
    evidenceItems: 5,
    gaps: 1,
    keyFingerprint: 'sha256:0123456789abcdef',
    keyLabel: '',
    algorithm: 'Ed25519',
    managedKey: true,
    manifestSha256: 'f'.repeat(64),
    link: 'mailto:x@evil.example or ftp://evil.example/{noformat}',
    archive: { name: 'pack{noformat}\nh1. x{code}.zip', bytes: 10, sha256: 'e'.repeat(64) },
  };
  const wiki = commentWiki(hostile);
  const lines = wiki.split('\n');

  it('keeps every value on its own line of the list: a newline in a value starts nothing', () => {
    assert.deepEqual(
      lines.map((l) => l.slice(0, 2)),
      ['*E', '', '* ', '* ', '* ', '* ', '* ', '* ', '', 'Ve', '{n', ''],
    );
    assert.ok(!lines.some((l) => l.startsWith('h1.')), wiki);
  });

  it('escapes every markup character of a value, so it shows as text: no link, macro, image, mention or effect', () => {
    // What is left once escapes are taken out is only our own markup: the heading's stars, list bullets, {{ }} and {noformat}.
    const unescaped = lines
      .filter((l) => !l.startsWith('{noformat}') && !l.startsWith('Verify offline'))
      .join('\n')
      .replace(/\\[^\s]/g, '')
      .replace(/\{\{|\}\}|\{noformat\}/g, '')
      .replace(/^\* /gm, '')
      .replace(/^\*|\*$/gm, '');
    assert.doesNotMatch(unescaped, /[[\]{}|!*_+^~?()-]/, unescaped);
    assert.doesNotMatch(wiki, /https?:\/\/|ftp:\/\/|mailto:/, 'no URL Jira would turn into a link');
    assert.match(wiki, /\\\[phish\\\|https\\:\/\/evil\.example\/login\\\]/);
    assert.match(wiki, /\\\{html\\\}/);
    assert.match(wiki, /back&#92;slash/, 'a backslash cannot escape our own markup');
    assert.match(wiki, / &#92;&#92; /, 'nor two of them make a line break');
    assert.doesNotMatch(wiki, /\\\\/, 'no double backslash (a forced line break in wiki markup)');
  });

  it('keeps the verify command as it is, and a file name cannot end its block early', () => {
    const block = lines.find((l) => l.startsWith('{noformat}'))!;
    assert.equal(block.match(/\{noformat\}/g)!.length, 2, block);
    assert.ok(block.endsWith(' --expect-key sha256:0123456789abcdef{noformat}'), block);
  });
});
