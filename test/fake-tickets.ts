// A fake Jira and GitHub API on 127.0.0.1: records every request (headers and raw body) and answers
// from a script of statuses, so tests can check multipart bodies, comments and error handling.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer }

export interface Scripted { status: number; headers?: Record<string, string>; body?: unknown }

export interface FakeTickets {
  url: string;
  requests: RecordedRequest[];
  /** Responses to give, in order, before the default success, keyed by a path suffix ("attachments", "comment", "comments"). */
  script: Record<string, Scripted[]>;
  close(): Promise<void>;
}

export async function startFakeTickets(): Promise<FakeTickets> {
  const requests: RecordedRequest[] = [];
  const script: FakeTickets['script'] = {};
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      requests.push({ method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks) });
      const kind = path.split('/').pop() ?? '';
      const next = script[kind]?.shift();
      const defaults: Record<string, unknown> = {
        attachments: [{ id: String(10000 + requests.length), filename: 'x' }],
        comment: { id: '20001', self: `${path}/20001` },
        comments: { id: 1, html_url: 'https://github.example/acme/compliance/issues/7#issuecomment-1' },
      };
      const status = next?.status ?? (kind === 'comments' || kind === 'comment' ? 201 : 200);
      res.writeHead(status, { 'content-type': 'application/json', ...next?.headers });
      res.end(JSON.stringify(next?.body ?? defaults[kind] ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    script,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Parses a recorded multipart body with the platform's own parser. */
export async function formOf(r: RecordedRequest): Promise<FormData> {
  return new Request('http://x/', { method: 'POST', headers: { 'content-type': String(r.headers['content-type']) }, body: new Uint8Array(r.body) }).formData();
}
