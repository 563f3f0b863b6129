// GitHub issues: a comment with the pack's facts. GitHub has no attachment API, so the archive is
// named by digest and, with --link, by where it is stored (an Actions artifact, S3, a share).
import { UserError } from '../core/errors.ts';
import { checkBaseUrl, send } from './http.ts';
import { commentMarkdown, githubMarker, type PackFacts } from './summary.ts';

export const githubTokenEnvs = ['GITHUB_TOKEN', 'GH_TOKEN'] as const;

export function parseGithubIssue(ref: string): { owner: string; repo: string; number: number } {
  const m = /^([\w.-]+)\/([\w.-]+)#(\d+)$/.exec(ref);
  if (!m) throw new UserError(`--github ${ref}: expected owner/repo#number`);
  return { owner: m[1]!, repo: m[2]!, number: Number(m[3]) };
}

/** Comments read when looking for the pack's own: 10 pages of 100. */
const maxCommentPages = 10;

/**
 * Comments with the pack's facts, unless an earlier comment already carries them (the hidden marker
 * with the manifest digest): a rerun after a failure, or a comment that was stored although its answer never came, is not repeated.
 */
export async function commentOnGithub(ref: string, facts: PackFacts, env = process.env): Promise<{ url: string; alreadyThere: boolean }> {
  const { owner, repo, number } = parseGithubIssue(ref);
  const token = githubTokenEnvs.map((k) => env[k]).find(Boolean);
  if (!token) throw new UserError(`--github: set ${githubTokenEnvs.join(' or ')} in the environment`);
  // GitHub Actions sets GITHUB_API_URL (github.com or the Enterprise server's API).
  const base = checkBaseUrl(env.GITHUB_API_URL || 'https://api.github.com', 'GITHUB_API_URL');
  const url = new URL(`${base.pathname.replace(/\/$/, '')}/repos/${owner}/${repo}/issues/${number}/comments`, base);
  const target = { name: `GitHub ${ref}`, credentials: githubTokenEnvs.join(' or ') };
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28', 'User-Agent': 'evidence-pack' };
  for (let page = 1; page <= maxCommentPages; page++) {
    const list = new URL(url);
    list.search = new URLSearchParams({ per_page: '100', page: String(page) }).toString();
    const comments = (await send(target, 'reading earlier comments', list, () => ({ method: 'GET', headers }))) as { body?: string; html_url?: string }[] | undefined;
    if (!Array.isArray(comments)) break;
    const ours = comments.find((c) => typeof c.body === 'string' && c.body.includes(githubMarker(facts)));
    if (ours) return { url: ours.html_url ?? 'found', alreadyThere: true };
    if (comments.length < 100) break;
  }
  const sent = (await send(target, 'adding the comment', url, () => ({
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ body: commentMarkdown(facts) }),
  }))) as { html_url?: string } | undefined;
  return { url: sent?.html_url ?? 'added', alreadyThere: false };
}
