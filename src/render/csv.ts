import { stringify } from 'csv-stringify/sync';
import type { Result } from '../evaluate/result.ts';

/** Cells a spreadsheet would run as a formula are prefixed with an apostrophe (OWASP CSV injection advice). */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const columns = ['control', 'control_status', 'item_status', 'account', 'region', 'resource_type', 'resource_id', 'resource_name', 'resource_arn', 'source', 'finding', 'evidence_time', 'evidence_file', 'evidence_pointer', 'nist_800_53_r5', 'gdpr'];

/** One row per evidence item: every evaluated resource for every control (RFC 4180). */
export function renderEvidenceCsv(result: Result): string {
  const rows: string[][] = [];
  for (const c of result.controls) {
    const nist = c.mappings.nist.map((m) => m.id).join(' ');
    const gdpr = c.mappings.gdpr.map((m) => m.id).join(' ');
    for (const i of c.evidence) {
      const source = i.source.kind === 'check' ? `check:${i.source.id}` : i.source.kind === 'config-rule' ? `config-rule:${i.source.rule}:${i.source.ruleName}` : `coverage:${i.source.api}`;
      rows.push([c.id, c.status, i.status, i.account, i.region, i.resource?.type ?? '', i.resource?.id ?? '', i.resource?.name ?? '', i.resource?.arn ?? '', source, i.message, i.observedAt, i.origin?.file ?? '', i.origin?.pointer ?? '', nist, gdpr]);
    }
  }
  return stringify([columns, ...rows.map((r) => r.map(neutraliseFormula))], { record_delimiter: '\r\n', quoted_match: /[\s,"]/ });
}
