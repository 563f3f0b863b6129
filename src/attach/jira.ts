// Jira: attachments, then a comment with the pack's facts. Cloud on REST API v3 with an ADF comment; Data Center
// and Server on REST API v2 with a wiki-markup comment.
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../core/errors.ts';
import { sha256File } from '../sign/sign.ts';
import { requestListName } from './request-list.ts';
import { checkBaseUrl, downloadSha256, send, type Target } from './http.ts';
import { commentWiki, wikiText } from './jira-wiki.ts';
import { commentAdf, type PackFacts } from './summary.ts';

export const jiraTokenEnv = 'JIRA_API_TOKEN';
export const jiraEmailEnv = 'JIRA_EMAIL';

export type JiraFlavor = 'cloud' | 'datacenter';

/** The API spoken unless --jira-flavor says: Cloud's with an e-mail and API token, Data Center's with a token alone (a personal access token). */
export function defaultJiraFlavor(env: NodeJS.ProcessEnv): JiraFlavor {
  return env[jiraEmailEnv] ? 'cloud' : 'datacenter';
}

/** Basic auth (Cloud: e-mail + API token) when JIRA_EMAIL is set, else a bearer personal access token (Data Center). */
function authorization(env: NodeJS.ProcessEnv): string {
  const token = env[jiraTokenEnv];
  if (!token) throw new UserError(`--jira: set ${jiraTokenEnv} (and ${jiraEmailEnv} for Jira Cloud) in the environment`);
  const email = env[jiraEmailEnv];
  return email ? `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}` : `Bearer ${token}`;
}

/** The name a file is attached under: the pack's id (the request list's name already starts with it), so attachments of several packs on one issue are told apart. */
export function attachmentName(file: string, packId: string): string {
  if (basename(file) === requestListName(packId)) return basename(file);
  const ext = /\.[a-z]+$/i.exec(basename(file))?.[0] ?? '';
  return `${packId}${ext}`;
}

interface JiraAttachment {
  id?: string;
  filename?: string;
  size?: number;
  content?: string;
}

/** Candidates compared by content at most: a rerun reads back what it may have sent, not a whole issue's files. */
const maxCompared = 3;
/** Comments read when looking for the pack's own (newest first). */
const maxCommentPages = 10;

/**
 * The id of an attachment on the issue that is this file: the same name and size, and (read back, streamed)
 * the same sha256. Jira keeps no digest of its own; only the issue's own server is asked for the bytes.
 */
async function alreadyAttached(existing: JiraAttachment[], name: string, file: string, bytes: number, base: URL, auth: string): Promise<string | undefined> {
  const candidates = existing.filter((a) => a.filename === name && a.size === bytes && a.content).slice(0, maxCompared);
  if (!candidates.length) return undefined;
  const sha256 = await sha256File(file);
  for (const a of candidates) {
    const url = new URL(a.content!, base);
    if (url.origin !== base.origin) continue;
    // Jira Cloud redirects downloads to its media service unless asked not to.
    if (url.pathname.includes('/rest/api/')) url.searchParams.set('redirect', 'false');
    if ((await downloadSha256(url, { Authorization: auth, Accept: '*/*' }, bytes)) === sha256) return a.id ?? name;
  }
  return undefined;
}

/** An earlier comment of this pack (its id, as the comment spells it, and manifest digest in the text), or undefined. */
async function earlierComment(target: Target, api: (path: string) => URL, auth: string, facts: PackFacts, packIdAs: string): Promise<string | undefined> {
  for (let page = 0, startAt = 0; page < maxCommentPages; page++) {
    const url = api('comment');
    url.search = new URLSearchParams({ startAt: String(startAt), maxResults: '50', orderBy: '-created' }).toString();
    const answer = (await send(target, 'reading earlier comments', url, () => ({ method: 'GET', headers: { Authorization: auth, Accept: 'application/json' } }))) as
      { total?: number; comments?: { id?: string; self?: string; body?: unknown }[] } | undefined;
    const comments = answer?.comments ?? [];
    const ours = comments.find((c) => {
      const text = typeof c.body === 'string' ? c.body : JSON.stringify(c.body ?? '');
      return text.includes(packIdAs) && text.includes(facts.manifestSha256);
    });
    if (ours) return ours.self ?? ours.id ?? 'found';
    startAt += comments.length;
    if (!comments.length || startAt >= (answer?.total ?? 0)) return undefined;
  }
  return undefined;
}

/**
 * Uploads the files, then comments. A rerun (say after a failed comment) sends neither twice: a file whose
 * name, size and sha256 match an attachment already on the issue is not uploaded again, and a comment
 * naming the pack's id and manifest digest is not repeated.
 */
export async function attachToJira(
  baseUrl: string,
  issue: string,
  files: string[],
  facts: PackFacts,
  onStep: (label: string) => void,
  env = process.env,
  flavor = defaultJiraFlavor(env),
): Promise<{ attachments: string[]; alreadyAttached: string[]; comment: string; commentAlreadyThere: boolean }> {
  if (!/^[A-Z][A-Z0-9_]+-\d+$/.test(issue)) throw new UserError(`--issue ${issue}: not a Jira issue key (e.g. AUDIT-42)`);
  const base = checkBaseUrl(baseUrl, '--jira');
  const cloud = flavor === 'cloud';
  if (cloud && !env[jiraEmailEnv]) throw new UserError(`--jira-flavor cloud: set ${jiraEmailEnv} (the account's e-mail) besides ${jiraTokenEnv}`);
  const auth = authorization(env);
  const target: Target = { name: `Jira ${issue}`, credentials: env[jiraEmailEnv] ? `${jiraEmailEnv} and ${jiraTokenEnv}` : jiraTokenEnv };
  const api = (path: string) => new URL(`${base.pathname.replace(/\/$/, '')}/rest/api/${cloud ? 3 : 2}/issue/${encodeURIComponent(issue)}${path ? `/${path}` : ''}`, base);
  onStep(`Reading the attachments of ${issue}`);
  const listing = api('');
  listing.search = 'fields=attachment';
  const existing =
    (
      (await send(target, 'reading its attachments', listing, () => ({ method: 'GET', headers: { Authorization: auth, Accept: 'application/json' } }))) as
        { fields?: { attachment?: JiraAttachment[] } } | undefined
    )?.fields?.attachment ?? [];
  const attachments: string[] = [];
  const already: string[] = [];
  for (const file of files) {
    const name = attachmentName(file, facts.packId);
    const blob = await openAsBlob(file);
    const there = await alreadyAttached(existing, name, file, blob.size, base, auth);
    if (there) {
      already.push(name);
      attachments.push(there);
      continue;
    }
    onStep(`Uploading ${name} to ${issue}`);
    const sent = (await send(
      target,
      `attaching ${name}`,
      api('attachments'),
      () => {
        const form = new FormData();
        form.append('file', blob, name);
        return { method: 'POST', headers: { Authorization: auth, 'X-Atlassian-Token': 'no-check', Accept: 'application/json' }, body: form };
      },
      { uploadBytes: blob.size },
    )) as { id?: string }[] | undefined;
    attachments.push(sent?.[0]?.id ?? name);
  }
  onStep(`Commenting on ${issue}`);
  const earlier = await earlierComment(target, api, auth, facts, cloud ? facts.packId : wikiText(facts.packId));
  if (earlier) return { attachments, alreadyAttached: already, comment: earlier, commentAlreadyThere: true };
  const comment = (await send(target, 'adding the comment', api('comment'), () => ({
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ body: cloud ? commentAdf(facts) : commentWiki(facts) }),
  }))) as { id?: string; self?: string } | undefined;
  return { attachments, alreadyAttached: already, comment: comment?.self ?? comment?.id ?? 'added', commentAlreadyThere: false };
}
