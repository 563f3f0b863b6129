// The stages as a library: each reads files and writes files, so they meet only at files.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { loadCatalog } from '../catalog/load.ts';
import { UserError } from '../core/errors.ts';
import { checksById } from '../checks/index.ts';
import { Evaluation } from '../evaluate/evaluate.ts';
import { FileLinesStore } from '../evaluate/item-files.ts';
import type { Result } from '../evaluate/result.ts';
import { assuranceFiles, readSnapshot } from '../evidence/read.ts';
import { ruleIdentifierByName } from '../catalog/rule-names.ts';
import type { Period } from '../core/period.ts';
import type { DriftRecord } from '../period/drift.ts';
import type { TrendPoint } from '../period/trend.ts';
import type { PoamDocument } from '../poam/poam.ts';
import { writePoamFiles } from '../render/poam-outputs.ts';
import { loadAttestations, loadWaivers } from '../assurance/load.ts';
import { checkAssuranceAgainstCatalog } from '../evaluate/assurance.ts';
import { jsonChunks, writeJsonFile } from '../core/json-stream.ts';
import { evidenceCopyPath, RedactedCopies } from '../evidence/redacted-copies.ts';
import { outputs } from './layout.ts';
import { selectPageRuns } from '../evaluate/units/select-page-runs.ts';
import { snapshotUnitReader } from '../evaluate/units/snapshot-units.ts';

export { evidenceCopyPath };
import { tool } from '../core/paths.ts';
import { writeEvidenceCsv } from '../render/csv.ts';
import { summariseInventory, writeInventory, type InventorySummary } from '../inventory/write.ts';
import { writeReportHtml } from '../render/html.ts';
import { reportFormats, type ReportFormat } from '../render/report-formats.ts';
import { renderOscal } from '../render/oscal.ts';
import { loadKsiCatalog } from '../catalog/ksi.ts';
import { rollUpKsi } from '../evaluate/ksi.ts';
import type { Paper } from '../render/pdf.ts';
import { loadTemplates } from '../render/templates.ts';
import { buildReportView, type PackContext } from '../render/view-model.ts';
import type { PdfCertificate } from '../sign/pdf-signature.ts';
import { writeSampling } from '../sampling/pack-sampling.ts';

export { outputs } from './layout.ts';

/** The PDF signature's libraries (node-forge, @signpdf), like pdf-report.ts with Chromium and pdf-lib, are loaded only when a PDF is printed. */
const pdfSignature = () => import('../sign/pdf-signature.ts');

export interface EvaluateOptions {
  /** Organization name for the report, instead of the snapshot's. */
  organization?: string;
  period?: Period;
  maxEvaluationAgeDays?: number;
  /** Directory of attestation YAML files; default: <evidence>/attestations when present. */
  attestations?: string;
  /** Waivers YAML file; default: <evidence>/waivers.yaml when present. */
  waivers?: string;
  /** Worker threads for AWS-delivered snapshot files and large (Aggregate)SelectResourceConfig files (0: none); default: one per core for a large estate. */
  threads?: number;
  /** A unit's lines file this large becomes a part of its own in the pack, not copied (default 8 MiB; tests set 0). */
  ownPartFrom?: number;
  /** Characters of (Aggregate)SelectResourceConfig pages evaluated together (default 4 Mi; tests set it small). */
  runChars?: number;
  /** The user's catalog directories (--catalog): frameworks, mappings and controls on top of the built-in ones. */
  catalogs?: string[];
  /** Called as evidence files are read and evaluated ("12 of 40 evidence files"). */
  onProgress?: (text: string) => void;
}

export const attestationCopyPath = (path: string) => `attestations/${path}`;

/**
 * evidence directory (+ attestations and waivers) → result.json, a redacted copy of every evidence
 * file, and the attestations with their attached files, in outDir.
 */
export async function evaluateStage(evidenceDir: string, outDir: string, generatedAt: string, assurance: EvaluateOptions = {}): Promise<Result> {
  const catalog = loadCatalog(new Set(checksById.keys()), undefined, assurance.catalogs);
  const copies = new RedactedCopies(outDir);
  const attestationsDir = assurance.attestations ?? (existsSync(join(evidenceDir, assuranceFiles.attestations)) ? join(evidenceDir, assuranceFiles.attestations) : undefined);
  const waiversFile = assurance.waivers ?? (existsSync(join(evidenceDir, assuranceFiles.waivers)) ? join(evidenceDir, assuranceFiles.waivers) : undefined);
  const attestations = attestationsDir ? loadAttestations(attestationsDir) : [];
  const waivers = waiversFile ? loadWaivers(waiversFile) : [];
  checkAssuranceAgainstCatalog(catalog, attestations, waivers, { attestations: attestationsDir, waivers: waiversFile });
  if (assurance.threads !== undefined && !(Number.isInteger(assurance.threads) && assurance.threads >= 0))
    throw new UserError(`--threads: ${assurance.threads} is not a whole number of threads (0 or more)`);
  const evaluate = { generatedAt, tool, waivers, period: assurance.period, maxEvaluationAgeDays: assurance.maxEvaluationAgeDays, catalogDirs: assurance.catalogs };
  const evaluation = new Evaluation({
    ...evaluate,
    catalog,
    checks: checksById,
    packPathOf: evidenceCopyPath,
    attestations,
    attestationPathOf: attestationCopyPath,
    copies: copies.written,
    lines: new FileLinesStore(outDir, { ownPartFrom: assurance.ownPartFrom }),
  });
  // Configuration items are evaluated as they are read, never held together; delivered snapshot files a unit at a
  // time and (Aggregate)SelectResourceConfig files a run of pages at a time, in threads when large.
  const readSnapshotUnits = snapshotUnitReader({ evidenceDir, outDir, evaluation, copies, evaluate, threads: assurance.threads });
  const pageRuns = selectPageRuns({
    evidenceDir,
    outDir,
    evaluation,
    copies,
    evaluate,
    threads: assurance.threads,
    runChars: assurance.runChars,
    onRows: (rel, rows) => assurance.onProgress?.(`${basename(rel)}: ${rows.toLocaleString('en-US')} rows evaluated`),
  });
  let snapshot;
  try {
    snapshot = await readSnapshot(evidenceDir, {
      ruleIdentifier: ruleIdentifierByName(catalog),
      copies,
      onConfigurationItem: (r, s) => evaluation.resource(r, s),
      readSnapshotUnits,
      readSelectPages: pageRuns.read,
      onProgress: (read, files) => assurance.onProgress?.(`${read} of ${files} evidence files`),
    });
  } finally {
    await pageRuns.close();
  }
  if (assurance.organization) snapshot.meta.organization = assurance.organization;
  const result = evaluation.finish(snapshot);
  // Attestations and waivers travel verbatim: they are the customer's signed-off statements.
  for (const a of attestations) {
    for (const rel of [a.file, ...a.evidence.map((e) => e.path)]) {
      const target = join(outDir, attestationCopyPath(rel));
      await mkdir(dirname(target), { recursive: true });
      await copyFile(join(attestationsDir!, rel), target);
    }
  }
  if (waiversFile) await copyFile(waiversFile, join(outDir, assuranceFiles.waivers));
  await writeJsonFile(join(outDir, outputs.result), result, { ascii: true });
  return result;
}

/** A pack id that names the run's time and the result it carries. */
export function packIdFor(result: Result): string {
  const stamp = result.generatedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  // Hashed piece by piece: a large estate's result is bigger than the largest string V8 allows.
  const hash = createHash('sha256');
  for (const chunk of jsonChunks(result)) hash.update(chunk);
  const digest = hash.digest('hex').slice(0, 8);
  return `pack-${stamp}-${digest}`;
}

export interface RenderOptions {
  pack: PackContext;
  /** The directory holding result.json and its items files (default: outDir). */
  packDir?: string;
  templates?: string;
  paper: Paper;
  pdf: boolean;
  /** Certificate for the signature inside report.pdf (a demo one is made when absent). */
  pdfCertificate?: PdfCertificate;
  /** Comparison with the previous period's pack (drift.json), when there is one. */
  drift?: DriftRecord;
  /** Control counts of this and earlier periods' packs (trend.json). */
  trend?: TrendPoint[];
  /** This pack's plan of action and milestones (poam.json): written as CSV, xlsx and OSCAL, and summarised in the report. */
  poam?: PoamDocument;
  /** Evidence rows per Chromium print (default rowsPerPrint); tests set it low to exercise the parts. */
  rowsPerPrint?: number;
  /** Called as each report is written and as the PDF's parts are printed (a large estate's take minutes). */
  onProgress?: (text: string) => void;
  /** The reports besides the PDF to write (default: all); a pack always has all of them. */
  formats?: readonly ReportFormat[];
}

/** result.json → report.html, evidence.csv, OSCAL assessment-results, inventory.csv/.xlsx and a signed report.pdf in outDir. */
export async function renderStage(result: Result, outDir: string, opts: RenderOptions): Promise<string[]> {
  const written: string[] = [];
  const templates = loadTemplates(opts.templates);
  const cert = opts.pdf ? (opts.pdfCertificate ?? (await pdfSignature()).demoPdfCertificate(result.organization, new Date(result.generatedAt))) : undefined;
  const ksiCatalog = loadKsiCatalog();
  const ksi = rollUpKsi(result, ksiCatalog.catalog, ksiCatalog.sha256);
  const wanted = new Set(opts.formats ?? reportFormats);
  // The CSV (a thread of its own for a large pack) is written while the populations and samples are.
  if (wanted.has('csv')) opts.onProgress?.(`writing ${outputs.csv}`);
  const csv = wanted.has('csv') ? writeEvidenceCsv(result, opts.packDir ?? outDir, join(outDir, outputs.csv)) : undefined;
  csv?.catch(() => {}); // awaited below, or settled before an error of the sampling is thrown
  // The report cites each control's population and sample: they are written with it.
  let sampling;
  try {
    if (wanted.has('html') || cert) {
      opts.onProgress?.('writing populations and samples');
      const s = await writeSampling(result, opts.packDir ?? outDir, outDir);
      written.push(...s.written);
      sampling = s.sampling;
    }
  } catch (e) {
    await csv?.catch(() => {});
    throw e;
  }
  const context: PackContext = { ...opts.pack, pdfCertificate: cert && { subject: cert.subject, demo: cert.demo }, drift: opts.drift, trend: opts.trend, ksi, poam: opts.poam, sampling };
  // One at a time, each format's own data dropped before the next: a large estate's report view is hundreds of MB.
  if (csv) {
    await csv;
    written.push(outputs.csv);
  }
  let inventory: InventorySummary | undefined;
  if (wanted.has('inventory')) {
    opts.onProgress?.(`writing ${outputs.inventory} and ${outputs.inventoryXlsx}`);
    inventory = await writeInventory(result, opts.packDir ?? outDir, outDir);
    written.push(outputs.inventory, outputs.inventoryXlsx);
  }
  if (wanted.has('html') || cert) context.inventory = inventory ?? (await summariseInventory(result, opts.packDir ?? outDir));
  if (wanted.has('html')) {
    opts.onProgress?.(`writing ${outputs.html}`);
    await writeReportHtml(join(outDir, outputs.html), templates, result, context);
    written.push(outputs.html);
  }
  if (wanted.has('oscal')) {
    opts.onProgress?.(`writing ${outputs.oscal}`);
    await writeJsonFile(join(outDir, outputs.oscal), renderOscal(result, opts.pack.packId));
    written.push(outputs.oscal);
  }
  if (wanted.has('ksi')) {
    opts.onProgress?.(`writing ${outputs.ksi}`);
    await writeFile(join(outDir, outputs.ksi), `${JSON.stringify(ksi, null, 2)}\n`);
    written.push(outputs.ksi);
  }
  if (opts.poam && wanted.has('csv')) {
    opts.onProgress?.('writing the POA&M (CSV, xlsx, OSCAL)');
    written.push(...(await writePoamFiles(opts.poam, outDir)));
  }
  if (cert) {
    const pdfFile = join(outDir, outputs.pdf);
    const { printReport } = await import('../render/pdf-report.ts');
    await printReport(
      result,
      pdfFile,
      { ...opts, packId: opts.pack.packId },
      (v) => templates.render(v),
      (pages) => buildReportView(result, context, pages),
    );
    opts.onProgress?.(`signing ${outputs.pdf}`);
    (await pdfSignature()).signPdfFile(pdfFile, cert, { reason: `Evidence pack ${opts.pack.packId}`, name: result.tool.name, location: result.organization });
    written.push(outputs.pdf);
  }
  return written;
}
