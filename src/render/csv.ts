import { BufferedFileWriter } from '../buffered-writer.ts';
import { controlItemBatches } from '../evaluate/read-result.ts';
import type { ControlResult, EvidenceItem, Result } from '../evaluate/result.ts';

/** Cells a spreadsheet would run as a formula are prefixed with an apostrophe (OWASP CSV injection advice). */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const columns = ['control', 'control_status', 'item_status', 'account', 'region', 'resource_type', 'resource_id', 'resource_name', 'resource_arn', 'source', 'finding', 'evidence_time', 'evidence_file', 'evidence_pointer', 'nist_800_53_r5', 'gdpr'];

/**
 * One field as RFC 4180 wants it: quoted when it holds white space, a comma or a quote, quotes doubled.
 * A large pack's CSV has millions of fields; this is csv-stringify's text for them (a property test holds
 * the two together) at a fraction of the library's cost per row.
 */
export function csvField(value: string): string {
  const v = neutraliseFormula(value);
  return /[\s,"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const csvLine = (row: string[]) => `${row.map(csvField).join(',')}\r\n`;

function row(c: ControlResult, nist: string, gdpr: string, i: EvidenceItem): string[] {
  const source = i.source.kind === 'check' ? `check:${i.source.id}` : i.source.kind === 'config-rule' ? `config-rule:${i.source.rule}:${i.source.ruleName}` : `coverage:${i.source.api}`;
  return [c.id, c.status, i.status, i.account, i.region, i.resource?.type ?? '', i.resource?.id ?? '', i.resource?.name ?? '', i.resource?.arn ?? '', source, i.message, i.observedAt, i.origin?.file ?? '', i.origin?.pointer ?? '', nist, gdpr];
}

/** One row per evidence item, every control's (RFC 4180), written as each items file is read: never all in memory. */
export async function writeEvidenceCsv(result: Result, packDir: string, file: string): Promise<void> {
  const out = new BufferedFileWriter(file, { hashed: false });
  try {
    out.write(csvLine(columns));
    for (const c of result.controls) {
      const nist = c.mappings.nist.map((m) => m.id).join(' ');
      const gdpr = c.mappings.gdpr.map((m) => m.id).join(' ');
      for await (const batch of controlItemBatches(packDir, c)) for (const i of batch) out.write(csvLine(row(c, nist, gdpr, i)));
    }
  } finally {
    out.close();
  }
}
