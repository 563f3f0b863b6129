import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { readFile, writeFile } from 'node:fs/promises';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, type PDFObject } from 'pdf-lib';
import puppeteer, { type Browser, type Page, type PDFOptions } from 'puppeteer-core';
import { ExitCode, UserError } from '../errors.ts';
import { findChromium } from './chromium.ts';

/** Longest a single load or print may take. */
const printTimeoutMs = 60 * 60 * 1000;

export type Paper = 'A4' | 'Letter';

// No network, no background services, no GPU: the browser only lays out one local file.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--metrics-recording-only',
  '--disable-domain-reliability',
];

const footerStyle = 'font-family: DejaVu Sans, sans-serif; font-size: 7.5pt; color: #5b6570; width: 100%; padding: 0 14mm; display: flex; justify-content: space-between;';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Prints a local HTML file to PDF with JavaScript disabled and every request but the file itself
 * blocked (data: URIs excepted), so nothing in the report can reach the network or the disk.
 */
export interface PdfMetadata { title: string; subject: string; author: string; creator: string; created: Date; keywords: string[] }

/** Sets the document information to the run's values (Chromium writes the clock's time and its own name). */
export async function setPdfMetadata(pdfFile: string, meta: PdfMetadata): Promise<void> {
  const doc = await PDFDocument.load(await readFile(pdfFile), { updateMetadata: false });
  applyPdfMetadata(doc, meta);
  // Classic cross-reference table: the PDF signature step appends to it.
  await writeFile(pdfFile, await doc.save({ useObjectStreams: false }));
}

export function applyPdfMetadata(doc: PDFDocument, meta: PdfMetadata): void {
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setSubject(meta.subject);
  doc.setAuthor(meta.author);
  doc.setCreator(meta.creator);
  doc.setProducer(`${meta.creator} (Chromium, pdf-lib)`);
  doc.setKeywords(meta.keywords);
  doc.setCreationDate(meta.created);
  doc.setModificationDate(meta.created);
}

export interface OutlineEntry { title: string; page: number }

/** The PDF's bookmarks (Chromium makes them from the headings) with the page each points to. */
export async function readOutline(pdfFile: string): Promise<OutlineEntry[]> {
  return outlineOf(await PDFDocument.load(await readFile(pdfFile), { updateMetadata: false }));
}

export function outlineOf(doc: PDFDocument): OutlineEntry[] {
  const pageOf = new Map(doc.getPages().map((p, i) => [p.ref.toString(), i + 1]));
  const out: OutlineEntry[] = [];
  const visit = (first: PDFObject | undefined) => {
    let item = first ? doc.context.lookupMaybe(first, PDFDict) : undefined;
    for (let guard = 0; item && guard < 100_000; guard++) {
      const title = item.lookup(PDFName.of('Title'));
      const dest = item.lookup(PDFName.of('Dest'));
      const page = dest instanceof PDFArray ? pageOf.get(dest.get(0).toString()) : undefined;
      if ((title instanceof PDFString || title instanceof PDFHexString) && page) out.push({ title: title.decodeText(), page });
      visit(item.get(PDFName.of('First')));
      const next = item.get(PDFName.of('Next'));
      item = next ? doc.context.lookupMaybe(next, PDFDict) : undefined;
    }
  };
  visit(doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)?.get(PDFName.of('First')));
  return out;
}

/** One Chromium for the prints of one report (the contents need two: layout, then page numbers). */
export class PdfPrinter {
  readonly blockedRequests: string[] = [];
  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<PdfPrinter> {
    // A large estate's report takes Chromium minutes to lay out: no 30 s or 3 min cut-off, but not forever either.
    return new PdfPrinter(await puppeteer.launch({ executablePath: findChromium(), headless: true, args: chromiumArgs, protocolTimeout: printTimeoutMs }));
  }

  /**
   * Prints a local HTML file with JavaScript disabled and every request but the file itself blocked
   * (data: URIs excepted), so nothing in the report can reach the network or the disk.
   */
  async print(htmlFile: string, pdfFile: string, opts: { packId: string; title: string; paper: Paper; pageNumbers?: boolean }): Promise<void> {
    const page = await this.browser.newPage();
    try {
      await page.setJavaScriptEnabled(false);
      const url = pathToFileURL(htmlFile).href;
      await page.setRequestInterception(true);
      page.on('request', (req) => {
        if (req.url() === url || req.url().startsWith('data:')) void req.continue();
        else {
          this.blockedRequests.push(req.url());
          void req.abort('blockedbyclient');
        }
      });
      await page.goto(url, { waitUntil: 'load', timeout: printTimeoutMs });
      await this.printPage(page, htmlFile, {
        timeout: printTimeoutMs,
        path: pdfFile,
        format: opts.paper,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: `<div style="${footerStyle}"><span>${escapeHtml(opts.title)}</span><span>${escapeHtml(opts.packId)}</span></div>`,
        // A part of a larger report leaves the numbers to the merge (mergeParts), which knows the whole.
        footerTemplate: `<div style="${footerStyle}"><span>${escapeHtml(opts.packId)}</span>${opts.pageNumbers === false ? '' : '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span>'}</div>`,
        margin: { top: '18mm', bottom: '18mm', left: '14mm', right: '14mm' },
        preferCSSPageSize: false,
        tagged: true,
        outline: true,
      });
    } finally {
      await page.close();
    }
  }

  /** page.pdf, with Chromium's own failures (e.g. a report too large to lay out) as one line that says what to do. */
  private async printPage(page: Page, htmlFile: string, options: PDFOptions): Promise<void> {
    try {
      await page.pdf(options);
    } catch (e) {
      const mb = (statSync(htmlFile).size / 1024 / 1024).toFixed(1);
      throw new UserError(`Chromium could not print ${htmlFile} (${mb} MB of HTML): ${(e as Error).message.split('\n')[0]}; --no-pdf skips the PDF (report.html and evidence.csv hold the whole report)`, ExitCode.environment);
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
