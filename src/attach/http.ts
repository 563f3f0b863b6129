// HTTP for ticket systems: tokens only in headers, never in messages; 429 honoured (Retry-After);
// every failure one line naming the service, the target and what to do.
import { createHash } from 'node:crypto';
import { ExitCode, UserError } from '../core/errors.ts';
import { redactText } from '../redact/detect.ts';

export interface Target {
  /** e.g. "Jira PROJ-12" or "GitHub acme/audit#7": how errors name the destination. */
  name: string;
  /** What the token variables are, for the 401 message. */
  credentials: string;
}

const maxRetries = 3;
const maxWaitSeconds = 60;
/** The most of an answer read: ticket APIs answer in kilobytes; a larger body is not read further. */
const maxAnswerBytes = 1024 * 1024;
/** Seconds a request may take (plus one per MiB uploaded); $EVIDENCE_PACK_HTTP_TIMEOUT overrides. */
const timeoutSeconds = () => (Number(process.env.EVIDENCE_PACK_HTTP_TIMEOUT) > 0 ? Number(process.env.EVIDENCE_PACK_HTTP_TIMEOUT) : 60);

/**
 * Server text made safe to print: the request's own credentials (a server may echo the Authorization
 * header) and any other secret masked, control and bidirectional characters (terminal escapes) removed.
 */
export function safeServerText(text: string, authorization?: string): string {
  let out = text;
  const secrets = new Set<string>();
  if (authorization) {
    secrets.add(authorization);
    const credential = authorization.replace(/^\S+\s+/, '');
    secrets.add(credential);
    if (/^basic\s/i.test(authorization)) for (const part of Buffer.from(credential, 'base64').toString('utf8').split(':')) secrets.add(part);
  }
  for (const secret of [...secrets].filter((x) => x.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(secret).join('[REDACTED credential]');
  return redactText(out).text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ');
}

/** The body as text, read up to limit bytes; undefined when it is longer (the rest is not read). */
/** Hands each chunk of a body to onChunk while the total stays within limit: the byte count, or undefined past it. */
async function readWithin(body: ReadableStream<Uint8Array>, limit: number, onChunk: (chunk: Uint8Array) => void): Promise<number | undefined> {
  const reader = body.getReader();
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return size;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    onChunk(value);
  }
}

async function boundedText(res: Response, limit: number): Promise<string | undefined> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  return (await readWithin(res.body, limit, (c) => chunks.push(c))) === undefined ? undefined : Buffer.concat(chunks).toString('utf8');
}

/** Rejects plain http except to this machine: a token must not cross a network in clear text. */
export function checkBaseUrl(url: string, flag: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`${flag} ${url}: not a URL`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new UserError(`${flag} ${url}: use https (plain http is accepted only for localhost)`);
  }
  return parsed;
}

function retryAfterSeconds(res: Response): number | undefined {
  const header = res.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header) : (Date.parse(header) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, seconds) : undefined;
}

async function problemText(res: Response): Promise<string> {
  const text = ((await boundedText(res, 64 * 1024).catch(() => '')) ?? '').slice(0, 2000);
  try {
    const body = JSON.parse(text) as { message?: string; errorMessages?: string[]; errors?: Record<string, string> };
    const parts = [body.message, ...(body.errorMessages ?? []), ...Object.values(body.errors ?? {})].filter(Boolean);
    if (parts.length) return parts.join('; ').replace(/\s+/g, ' ').slice(0, 300);
  } catch {
    // not JSON: fall through to the status text
  }
  return res.statusText || 'no detail';
}

/**
 * Sends a request (rebuilt for each attempt, since a body stream is consumed), retrying on 429 and on
 * GitHub's secondary rate limit (403 with Retry-After) up to three times; returns the parsed JSON body.
 */
export async function send(target: Target, what: string, url: URL, init: () => RequestInit, opts: { uploadBytes?: number } = {}): Promise<unknown> {
  const seconds = timeoutSeconds() + Math.ceil((opts.uploadBytes ?? 0) / (1024 * 1024));
  for (let attempt = 0; ; attempt++) {
    const request = init();
    const authorization = new Headers(request.headers).get('authorization') ?? undefined;
    const signal = AbortSignal.timeout(seconds * 1000);
    const answer = async <T>(read: () => Promise<T>): Promise<T> => {
      try {
        return await read();
      } catch (e) {
        if ((e as Error).name === 'TimeoutError' || signal.aborted)
          throw new UserError(`${target.name}: ${what}: ${url.origin} did not answer within ${seconds} s (EVIDENCE_PACK_HTTP_TIMEOUT sets the limit)`, ExitCode.ticketRefused);
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        throw new UserError(
          `${target.name}: ${what}: cannot reach ${url.origin} (${safeServerText(String(cause?.code ?? cause?.message ?? (e as Error).message), authorization)})`,
          ExitCode.ticketRefused,
        );
      }
    };
    const res = await answer(() => fetch(url, { ...request, redirect: 'manual', signal }));
    if (res.ok) {
      if (res.status === 204) return undefined;
      const text = await answer(() => boundedText(res, maxAnswerBytes));
      if (text === undefined) throw new UserError(`${target.name}: ${what}: the answer is larger than ${maxAnswerBytes / 1024 / 1024} MiB; not read`, ExitCode.ticketRefused);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return undefined;
      }
    }
    const wait = retryAfterSeconds(res);
    const limited = res.status === 429 || (res.status === 403 && wait !== undefined);
    if (limited && attempt < maxRetries && (wait ?? 1) <= maxWaitSeconds) {
      await res.body?.cancel().catch(() => undefined);
      await new Promise((r) => setTimeout(r, (wait ?? 2 ** attempt) * 1000));
      continue;
    }
    const detail = safeServerText(await problemText(res), authorization);
    const reasons: Record<number, string> = {
      401: `authentication failed: check ${target.credentials}`,
      403: 'the token may not do this (permission denied)',
      404: 'not found, or not visible to this token',
      413: 'the file is larger than the server accepts: attach the PDF alone or store the archive elsewhere and pass --link',
      429: `rate limited${wait !== undefined ? ` (retry after ${Math.ceil(wait)} s)` : ''}; try again later`,
    };
    const reason =
      res.status >= 300 && res.status < 400
        ? `redirected to ${safeServerText(res.headers.get('location') ?? '?', authorization).slice(0, 300)}; give the final base URL`
        : (reasons[res.status] ?? detail);
    throw new UserError(`${target.name}: ${what}: HTTP ${res.status}: ${reason}${reasons[res.status] && detail !== res.statusText ? ` (${detail})` : ''}`, ExitCode.ticketRefused);
  }
}

/**
 * The sha256 of a file the ticket system holds, read as it streams (never to disk), or undefined when it
 * cannot be read or is not exactly `bytes` long: an attachment is only taken as already there when its
 * bytes are ours. Reading stops at `bytes` + 1, so a server cannot make this read more than the file.
 */
export async function downloadSha256(url: URL, headers: Record<string, string>, bytes: number): Promise<string | undefined> {
  const signal = AbortSignal.timeout((timeoutSeconds() + Math.ceil(bytes / (1024 * 1024))) * 1000);
  try {
    const res = await fetch(url, { headers, redirect: 'manual', signal });
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      return undefined;
    }
    const hash = createHash('sha256');
    return (await readWithin(res.body, bytes, (c) => hash.update(c))) === bytes ? hash.digest('hex') : undefined;
  } catch {
    return undefined;
  }
}
