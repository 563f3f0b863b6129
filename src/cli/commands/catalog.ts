import { stringify } from 'csv-stringify/sync';
import { exportCatalog } from '../../catalog/export.ts';
import { loadCatalog } from '../../catalog/load.ts';
import { checksById } from '../../checks/index.ts';
import { neutraliseFormula } from '../../render/csv.ts';
import { stdout } from '../../core/io.ts';

export async function catalogExportCommand(opts: { format: 'json' | 'csv'; table: 'edges' | 'controls'; catalog?: string[] }): Promise<number> {
  const exported = exportCatalog(loadCatalog(new Set(checksById.keys()), undefined, opts.catalog));
  if (opts.format === 'json') {
    stdout(`${JSON.stringify(exported, null, 2)}\n`);
    return 0;
  }
  const rows = (opts.table === 'edges'
    ? exported.edges
    : exported.controls.map((c) => ({ ...c, checks: c.checks.join(' '), rules: c.rules.join(' '), guidance: c.guidance.join(' ') }))) as unknown as Record<string, unknown>[];
  const columns = Object.keys(
    opts.table === 'edges' ? { framework: 1, rule: 1, ruleKind: 1, control: 1, source: 1, sourceType: 1, via: 1, printed: 1, agreement: 1, secondSource: 1, note: 1 } : rows[0]!,
  );
  stdout(stringify([columns, ...rows.map((r) => columns.map((c) => neutraliseFormula(String(r[c] ?? ''))))], { record_delimiter: '\r\n' }));
  return 0;
}
