import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFile, writeFile } from 'node:fs/promises';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, type PDFObject } from 'pdf-lib';
import puppeteer, { type Browser, type Page, type PDFOptions } from 'puppeteer-core';
import { ExitCode, UserError } from '../core/errors.ts';
import { findChromium } from './chromium.ts';
import { onInterrupt } from '../core/interrupt.ts';
import { removeStaleTemporaries } from '../core/atomic-dir.ts';
import { baseSeconds, DeadlinePassed, printDeadlineSeconds, printTimeoutEnv, withDeadline } from './print-deadline.ts';

/** Puppeteer's own ceiling on one DevTools call; each start and print has a shorter deadline of ours (print-deadline.ts). */
const protocolCeilingMs = 24 * 60 * 60 * 1000;

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

/** The running header (title, pack id) and footer (pack id, page numbers) of every page. */
const marginStyle = 'font-family: DejaVu Sans, sans-serif; font-size: 7.5pt; color: #5b6570; width: 100%; padding: 0 14mm; display: flex; justify-content: space-between;';

/** Kills a Chromium launched detached (it leads its own process group) with its renderers and helpers. */
function killGroup(group: number | undefined): void {
  if (!group) return;
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Processes this one started detached (each leads its own group): a Chromium whose pid puppeteer has not yet handed over. */
function detachedChildren(): number[] {
  const pids: number[] = [];
  try {
    for (const p of readdirSync('/proc')) {
      if (!/^\d+$/.test(p)) continue;
      try {
        const [ppid, pgrp] = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ').slice(1, 3).map(Number);
        if (ppid === process.pid && pgrp === Number(p)) pids.push(Number(p));
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return pids;
}

/** Processes whose command line names this folder (Linux /proc; elsewhere none are found). */
function processesUsing(profile: string): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  return pids
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`--user-data-dir=${profile}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Removes a profile folder; Chromium's killed helpers may still be writing to it for a few milliseconds. */
function removeProfile(profile: string): void {
  rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 25 });
}

const firstLine = (e: unknown) => ((e as Error).message ?? String(e)).split('\n')[0];

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface PdfMetadata {
  title: string;
  subject: string;
  author: string;
  creator: string;
  created: Date;
  keywords: string[];
}

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

export interface OutlineEntry {
  title: string;
  page: number;
}

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
  private constructor(
    private readonly browser: Browser,
    private readonly forget: () => void,
  ) {}

  /**
   * Starts Chromium in its own process group with a profile folder of ours (evidence-pack-chromium-<pid>-* in the
   * system's temporary directory). A signal kills the group and removes the folder (src/core/interrupt.ts); the
   * DevTools pipe makes Chromium quit by itself when this process is killed outright, and the next launch
   * removes the folders such a process left.
   */
  static async launch(): Promise<PdfPrinter> {
    const executablePath = findChromium();
    await removeStaleTemporaries(tmpdir(), /^evidence-pack-chromium-(\d+)-/);
    const profile = mkdtempSync(join(tmpdir(), `evidence-pack-chromium-${process.pid}-`));
    // Chromium's own temporary folders (org.chromium.Chromium.*) go inside the profile, so a kill leaves none
    // behind, unless that would make its socket's path too long for a Unix socket (108 bytes).
    const ownTemporaries = `${profile}/org.chromium.Chromium.XXXXXX/SingletonSocket`.length < 104 ? { TMPDIR: profile } : {};
    let group: number | undefined;
    // A signal (or a launch past its deadline) before puppeteer names the process: it is found by its profile folder
    // or as the group this process started.
    const stop = () => {
      for (const pid of group ? [group] : new Set([...processesUsing(profile), ...detachedChildren()])) killGroup(pid);
      removeProfile(profile);
    };
    const forget = onInterrupt(stop);
    const seconds = baseSeconds();
    try {
      // A large estate's report takes Chromium minutes to lay out: each print has a deadline scaled by its size (print()).
      const browser = await withDeadline(
        seconds,
        puppeteer.launch({
          executablePath,
          headless: true,
          args: chromiumArgs,
          protocolTimeout: protocolCeilingMs,
          userDataDir: profile,
          pipe: true,
          env: { ...process.env, ...ownTemporaries },
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
        }),
        stop,
      );
      group = browser.process()?.pid;
      return new PdfPrinter(browser, () => {
        killGroup(group);
        forget();
        removeProfile(profile);
      });
    } catch (e) {
      if (e instanceof DeadlinePassed) stop();
      forget();
      removeProfile(profile);
      if (e instanceof DeadlinePassed)
        throw new UserError(
          `Chromium (${executablePath}) did not answer within ${e.seconds} s of starting; Chromium was stopped; check it runs (${executablePath} --headless --version), or --no-pdf skips the PDF`,
          ExitCode.environment,
        );
      throw new UserError(`Chromium (${executablePath}) did not start: ${firstLine(e)}; check it runs (${executablePath} --headless --version), or --no-pdf skips the PDF`, ExitCode.environment);
    }
  }

  /**
   * Prints a local HTML file with JavaScript disabled and every request but the file itself blocked
   * (data: URIs excepted), so nothing in the report can reach the network or the disk.
   */
  async print(htmlFile: string, pdfFile: string, opts: { packId: string; title: string; paper: Paper; pageNumbers?: boolean }): Promise<void> {
    const bytes = statSync(htmlFile).size;
    const seconds = printDeadlineSeconds(bytes);
    try {
      // Past the deadline Chromium is killed with its process tree and profile; the other parts' prints then fail too.
      await withDeadline(seconds, this.printOnce(htmlFile, pdfFile, opts, seconds * 1000), () => this.forget());
    } catch (e) {
      if (e instanceof DeadlinePassed)
        throw new UserError(
          `Chromium did not answer within ${seconds} s while printing ${htmlFile} (${(bytes / 1024 / 1024).toFixed(1)} MB of HTML); Chromium was stopped; ${printTimeoutEnv} sets the limit, or --no-pdf skips the PDF`,
          ExitCode.environment,
        );
      // The disk's errors and ours keep their meaning; the rest is Chromium failing (crashed, closed, timed out).
      if (e instanceof UserError || /^E[A-Z]+$/.test(String((e as NodeJS.ErrnoException).code))) throw e;
      throw new UserError(`Chromium failed while printing ${htmlFile}: ${firstLine(e)}; --no-pdf skips the PDF (report.html and evidence.csv hold the whole report)`, ExitCode.environment);
    }
  }

  private async printOnce(htmlFile: string, pdfFile: string, opts: { packId: string; title: string; paper: Paper; pageNumbers?: boolean }, timeoutMs: number): Promise<void> {
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
      await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
      await this.printPage(page, htmlFile, {
        timeout: timeoutMs,
        path: pdfFile,
        format: opts.paper,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: `<div style="${marginStyle}"><span>${escapeHtml(opts.title)}</span><span>${escapeHtml(opts.packId)}</span></div>`,
        // A part of a larger report leaves the numbers to the merge (mergeParts), which knows the whole.
        footerTemplate: `<div style="${marginStyle}"><span>${escapeHtml(opts.packId)}</span>${opts.pageNumbers === false ? '' : '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span>'}</div>`,
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
      throw new UserError(
        `Chromium could not print ${htmlFile} (${mb} MB of HTML): ${(e as Error).message.split('\n')[0]}; --no-pdf skips the PDF (report.html and evidence.csv hold the whole report)`,
        ExitCode.environment,
      );
    }
  }

  /** Closes Chromium; one that crashed or does not answer within 5 s is killed. Never throws. */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.browser.close(),
        new Promise((resolve) => {
          timer = setTimeout(resolve, 5000);
        }),
      ]);
    } catch {
      // a browser that crashed cannot be closed: it is killed below
    } finally {
      clearTimeout(timer);
      this.forget();
    }
  }
}
