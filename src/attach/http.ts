// HTTP for ticket systems: tokens only in headers, never in messages; 429 honoured (Retry-After);
// every failure one line naming the service, the target and what to do.
import { ExitCode, UserError } from '../errors.ts';

export interface Target {
  /** e.g. "Jira PROJ-12" or "GitHub acme/audit#7": how errors name the destination. */
  name: string;
  /** What the token variables are, for the 401 message. */
  credentials: string;
}

const maxRetries = 3;
const maxWaitSeconds = 60;

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
  const text = (await res.text().catch(() => '')).slice(0, 2000);
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
export async function send(target: Target, what: string, url: URL, init: () => RequestInit): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { ...init(), redirect: 'manual' });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new UserError(`${target.name}: ${what}: cannot reach ${url.origin} (${cause?.code ?? cause?.message ?? (e as Error).message})`, ExitCode.ticketRefused);
    }
    if (res.ok) return res.status === 204 ? undefined : res.json().catch(() => undefined);
    const wait = retryAfterSeconds(res);
    const limited = res.status === 429 || (res.status === 403 && wait !== undefined);
    if (limited && attempt < maxRetries && (wait ?? 1) <= maxWaitSeconds) {
      await res.body?.cancel();
      await new Promise((r) => setTimeout(r, (wait ?? 2 ** attempt) * 1000));
      continue;
    }
    const detail = await problemText(res);
    const reasons: Record<number, string> = {
      401: `authentication failed: check ${target.credentials}`,
      403: 'the token may not do this (permission denied)',
      404: 'not found, or not visible to this token',
      413: 'the file is larger than the server accepts: attach the PDF alone or store the archive elsewhere and pass --link',
      429: `rate limited${wait !== undefined ? ` (retry after ${Math.ceil(wait)} s)` : ''}; try again later`,
    };
    const reason = res.status >= 300 && res.status < 400 ? `redirected to ${res.headers.get('location') ?? '?'}; give the final base URL` : reasons[res.status] ?? detail;
    throw new UserError(`${target.name}: ${what}: HTTP ${res.status}: ${reason}${reasons[res.status] && detail !== res.statusText ? ` (${detail})` : ''}`, ExitCode.ticketRefused);
  }
}
