import type { Result } from '../evaluate/result.ts';
import { loadTemplates } from './templates.ts';
import { buildReportView, type PackContext } from './view-model.ts';

/** The self-contained HTML report: a pure function of result.json, the pack context and the templates. */
export function renderHtml(result: Result, pack: PackContext, templatesDir?: string, pages?: ReadonlyMap<string, number>): string {
  return loadTemplates(templatesDir).render(buildReportView(result, pack, pages));
}
