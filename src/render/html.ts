import { writeFile } from 'node:fs/promises';
import { BufferedFileWriter } from '../core/buffered-writer.ts';
import type { Result } from '../evaluate/result.ts';
import { loadTemplates, type ReportTemplates } from './templates.ts';
import { buildReportView, type DeferredRows, type PackContext } from './view-model.ts';

/** The self-contained HTML report: a pure function of result.json, the pack context and the templates. */
export function renderHtml(result: Result, pack: PackContext, templatesDir?: string, pages?: ReadonlyMap<string, number>): string {
  return loadTemplates(templatesDir).render(buildReportView(result, pack, pages));
}

/**
 * Writes report.html. With the built-in evidence table, each control's rows are rendered a batch at a
 * time into the file where the skeleton holds their marker, so no string holds every row of a large
 * estate; the bytes are the same as rendering the whole view at once.
 */
export async function writeReportHtml(file: string, templates: ReportTemplates, result: Result, pack: PackContext): Promise<void> {
  if (!templates.renderRows) return writeFile(file, templates.render(buildReportView(result, pack)));
  const deferred = new Map<string, DeferredRows>();
  const skeleton = templates.render(buildReportView(result, pack, undefined, deferred));
  const out = new BufferedFileWriter(file, { hashed: false });
  try {
    let at = 0;
    for (const m of skeleton.matchAll(/<!--evidence-rows:[^>]*-->/g)) {
      const rows = deferred.get(m[0]);
      if (!rows) continue;
      out.write(skeleton.slice(at, m.index));
      for (let i = 0; i < rows.items.length; i += rowsPerBatch) out.write(templates.renderRows(rows.items.slice(i, i + rowsPerBatch).map(rows.view)));
      at = m.index + m[0].length;
    }
    out.write(skeleton.slice(at));
  } finally {
    out.close();
  }
}

const rowsPerBatch = 100;
