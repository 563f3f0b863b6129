// What a ticket says about a pack: facts from the verified pack, the same for Jira and GitHub.
import { markdownText } from '../core/markdown-text.ts';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { statusCounts } from '../render/status.ts';
import type { VerifiedPack } from '../pack/open-verified.ts';
import { manifestFile } from '../sign/manifest.ts';
import { sha256File } from '../sign/sign.ts';
import { readPoamOf } from '../poam/changes.ts';

export interface PackFacts {
  packId: string;
  organization: string;
  period: string;
  controls: string;
  evidenceItems: number;
  gaps: number;
  keyFingerprint: string;
  keyLabel: string;
  algorithm: string;
  managedKey: boolean;
  manifestSha256: string;
  /** The pack's POA&M against the previous period's: "37 open (0 overdue); 2 new, 1 closed this period". */
  poam?: string;
  archive?: { name: string; bytes: number; sha256: string };
  link?: string;
  /** The auditor's request list sent (Jira) or written beside the pack (GitHub). */
  requestList?: { name: string; items: number; controls: string[]; sha256: string; where: string };
}

export async function packFacts(pack: VerifiedPack, archive: string | undefined, link: string | undefined): Promise<PackFacts> {
  const { result, verification } = pack;
  return {
    packId: verification.packId ?? basename(pack.dir),
    organization: result.organization,
    period: result.period?.label ?? 'not stated',
    controls: `${result.controls.length} controls: ${statusCounts(result.summary.controls)}`,
    evidenceItems: Object.values(result.summary.evidence).reduce((a, b) => a + b, 0),
    gaps: result.gaps.length,
    keyFingerprint: verification.keyFingerprint ?? 'unknown',
    keyLabel: verification.keyLabel ?? '',
    algorithm: verification.algorithm ?? 'Ed25519',
    managedKey: verification.managedKey === true,
    ...poamFact(pack.dir),
    manifestSha256: createHash('sha256')
      .update(readFileSync(join(pack.dir, manifestFile)))
      .digest('hex'),
    ...(archive ? { archive: { name: basename(archive), bytes: statSync(archive).size, sha256: await sha256File(archive) } } : {}),
    ...(link ? { link } : {}),
  };
}

function poamFact(dir: string): { poam?: string } {
  const c = readPoamOf(dir)?.counts;
  return c ? { poam: `${c.open} open (${c.overdue} overdue); ${c.newThisPeriod} new, ${c.closedThisPeriod} closed this period` } : {};
}

/** The lines of the comment, as [label, value] pairs after a heading; rendered as Markdown or as Jira's ADF. */
export function commentLines(f: PackFacts): { heading: string; rows: [string, string][]; verify: string } {
  const rows: [string, string][] = [
    ['Controls', f.controls],
    ['Evidence items', `${f.evidenceItems}; evidence gaps: ${f.gaps}`],
    ['Signed by', `${f.keyFingerprint} (${f.algorithm}${f.managedKey ? '' : ', UNMANAGED DEMO KEY: proves integrity, not authorship'})`],
    ['manifest.json sha256', f.manifestSha256],
  ];
  if (f.poam) rows.push(['POA&M', f.poam]);
  if (f.archive) rows.push(['Archive', `${f.archive.name}, ${f.archive.bytes} bytes, sha256 ${f.archive.sha256}`]);
  if (f.link) rows.push(['Stored at', f.link]);
  if (f.requestList)
    rows.push(['Request list', `${f.requestList.name}, ${f.requestList.items} sampled items of ${f.requestList.controls.join(', ')} to test, sha256 ${f.requestList.sha256}; ${f.requestList.where}`]);
  return {
    heading: `Evidence pack ${f.packId}: ${f.organization}, period ${f.period}`,
    rows,
    verify: `evidence-pack verify ${f.archive?.name ?? f.packId} --expect-key ${f.keyFingerprint}`,
  };
}

/** Hidden in the rendered comment; a rerun finds the pack's comment by it (the manifest digest names the pack). */
export const githubMarker = (f: Pick<PackFacts, 'manifestSha256'>) => `<!-- evidence-pack manifest-sha256:${f.manifestSha256} -->`;

export function commentMarkdown(f: PackFacts): string {
  const c = commentLines(f);
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
  return [
    `**${markdownText(c.heading)}**`,
    '',
    '| | |',
    '|---|---|',
    ...c.rows.map(([k, v]) => `| ${k} | \`${cell(v).replace(/`/g, "'")}\` |`),
    '',
    'Verify offline (no AWS account needed):',
    '',
    '```',
    c.verify,
    '```',
    '',
    githubMarker(f),
    '',
  ].join('\n');
}

/** The same comment in Atlassian Document Format, which Jira's REST API v3 requires. */
export function commentAdf(f: PackFacts): object {
  const c = commentLines(f);
  const text = (t: string, marks?: object[]) => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
  return {
    type: 'doc',
    version: 1,
    content: [
      { type: 'paragraph', content: [text(c.heading, [{ type: 'strong' }])] },
      { type: 'bulletList', content: c.rows.map(([k, v]) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [text(`${k}: `), text(v, [{ type: 'code' }])] }] })) },
      { type: 'paragraph', content: [text('Verify offline (no AWS account needed):')] },
      { type: 'codeBlock', attrs: {}, content: [text(c.verify)] },
    ],
  };
}
