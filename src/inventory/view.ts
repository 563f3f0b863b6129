// The report's inventory summary: resources by type and by account, the largest first, a table each.
import type { InventorySummary } from './write.ts';
import { inventoryFiles } from './files.ts';
import { inventoryTemplate } from './columns.ts';

/** Rows a summary table shows; the rest are counted in one line (the files list every resource). */
export const summaryRows = 25;

export function inventoryView(summary?: InventorySummary) {
  if (!summary) return undefined;
  const cut = <T extends { count: number }>(rows: T[]) => ({
    rows: rows.slice(0, summaryRows),
    more: rows.length > summaryRows ? { groups: rows.length - summaryRows, resources: rows.slice(summaryRows).reduce((n, r) => n + r.count, 0) } : undefined,
  });
  return {
    total: summary.total,
    types: summary.byType.length,
    accounts: summary.byAccount.length,
    byType: cut(summary.byType),
    byAccount: cut(summary.byAccount),
    csv: inventoryFiles.csv,
    xlsx: inventoryFiles.xlsx,
    template: inventoryTemplate,
  };
}
