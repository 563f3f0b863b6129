import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { removeOnInterrupt } from '../../core/interrupt.ts';
import { driftFile, type DriftRecord } from '../../period/drift.ts';
import { trendFile, type TrendPoint } from '../../period/trend.ts';
import { poamFile, type PoamDocument } from '../../poam/poam.ts';
import { poamOutputs } from '../../render/poam-outputs.ts';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readResult } from '../../evaluate/read-result.ts';
import { UserError } from '../../core/errors.ts';
import { outputs, packIdFor, renderStage } from '../../pack/stages.ts';
import { reportFormats, type ReportFormat } from '../../render/report-formats.ts';
import type { Paper } from '../../render/pdf.ts';
import { loadBranding } from '../../render/branding.ts';
import { createProgress } from '../../core/progress.ts';
import { report, type GlobalOptions } from './output.ts';
import { populationsDir } from '../../sampling/population.ts';
import { samplesDir } from '../../sampling/sample.ts';

function onlyFormats(text: string): ReportFormat[] {
  const asked = text
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = asked.filter((f) => !(reportFormats as readonly string[]).includes(f));
  if (unknown.length || !asked.length) throw new UserError(`--only: ${unknown.length ? `unknown report "${unknown[0]}"` : 'no report named'} (choose from ${reportFormats.join(', ')})`);
  return asked as ReportFormat[];
}

/** Renders the reports of a work directory (one holding result.json) into that directory. */
export async function renderCommand(
  opts: GlobalOptions & { dir: string; templates?: string; paper: Paper; pdf: boolean; force?: boolean; pdfCertificate?: string; rowsPerPrint?: number; logo?: string; accent?: string; only?: string },
): Promise<number> {
  const result = readResult(join(opts.dir, outputs.result));
  const formats = opts.only === undefined ? reportFormats : onlyFormats(opts.only);
  const poam = existsSync(join(opts.dir, poamFile)) ? (JSON.parse(readFileSync(join(opts.dir, poamFile), 'utf8')) as PoamDocument) : undefined;
  const targets = [
    ...formats.flatMap((f) => (f === 'inventory' ? [outputs.inventory, outputs.inventoryXlsx] : [outputs[f]])),
    ...(opts.pdf ? [outputs.pdf] : []),
    ...(poam && formats.includes('csv') ? Object.values(poamOutputs) : []),
    ...(opts.pdf || formats.includes('html') ? [populationsDir, samplesDir] : []),
  ];
  const present = targets.filter((f) => existsSync(join(opts.dir, f)));
  if (present.length && !opts.force) throw new UserError(`${join(opts.dir, present[0]!)}: already exists (use --force to replace it)`);
  const tmp = mkdtempSync(join(opts.dir, '.tmp-render-'));
  const forget = removeOnInterrupt(tmp);
  const progress = createProgress({ quiet: opts.quiet || opts.json, total: 1 });
  try {
    const named = formats.map((f) => f.toUpperCase()).join(', ');
    progress.stage(opts.pdf ? `Rendering ${named} and printing the PDF` : `Rendering ${named}`);
    const pdfCertificate = opts.pdfCertificate ? (await import('../../sign/pdf-signature.ts')).pdfCertificateFromFile(opts.pdfCertificate) : undefined;
    const drift = existsSync(join(opts.dir, driftFile)) ? (JSON.parse(readFileSync(join(opts.dir, driftFile), 'utf8')) as DriftRecord) : undefined;
    const trend = existsSync(join(opts.dir, trendFile)) ? (JSON.parse(readFileSync(join(opts.dir, trendFile), 'utf8')) as TrendPoint[]) : undefined;
    const written = await renderStage(result, tmp, {
      packDir: opts.dir,
      drift,
      trend,
      poam,
      pack: { packId: packIdFor(result), branding: loadBranding(opts) },
      templates: opts.templates,
      paper: opts.paper,
      pdf: opts.pdf,
      pdfCertificate,
      rowsPerPrint: opts.rowsPerPrint,
      formats,
      onProgress: (t) => progress.detail(t),
    });
    progress.done();
    for (const f of written) {
      await rm(join(opts.dir, f), { recursive: true, force: true }); // populations/ and samples/ are directories
      await rename(join(tmp, f), join(opts.dir, f));
    }
    report(opts, `Wrote ${written.map((f) => join(opts.dir, f)).join(', ')}`, { written: written.map((f) => join(opts.dir, f)) });
  } finally {
    await rm(tmp, { recursive: true, force: true });
    forget();
  }
  return 0;
}
