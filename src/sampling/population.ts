// A control's population: every evidence item of the control, one CSV row each, in the order of its
// items files, so that the file (and its sha256, the default seed) is fixed once the pack is signed.
import { join } from 'node:path';
import { BufferedFileWriter } from '../core/buffered-writer.ts';
import { readLineBatches } from '../evaluate/item-files.ts';
import type { ControlResult, EvidenceItem, ItemStatus } from '../evaluate/result.ts';
import { csvField } from '../core/csv-field.ts';
import { sourceText } from '../evaluate/item-source.ts';

export const populationsDir = 'populations';
export const populationFileOf = (control: string) => `${populationsDir}/${control}.csv`;
export const populationColumns = ['row', 'key', 'status', 'account', 'region', 'resource_type', 'resource_id', 'source', 'items_file', 'items_line'] as const;

/** The key a row is ranked by: its row number and what the item is about, unique by the row number. */
export function rowKey(row: number, item: EvidenceItem): string {
  return [String(row), sourceText(item), item.account, item.region, item.resource?.type ?? '', item.resource?.id ?? '(scope)'].join('|');
}

export interface PopulationInfo {
  control: string;
  file: string;
  sha256: string;
  bytes: number;
  rows: number;
  byStatus: Partial<Record<ItemStatus, number>>;
  /** What defines the population, in words. */
  definition: string;
}

export interface ControlItem {
  row: number;
  key: string;
  item: EvidenceItem;
}

/** Every item of a control with its row number and key, in population order. */
export async function* controlRows(packDir: string, control: ControlResult): AsyncGenerator<ControlItem & { file: string; line: number }> {
  let row = 0;
  const parts = control.items ?? [];
  if (!control.items) {
    // result@1: the items are inline in result.json.
    for (const [i, item] of control.evidence.entries()) yield { row: ++row, key: rowKey(row, item), item, file: 'result.json', line: i + 1 };
    return;
  }
  for (const part of parts) {
    let line = 0;
    for await (const batch of readLineBatches<EvidenceItem>(packDir, [part])) {
      for (const item of batch) {
        row++;
        yield { row, key: rowKey(row, item), item, file: part.file, line: ++line };
      }
    }
  }
}

function definitionOf(c: ControlResult): string {
  const files = c.items?.length ? c.items.map((p) => p.file).join(', ') : 'result.json';
  return `every evidence item of control ${c.id} (${c.title}), from ${files}, in that order`;
}

/** Writes populations/<control>.csv under outDir from the items files under packDir. */
export async function writePopulation(packDir: string, outDir: string, control: ControlResult): Promise<PopulationInfo> {
  const file = populationFileOf(control.id);
  const out = new BufferedFileWriter(join(outDir, file));
  const byStatus: Partial<Record<ItemStatus, number>> = {};
  let rows = 0;
  try {
    out.write(`${populationColumns.join(',')}\r\n`);
    for await (const r of controlRows(packDir, control)) {
      const i = r.item;
      byStatus[i.status] = (byStatus[i.status] ?? 0) + 1;
      rows++;
      out.write(`${[String(r.row), r.key, i.status, i.account, i.region, i.resource?.type ?? '', i.resource?.id ?? '', sourceText(i), r.file, String(r.line)].map(csvField).join(',')}\r\n`);
    }
  } catch (e) {
    out.close();
    throw e;
  }
  const closed = out.close();
  return { control: control.id, file, ...closed, rows, byStatus, definition: definitionOf(control) };
}
