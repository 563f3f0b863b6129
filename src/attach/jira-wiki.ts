// The pack's comment in Jira wiki markup, the body Jira Data Center and Server take on REST API v2. Every value
// comes from the pack (organization, period, labels, file names, a link) and is escaped, so it shows as text:
// no markup, macro, link, mention or image of its own.
import { commentLines, type PackFacts } from './summary.ts';

/** Characters that start or end wiki markup: text effects, links, macros, tables, images, emoticons. */
const markup = /[[\]{}*_\-+^~?!|#()\\]/g;

/** A value as wiki text: on one line, markup characters backslash-escaped, a backslash as its entity, no bare URL scheme (Jira links those). */
export function wikiText(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(markup, (c) => (c === '\\' ? '&#92;' : `\\${c}`))
    .replace(/\b(mailto|[a-z][a-z0-9.]*(?=:\/\/)):/gi, '$1\\:');
}

export function commentWiki(f: PackFacts): string {
  const c = commentLines(f);
  return [
    `*${wikiText(c.heading)}*`,
    '',
    ...c.rows.map(([k, v]) => `* ${k}: {{${wikiText(v)}}}`),
    '',
    'Verify offline (no AWS account needed):',
    // noformat shows its text as it is, up to the first {noformat}: a file name cannot end the block early.
    `{noformat}${c.verify.replace(/[\r\n]+/g, ' ').replace(/\{noformat\}/gi, '{ noformat}')}{noformat}`,
    '',
  ].join('\n');
}
