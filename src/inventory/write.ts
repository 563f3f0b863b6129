// inventory.csv and inventory.xlsx: one row per resource evaluated (resources.jsonl.gz), in the columns of FedRAMP's
// Integrated Inventory Workbook, read a batch at a time and written as read; and the counts the report shows.
import { join } from 'node:path';
import { BufferedFileWriter } from '../core/buffered-writer.ts';
import { resultResourceBatches } from '../evaluate/read-result.ts';
import type { Result, ResultResource } from '../evaluate/result.ts';
import { csvField } from '../core/csv-field.ts';
import { inventoryColumns, inventoryHeaders, inventoryRow, inventoryTemplate } from './columns.ts';
import { StreamedWorkbook } from './xlsx.ts';
import { inventoryFiles } from './files.ts';

/**
 * A resource AWS Config recorded (a configuration item, delivered or read through its API), not a service API's
 * record that checks read as one (a trail's status, a credential report, an event sample).
 */
export const isConfigurationItem = (r: ResultResource) => r.origin.api === 'AWS Config snapshot' || r.origin.api.startsWith('config:');

/** Resources by type and by account, largest first (ties by name). */
export interface InventorySummary {
  total: number;
  byType: { type: string; count: number }[];
  byAccount: { account: string; count: number; types: number }[];
}

class Tally {
  total = 0;
  private readonly types = new Map<string, number>();
  private readonly accounts = new Map<string, { count: number; types: Set<string> }>();
  add(r: ResultResource): void {
    this.total++;
    this.types.set(r.type, (this.types.get(r.type) ?? 0) + 1);
    let a = this.accounts.get(r.account);
    if (!a) this.accounts.set(r.account, (a = { count: 0, types: new Set() }));
    a.count++;
    a.types.add(r.type);
  }
  summary(): InventorySummary {
    const order =
      <T extends { count: number }>(key: (t: T) => string) =>
      (x: T, y: T) =>
        y.count - x.count || key(x).localeCompare(key(y));
    return {
      total: this.total,
      byType: [...this.types].map(([type, count]) => ({ type, count })).sort(order((t) => t.type)),
      byAccount: [...this.accounts].map(([account, a]) => ({ account, count: a.count, types: a.types.size })).sort(order((a) => a.account)),
    };
  }
}

const csvLine = (row: string[]) => `${row.map(csvField).join(',')}\r\n`;

/** The legend sheet: each column, where its value comes from or why it is blank. */
export function inventoryLegend(result: Result, total: number): string[][] {
  return [
    ['Column', 'Where the value comes from'],
    ...inventoryColumns.map((c) => [c.header, c.source]),
    ['', ''],
    ['Template', `${inventoryTemplate}. Rows 3-11 of the template (guidance and examples) and its column A are not reproduced.`],
    [
      'Rows',
      `${total} resource(s) AWS Config recorded in scope, one row each (resources.jsonl.gz lists them with the service records checks read besides); the evidence is as of ${result.evidence.collectedAt}.`,
    ],
    ['Redaction', 'Values are taken from the redacted evidence: secrets and personal data in tags and configuration are masked ([REDACTED kind #fingerprint]).'],
  ];
}

/** Every resource's row into inventory.csv and inventory.xlsx in outDir; returns the counts. */
export async function writeInventory(result: Result, packDir: string, outDir: string): Promise<InventorySummary> {
  const time = new Date(result.generatedAt);
  const tally = new Tally();
  const csv = new BufferedFileWriter(join(outDir, inventoryFiles.csv), { hashed: false });
  const xlsx = new StreamedWorkbook(
    join(outDir, inventoryFiles.xlsx),
    { name: 'Inventory', header: inventoryHeaders, widths: inventoryHeaders.map((h) => (h === 'UNIQUE ASSET IDENTIFIER' ? 60 : 22)) },
    { creator: `${result.tool.name} ${result.tool.version}`, title: `System inventory: ${result.organization}`, time },
  );
  try {
    csv.write(csvLine(inventoryHeaders));
    for await (const batch of resultResourceBatches(packDir, result)) {
      for (const r of batch) {
        if (!isConfigurationItem(r)) continue;
        const row = inventoryRow(r);
        csv.write(csvLine(row));
        xlsx.addRow(row);
        tally.add(r);
      }
      await new Promise<void>((resolve) => setImmediate(resolve)); // lets the workbook's zip stream drain
    }
  } finally {
    csv.close();
  }
  await xlsx.finish([{ name: 'Legend', rows: inventoryLegend(result, tally.total), widths: [34, 110] }], time);
  return tally.summary();
}

/** The counts alone, when the inventory files are not written (a render of other formats). */
export async function summariseInventory(result: Result, packDir: string): Promise<InventorySummary> {
  const tally = new Tally();
  for await (const batch of resultResourceBatches(packDir, result)) for (const r of batch) if (isConfigurationItem(r)) tally.add(r);
  return tally.summary();
}
