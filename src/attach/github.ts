// GitHub issues: a comment with the pack's facts. GitHub has no attachment API, so the archive is
// named by digest and, with --link, by where it is stored (an Actions artifact, S3, a share).
import { UserError } from '../errors.ts';
import { checkBaseUrl, send } from './http.ts';
import { commentMarkdown, type PackFacts } from './summary.ts';

export const githubTokenEnvs = ['GITHUB_TOKEN', 'GH_TOKEN'] as const;

export function parseGithubIssue(ref: string): { owner: string; repo: string; number: number } {
  const m = /^([\w.-]+)\/([\w.-]+)#(\d+)$/.exec(ref);
  if (!m) throw new UserError(`--github ${ref}: expected owner/repo#number`);
  return { owner: m[1]!, repo: m[2]!, number: Number(m[3]) };
}

export async function commentOnGithub(ref: string, facts: PackFacts, env = process.env): Promise<string> {
  const { owner, repo, number } = parseGithubIssue(ref);
  const token = githubTokenEnvs.map((k) => env[k]).find(Boolean);
  if (!token) throw new UserError(`--github: set ${githubTokenEnvs.join(' or ')} in the environment`);
  // GitHub Actions sets GITHUB_API_URL (github.com or the Enterprise server's API).
  const base = checkBaseUrl(env.GITHUB_API_URL || 'https://api.github.com', 'GITHUB_API_URL');
  const url = new URL(`${base.pathname.replace(/\/$/, '')}/repos/${owner}/${repo}/issues/${number}/comments`, base);
  const sent = await send({ name: `GitHub ${ref}`, credentials: githubTokenEnvs.join(' or ') }, 'adding the comment', url, () => ({
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28', 'Content-Type': 'application/json', 'User-Agent': 'evidence-pack' },
    body: JSON.stringify({ body: commentMarkdown(facts) }),
  })) as { html_url?: string } | undefined;
  return sent?.html_url ?? 'added';
}
