// A report too large for one Chromium print is printed in parts and merged here: pages copied in
// order, each part's named destinations (the targets of the contents' and cross-reference links)
// re-pointed at the merged pages, one outline for the whole document, and "Page x of y" stamped on
// every page (Chromium numbers each part on its own). The merged document is written a part at a time,
// never held whole: a million-item estate's report has over 16,000 pages.
import { readFile } from 'node:fs/promises';
import { PDFArray, PDFDict, PDFDocument, PDFHeader, PDFHexString, PDFName, PDFNull, PDFNumber, PDFRef, StandardFonts, rgb, type PDFObject, type PDFPage } from 'pdf-lib';
import { BufferedFileWriter } from '../core/buffered-writer.ts';
import { applyPdfMetadata, outlineOf, type OutlineEntry, type PdfMetadata } from './pdf.ts';

/** Where Chromium's footer puts its text on the page (14 mm from the right edge, in the 18 mm bottom margin). */
const footer = { right: 39.68, baseline: 16.2, size: 7.5, colour: rgb(0x5b / 255, 0x65 / 255, 0x70 / 255) };

export interface PartLayout {
  pages: number;
  outline: OutlineEntry[];
}

/** Page count and bookmarks (pages within the part) of each printed part, read one part at a time. */
export async function partLayouts(files: string[]): Promise<PartLayout[]> {
  const layouts: PartLayout[] = [];
  for (const f of files) {
    const doc = await PDFDocument.load(await readFile(f), { updateMetadata: false });
    layouts.push({ pages: doc.getPageCount(), outline: outlineOf(doc) });
  }
  return layouts;
}

/** The bookmarks of the whole document: each part's, moved by the pages before it. */
export function globalOutline(layouts: PartLayout[]): OutlineEntry[] {
  const out: OutlineEntry[] = [];
  let offset = 0;
  for (const l of layouts) {
    for (const e of l.outline) out.push({ title: e.title, page: e.page + offset });
    offset += l.pages;
  }
  return out;
}

/** Writes a PDF an indirect object at a time, keeping only where each starts (for the cross-reference table). */
class PdfObjectWriter {
  private readonly out: BufferedFileWriter;
  private readonly offsets: number[] = [];

  constructor(file: string) {
    this.out = new BufferedFileWriter(file, { hashed: false });
    const header = PDFHeader.forVersion(1, 7);
    const bytes = new Uint8Array(header.sizeInBytes());
    header.copyBytesInto(bytes, 0);
    this.out.writeBytes(bytes);
    this.out.write('\n\n');
  }

  get largestObjectNumber(): number {
    return this.offsets.length - 1;
  }

  write(ref: PDFRef, object: PDFObject): void {
    this.offsets[ref.objectNumber] = this.out.position;
    this.out.write(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    const bytes = new Uint8Array(object.sizeInBytes());
    object.copyBytesInto(bytes, 0);
    this.out.writeBytes(bytes);
    this.out.write('\nendobj\n\n');
  }

  /** A classic cross-reference table (the PDF signature step appends to it) and the trailer. */
  close(root: PDFRef, info: PDFRef): void {
    // A number allocated but never written (none is expected) is a null object: the table stays dense.
    for (let n = 1; n < this.offsets.length; n++) if (this.offsets[n] === undefined) this.write(PDFRef.of(n), PDFNull);
    const xref = this.out.position;
    this.out.write(`xref\n0 ${this.offsets.length}\n0000000000 65535 f \n`);
    for (let n = 1; n < this.offsets.length; n++) this.out.write(`${String(this.offsets[n]).padStart(10, '0')} 00000 n \n`);
    this.out.write(`trailer\n<<\n/Size ${this.offsets.length}\n/Root ${root}\n/Info ${info}\n>>\n\nstartxref\n${xref}\n%%EOF`);
    this.out.close();
  }
}

/**
 * files[i] holds the link targets holds[i] (a target found in another part, a stub, is pointed at its holder);
 * layouts[i] is how many pages part i had when the contents were numbered (the front part is printed again after).
 */
export async function mergeParts(files: string[], holds: string[][], layouts: PartLayout[], outFile: string, meta: PdfMetadata): Promise<void> {
  // The document's own objects (catalog, page tree, outline, information) are made here; the parts' are numbered after them.
  const doc = await PDFDocument.create({ updateMetadata: false });
  const pageTree = doc.catalog.get(PDFName.of('Pages')) as PDFRef;
  const writer = new PdfObjectWriter(outFile);
  let nextNumber = doc.context.largestObjectNumber + 1;
  const pages: { ref: PDFRef; height: number }[] = [];
  const dests = new Map<string, PDFObject[]>();
  const outline: OutlineEntry[] = [];
  let total = 0;
  for (const [index, file] of files.entries()) {
    const part = await PDFDocument.load(await readFile(file), { updateMetadata: false });
    if (index === 0) total = part.getPageCount() + layouts.slice(1).reduce((n, l) => n + l.pages, 0);
    else if (part.getPageCount() !== layouts[index]!.pages) throw new Error(`${file}: ${part.getPageCount()} pages, not the ${layouts[index]!.pages} laid out`);
    const chunk = await PDFDocument.create({ updateMetadata: false });
    if (chunk.context.largestObjectNumber >= nextNumber) throw new Error('PDF merge: object numbers overlap');
    chunk.context.largestObjectNumber = nextNumber - 1;
    const before = pages.length;
    const copied = await chunk.copyPages(part, part.getPageIndices());
    await stampPageNumbers(chunk, copied, before, total);
    await chunk.flush();
    for (const p of copied) {
      p.node.set(PDFName.of('Parent'), pageTree);
      pages.push({ ref: p.ref, height: p.getHeight() });
    }
    const pageOf = new Map(part.getPages().map((p, i) => [p.ref.toString(), copied[i]!.ref]));
    const held = new Set(holds[index]);
    for (const [name, value] of part.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict)?.entries() ?? []) {
      const dest = part.context.lookupMaybe(value, PDFArray);
      const target = dest && pageOf.get(dest.get(0).toString());
      if (!dest || !target || !held.has(name.decodeText())) continue;
      dests.set(name.decodeText(), [
        target,
        ...dest
          .asArray()
          .slice(1)
          .map((v) => (v instanceof PDFNumber || v instanceof PDFName ? v : PDFNull)),
      ]);
    }
    for (const e of outlineOf(part)) outline.push({ title: e.title, page: e.page + before });
    for (const [ref, object] of chunk.context.enumerateIndirectObjects()) if (ref.objectNumber >= nextNumber) writer.write(ref, object);
    nextNumber = chunk.context.largestObjectNumber + 1;
  }
  doc.context.largestObjectNumber = nextNumber - 1;
  const tree = doc.context.lookup(pageTree, PDFDict);
  tree.set(PDFName.of('Kids'), doc.context.obj(pages.map((p) => p.ref)));
  tree.set(PDFName.of('Count'), PDFNumber.of(pages.length));
  const destsDict = doc.context.obj({});
  for (const [name, dest] of dests) destsDict.set(PDFName.of(name), doc.context.obj(dest));
  doc.catalog.set(PDFName.of('Dests'), doc.context.register(destsDict));
  setOutline(doc, outline, pages);
  applyPdfMetadata(doc, meta);
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) writer.write(ref, object);
  writer.close(doc.context.trailerInfo.Root as PDFRef, doc.context.trailerInfo.Info as PDFRef);
}

/** A flat outline (bookmarks) pointing at the top of each entry's page. */
function setOutline(doc: PDFDocument, entries: OutlineEntry[], pages: { ref: PDFRef; height: number }[]): void {
  if (entries.length === 0) return;
  const root = doc.context.nextRef();
  const refs = entries.map(() => doc.context.nextRef());
  entries.forEach((e, i) => {
    const page = pages[Math.min(e.page, pages.length) - 1]!;
    const item = doc.context.obj({
      Title: PDFHexString.fromText(e.title),
      Parent: root,
      Dest: [page.ref, PDFName.of('XYZ'), null, page.height, null],
    });
    if (i > 0) item.set(PDFName.of('Prev'), refs[i - 1]!);
    if (i < refs.length - 1) item.set(PDFName.of('Next'), refs[i + 1]!);
    doc.context.assign(refs[i]!, item);
  });
  doc.context.assign(root, doc.context.obj({ Type: 'Outlines', First: refs[0]!, Last: refs.at(-1)!, Count: refs.length }));
  doc.catalog.set(PDFName.of('Outlines'), root);
}

/** "Page x of y" where Chromium's own footer would put it; `before`: pages of the parts before this one. */
async function stampPageNumbers(doc: PDFDocument, pages: PDFPage[], before: number, total: number): Promise<void> {
  const font = await doc.embedFont(StandardFonts.Helvetica);
  pages.forEach((page, i) => {
    const text = `Page ${before + i + 1} of ${total}`;
    page.drawText(text, { x: page.getWidth() - footer.right - font.widthOfTextAtSize(text, footer.size), y: footer.baseline, size: footer.size, font, color: footer.colour });
  });
}
