// report.pdf: the report printed by Chromium (in parts and merged when large) with its contents' page numbers.
// Loaded only when a PDF is printed (src/pack/stages.ts), with Chromium's and pdf-lib's modules.
import { rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import pLimit from 'p-limit';
import type { Result } from '../evaluate/result.ts';
import { PdfPrinter, readOutline, setPdfMetadata, type Paper, type PdfMetadata } from './pdf.ts';
import { globalOutline, mergeParts, partLayouts } from './pdf-parts.ts';
import { pagesFromOutline, splitForPrint, type ReportView } from './view-model.ts';

/** Evidence rows one Chromium print lays out; a report with more is printed in parts and merged. */
export const rowsPerPrint = 2000;

/**
 * Prints report.pdf in two passes: the first lays the report out with empty page numbers in the
 * contents; its bookmarks give each heading's page; the second prints with those numbers. A report
 * too large for one print is printed in parts (in parallel tabs) and merged the same way.
 */
export async function printReport(
  result: Result,
  pdfFile: string,
  opts: { packId: string; paper: Paper; rowsPerPrint?: number; onProgress?: (text: string) => void },
  render: (view: object) => string,
  viewFor: (pages?: ReadonlyMap<string, number>) => ReportView,
): Promise<void> {
  const title = `${result.organization}: ${result.catalog.title}`;
  const outDir = dirname(pdfFile);
  const job = { packId: opts.packId, title, paper: opts.paper };
  const meta: PdfMetadata = {
    title: `Evidence pack ${opts.packId}: ${title}`,
    subject: `Audit evidence for AWS accounts ${result.evidence.scope.accounts.join(', ')} (${result.evidence.scope.regions.join(', ')}), evidence as of ${result.evidence.collectedAt}`,
    author: result.organization,
    creator: `${result.tool.name} ${result.tool.version}`,
    created: new Date(result.generatedAt),
    keywords: ['audit evidence', ...result.frameworks.filter((f) => f.kind !== 'view').map((f) => f.label), opts.packId],
  };
  const printer = await PdfPrinter.launch();
  const scratch: string[] = [];
  const html = async (name: string, text: string) => {
    const file = join(outDir, `.print-${name}.html`);
    scratch.push(file, `${file}.pdf`);
    await writeFile(file, text);
    return file;
  };
  try {
    // A user's own report.hbs that predates printing in parts renders whole in every part: it is printed in one piece.
    const parts = splitForPrint(viewFor(), opts.rowsPerPrint ?? rowsPerPrint);
    const front = parts && render(parts[0]!);
    if (!parts || !front!.includes('class="print-stubs"')) {
      const file = await html('report', render(viewFor(new Map())));
      await printer.print(file, pdfFile, job);
      await writeFile(file, render(viewFor(pagesFromOutline(viewFor(), await readOutline(pdfFile)))));
      await printer.print(file, pdfFile, job);
      await setPdfMetadata(pdfFile, meta);
    } else {
      const files: string[] = [];
      for (const [i, p] of parts.entries()) files.push(await html(String(i).padStart(3, '0'), i === 0 ? front! : render(p)));
      const limit = pLimit(Math.max(1, Math.min(availableParallelism(), 4)));
      let printed = 0;
      await Promise.all(
        files.map((f) =>
          limit(async () => {
            await printer.print(f, `${f}.pdf`, { ...job, pageNumbers: false });
            opts.onProgress?.(`printed part ${++printed} of ${files.length}`);
          }),
        ),
      );
      // The contents' page numbers, from every part's bookmarks; only the front part is printed again.
      const layouts = await partLayouts(files.map((f) => `${f}.pdf`));
      const pages = pagesFromOutline(viewFor(), globalOutline(layouts));
      const [numbered] = splitForPrint(viewFor(pages), opts.rowsPerPrint ?? rowsPerPrint)!;
      await writeFile(files[0]!, render(numbered!));
      await printer.print(files[0]!, `${files[0]}.pdf`, { ...job, pageNumbers: false });
      opts.onProgress?.(`merging ${files.length} parts`);
      await mergeParts(
        files.map((f) => `${f}.pdf`),
        parts.map((p) => p.holds),
        layouts,
        pdfFile,
        meta,
      );
    }
  } finally {
    await printer.close();
    await Promise.all(scratch.map((f) => rm(f, { force: true })));
  }
}
