// attach against servers that misbehave: silent, echoing the token and terminal escapes, answering without end.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { publicKeyFingerprint } from '../src/sign/keys.ts';
import { onlyPack, runCliInProcess, tempDir, untilExit } from './helpers.ts';

const token = 'ghp_FAKEtokenFORtestsONLY0123456789abcdef';

/** A server that misbehaves on the comment itself: the listing of earlier comments (a GET) is answered, empty. */
async function serve(t: { after(fn: () => void): void }, handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET') return handle(req, res);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('[]');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('attach against a misbehaving server', () => {
  let pack: string;
  let pin: string[];
  before(async () => {
    const work = tempDir(untilExit);
    const out = join(work, 'out');
    // Signed with a key the attach pins: an unanchored pack is never sent (exit 8).
    const pair = generateKeyPairSync('ed25519');
    const key = join(work, 'key.pem');
    writeFileSync(key, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    pin = ['--expect-key', publicKeyFingerprint(pair.publicKey)];
    const r = await runCliInProcess(['run', '--no-pdf', '-q', '--out', out, '--signing-key', key]);
    assert.equal(r.code, 0, r.stderr);
    pack = onlyPack(out);
  });
  const attach = (api: string, env: NodeJS.ProcessEnv = {}) =>
    runCliInProcess(['attach', pack, '--github', 'acme/audit#7', '--link', 's3://acme/2026-10/', ...pin], { GITHUB_TOKEN: token, GITHUB_API_URL: api, ...env });

  it('a silent server: exit 7 after the timeout, one line', { timeout: 180_000 }, async (t) => {
    const api = await serve(t, () => undefined);
    const started = Date.now();
    const r = await attach(api, { EVIDENCE_PACK_HTTP_TIMEOUT: '2' });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stderr.trim(), /^evidence-pack: GitHub acme\/audit#7: adding the comment: http:\/\/127\.0\.0\.1:\d+ did not answer within 2 s \(EVIDENCE_PACK_HTTP_TIMEOUT sets the limit\)$/);
    t.diagnostic(`silent server: exit 7 after ${seconds.toFixed(1)} s (limit 2 s)`);
  });

  it('a server echoing the Authorization header and terminal escapes: neither is printed', { timeout: 180_000 }, async (t) => {
    const api = await serve(t, (req, res) => {
      res.writeHead(422, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `bad request: Authorization: ${req.headers.authorization} \u001b[2J\u001b]0;pwned\u0007 token=${token.slice(4)}` }));
    });
    const r = await attach(api);
    assert.equal(r.code, 7, r.stderr);
    assert.ok(!r.stderr.includes(token) && !r.stderr.includes(token.slice(4)), r.stderr);
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(r.stderr), `control characters printed: ${JSON.stringify(r.stderr)}`);
    assert.match(r.stderr, /\[REDACTED/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  it('an answer without end: read no further than 1 MiB, exit 7', { timeout: 180_000 }, async (t) => {
    let sent = 0;
    const api = await serve(t, (_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const more = () => {
        while (sent < 1024 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('close', () => undefined);
      res.write('{"html_url": "');
      more();
    });
    const r = await attach(api);
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stderr.trim(), /^evidence-pack: GitHub acme\/audit#7: adding the comment: the answer is larger than 1 MiB; not read$/);
    assert.ok(sent < 256 * 1024 * 1024, `the server could send ${sent} bytes before the client stopped reading`);
    t.diagnostic(`endless answer: the server sent ${(sent / 1024 / 1024).toFixed(0)} MiB before the client closed the connection`);
  });

  it('GitHub without --link: exit 2 before anything is sent (GitHub cannot hold the archive)', { timeout: 180_000 }, async (t) => {
    let requests = 0;
    const api = await serve(t, (_req, res) => {
      requests++;
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"html_url": "x"}');
    });
    const r = await runCliInProcess(['attach', pack, '--github', 'acme/audit#7'], { GITHUB_TOKEN: token, GITHUB_API_URL: api });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr.trim(), /^evidence-pack: --github acme\/audit#7: GitHub cannot hold the archive: store it .* and name the place with --link$/);
    assert.equal(requests, 0);
  });
});
