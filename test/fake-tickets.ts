// A fake Jira and GitHub API on 127.0.0.1: records every request (headers and raw body), keeps what was
// attached and commented (so a rerun can list it), and answers from a script of statuses, so tests can
// check multipart bodies, comments, error handling and reruns. Jira is Cloud (REST API v3, ADF comments) or, with
// { jira: 'datacenter' }, Data Center (REST API v2 only, comment bodies as wiki-markup strings, downloads under /secure/attachment).
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface StoredAttachment {
  id: string;
  filename: string;
  size: number;
  sha256: string;
  bytes: Buffer;
}

export interface FakeTickets {
  url: string;
  requests: RecordedRequest[];
  /**
   * Responses to give, in order, before the default success, keyed by a path suffix ("attachments", "comment",
   * "comments") for a POST, or "GET " and the suffix (query left off) for a GET.
   */
  script: Record<string, Scripted[]>;
  /** What the issues hold: attachments (Jira) and comment bodies as JSON text (Jira Cloud's ADF, Jira Data Center's wiki markup, GitHub's Markdown). */
  stored: { attachments: StoredAttachment[]; comments: string[] };
  close(): Promise<void>;
}

export async function startFakeTickets(opts: { jira?: 'cloud' | 'datacenter' } = {}): Promise<FakeTickets> {
  const jiraApi = opts.jira === 'datacenter' ? '/rest/api/2' : '/rest/api/3';
  const requests: RecordedRequest[] = [];
  const script: FakeTickets['script'] = {};
  const stored: FakeTickets['stored'] = { attachments: [], comments: [] };
  let base = '';
  const answer = async (method: string, path: string, body: Buffer, headers: IncomingHttpHeaders): Promise<{ status: number; body: unknown; raw?: Buffer }> => {
    const [route = '', query = ''] = path.split('?');
    const kind = route.split('/').pop() ?? '';
    if (route.includes('/rest/api/') && !route.includes(`${jiraApi}/`)) return { status: 404, body: { errorMessages: [`no such API on this Jira: ${route}`] } };
    if (method === 'POST' && kind === 'attachments') {
      const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': String(headers['content-type']) }, body: new Uint8Array(body) }).formData();
      const file = form.get('file') as File;
      const bytes = Buffer.from(await file.arrayBuffer());
      const id = String(10000 + requests.length);
      stored.attachments.push({ id, filename: file.name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), bytes });
      return { status: 200, body: [{ id, filename: file.name }] };
    }
    if (method === 'POST' && (kind === 'comment' || kind === 'comments')) {
      const comment = JSON.parse(body.toString('utf8')).body;
      // Jira Data Center's API v2 takes a wiki-markup string; an ADF document is refused.
      if (opts.jira === 'datacenter' && typeof comment !== 'string') return { status: 400, body: { errorMessages: ['Can not deserialize instance of java.lang.String out of START_OBJECT token'] } };
      stored.comments.push(JSON.stringify(comment));
      return { status: 201, body: kind === 'comment' ? { id: '20001', self: `${route}/20001` } : { id: 1, html_url: 'https://github.example/acme/compliance/issues/7#issuecomment-1' } };
    }
    if (method === 'GET' && /\/rest\/api\/\d\/issue\/[^/]+$/.test(route)) {
      const content = (a: StoredAttachment) => (opts.jira === 'datacenter' ? `${base}/secure/attachment/${a.id}/${encodeURIComponent(a.filename)}` : `${base}/rest/api/3/attachment/content/${a.id}`);
      return { status: 200, body: { fields: { attachment: stored.attachments.map((a) => ({ id: a.id, filename: a.filename, size: a.size, content: content(a) })) } } };
    }
    const download = opts.jira === 'datacenter' ? /^\/secure\/attachment\/(\d+)\// : /^\/rest\/api\/3\/attachment\/content\/(\d+)$/;
    if (method === 'GET' && download.test(route)) {
      const a = stored.attachments.find((x) => x.id === download.exec(route)![1]);
      return a ? { status: 200, body: undefined, raw: a.bytes } : { status: 404, body: { errorMessages: ['no such attachment'] } };
    }
    if (method === 'GET' && kind === 'comment') {
      const params = new URLSearchParams(query);
      const startAt = Number(params.get('startAt') ?? 0);
      const page = stored.comments.slice(startAt, startAt + Number(params.get('maxResults') ?? 50));
      return {
        status: 200,
        body: { startAt, total: stored.comments.length, comments: page.map((c, i) => ({ id: String(20001 + startAt + i), self: `${route}/${20001 + startAt + i}`, body: JSON.parse(c) })) },
      };
    }
    if (method === 'GET' && kind === 'comments') {
      const params = new URLSearchParams(query);
      const perPage = Number(params.get('per_page') ?? 30);
      const page = Number(params.get('page') ?? 1);
      return {
        status: 200,
        body: stored.comments
          .slice((page - 1) * perPage, page * perPage)
          .map((c, i) => ({ id: i + 1, body: JSON.parse(c), html_url: `https://github.example/acme/compliance/issues/7#issuecomment-${(page - 1) * perPage + i + 1}` })),
      };
    }
    return { status: 200, body: {} };
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const method = req.method ?? '';
      const body = Buffer.concat(chunks);
      requests.push({ method, path, headers: req.headers, body });
      const kind = path.split('?')[0]!.split('/').pop() ?? '';
      const next = script[method === 'GET' ? `GET ${kind}` : kind]?.shift();
      const reply = next ? Promise.resolve({ status: next.status, body: next.body ?? {}, raw: undefined }) : answer(method, path, body, req.headers);
      void reply.then((r) => {
        res.writeHead(r.status, { 'content-type': r.raw ? 'application/octet-stream' : 'application/json', ...next?.headers });
        res.end(r.raw ?? JSON.stringify(r.body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    script,
    stored,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Parses a recorded multipart body with the platform's own parser. */
export async function formOf(r: RecordedRequest): Promise<FormData> {
  return new Request('http://x/', { method: 'POST', headers: { 'content-type': String(r.headers['content-type']) }, body: new Uint8Array(r.body) }).formData();
}
