// Jira (Cloud or Data Center) REST API v3: attachments, then a comment with the pack's facts.
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../errors.ts';
import { checkBaseUrl, send, type Target } from './http.ts';
import { commentAdf, type PackFacts } from './summary.ts';

export const jiraTokenEnv = 'JIRA_API_TOKEN';
export const jiraEmailEnv = 'JIRA_EMAIL';

/** Basic auth (Cloud: e-mail + API token) when JIRA_EMAIL is set, else a bearer personal access token (Data Center). */
function authorization(env: NodeJS.ProcessEnv): string {
  const token = env[jiraTokenEnv];
  if (!token) throw new UserError(`--jira: set ${jiraTokenEnv} (and ${jiraEmailEnv} for Jira Cloud) in the environment`);
  const email = env[jiraEmailEnv];
  return email ? `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}` : `Bearer ${token}`;
}

/** The name a file is attached under: the pack's id, so attachments of several packs on one issue are told apart. */
export function attachmentName(file: string, packId: string): string {
  const ext = /\.[a-z]+$/i.exec(basename(file))?.[0] ?? '';
  return `${packId}${ext}`;
}

export async function attachToJira(baseUrl: string, issue: string, files: string[], facts: PackFacts, onStep: (label: string) => void, env = process.env): Promise<{ attachments: string[]; comment: string }> {
  if (!/^[A-Z][A-Z0-9_]+-\d+$/.test(issue)) throw new UserError(`--issue ${issue}: not a Jira issue key (e.g. AUDIT-42)`);
  const base = checkBaseUrl(baseUrl, '--jira');
  const auth = authorization(env);
  const target: Target = { name: `Jira ${issue}`, credentials: `${jiraEmailEnv} and ${jiraTokenEnv}` };
  const api = (path: string) => new URL(`${base.pathname.replace(/\/$/, '')}/rest/api/3/issue/${encodeURIComponent(issue)}/${path}`, base);
  const attachments: string[] = [];
  for (const file of files) {
    const name = attachmentName(file, facts.packId);
    onStep(`Uploading ${name} to ${issue}`);
    const blob = await openAsBlob(file);
    const sent = await send(target, `attaching ${name}`, api('attachments'), () => {
      const form = new FormData();
      form.append('file', blob, name);
      return { method: 'POST', headers: { Authorization: auth, 'X-Atlassian-Token': 'no-check', Accept: 'application/json' }, body: form };
    }, { uploadBytes: blob.size }) as { id?: string }[] | undefined;
    attachments.push(sent?.[0]?.id ?? name);
  }
  onStep(`Commenting on ${issue}`);
  const comment = await send(target, 'adding the comment', api('comment'), () => ({
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ body: commentAdf(facts) }),
  })) as { id?: string; self?: string } | undefined;
  return { attachments, comment: comment?.self ?? comment?.id ?? 'added' };
}
