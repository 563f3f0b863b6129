// A workbook written a row at a time (exceljs' streaming writer: a large estate's rows are never all in
// memory), then re-zipped with a fixed time on every entry: the library stamps entries with the clock, and
// the same pack must give the same bytes.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type ExcelJS from 'exceljs';
import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer.js';
import yauzl from 'yauzl';
import yazl from 'yazl';

/** Rows of data a sheet holds besides its header (Excel's limit is 1,048,576 rows). */
export const maxSheetRows = 1_048_575;

export interface SheetSpec {
  name: string;
  header: string[];
  widths: number[];
}

/** Data rows spread over as many sheets as they need (name, name (2), …), each with the header row first. */
export class StreamedWorkbook {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private sheet?: ExcelJS.Worksheet;
  private rowsInSheet = 0;
  private sheets = 0;

  constructor(
    private readonly file: string,
    private readonly spec: SheetSpec,
    meta: { creator: string; title: string; time: Date },
    private readonly rowsPerSheet = maxSheetRows,
  ) {
    // No styles and no shared strings: each costs the streaming writer more than the rest of a row (measured: a
    // styled workbook took 3× as long), and a million rows' strings would sit in memory until the end.
    this.workbook = new WorkbookWriter({ filename: `${file}.part`, useStyles: false, useSharedStrings: false });
    Object.assign(this.workbook, { creator: meta.creator, lastModifiedBy: meta.creator, title: meta.title, created: meta.time, modified: meta.time });
  }

  private nextSheet(): ExcelJS.Worksheet {
    this.sheet?.commit();
    this.sheets++;
    const name = this.sheets === 1 ? this.spec.name : `${this.spec.name} (${this.sheets})`;
    const sheet = this.workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = this.spec.header.map((h, i) => ({ header: h, width: this.spec.widths[i] ?? 20 }));
    sheet.getRow(1).commit();
    this.rowsInSheet = 0;
    return (this.sheet = sheet);
  }

  addRow(values: string[]): void {
    const sheet = !this.sheet || this.rowsInSheet >= this.rowsPerSheet ? this.nextSheet() : this.sheet;
    // A blank is no cell at all, not an empty string's: most of an AWS resource's row is blank.
    sheet.addRow(values.map((v) => (v === '' ? null : v))).commit();
    this.rowsInSheet++;
  }

  /** A sheet of its own after the data (a legend): rows as given. */
  private addTable(name: string, rows: string[][], widths: number[]): void {
    const sheet = this.workbook.addWorksheet(name);
    sheet.columns = widths.map((width) => ({ width }));
    for (const r of rows) sheet.addRow(r).commit();
    sheet.commit();
  }

  async finish(extra: { name: string; rows: string[][]; widths: number[] }[], mtime: Date): Promise<void> {
    if (!this.sheet) this.nextSheet();
    this.sheet!.commit();
    for (const t of extra) this.addTable(t.name, t.rows, t.widths);
    await this.workbook.commit();
    try {
      await rezipWithTime(`${this.file}.part`, this.file, mtime);
    } finally {
      await rm(`${this.file}.part`, { force: true });
    }
  }
}

/** The entries of a zip, in order, streamed into a new zip with `mtime` on each. */
async function rezipWithTime(from: string, to: string, mtime: Date): Promise<void> {
  const source = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(from, { lazyEntries: true, autoClose: false }, (e, z) => (e ? reject(e) : resolve(z!))));
  try {
    const entries = await new Promise<yauzl.Entry[]>((resolve, reject) => {
      const all: yauzl.Entry[] = [];
      source.on('error', reject);
      source.on('end', () => resolve(all));
      source.on('entry', (entry: yauzl.Entry) => {
        all.push(entry);
        source.readEntry();
      });
      source.readEntry();
    });
    const out = new yazl.ZipFile();
    const failed = new Promise<never>((_, reject) => out.on('error', reject));
    for (const entry of entries) {
      const stream = await new Promise<Readable>((resolve, reject) => source.openReadStream(entry, (e, s) => (e ? reject(e) : resolve(s!))));
      out.addReadStream(stream, entry.fileName.replace(/^\/+/, ''), { mtime, mode: 0o100644 });
    }
    out.end();
    await Promise.race([pipeline(out.outputStream, createWriteStream(to)), failed]);
  } finally {
    source.close();
  }
}
