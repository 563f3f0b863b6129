// A report too large for one Chromium print is printed in parts and merged here: pages copied in
// order, each part's named destinations (the targets of the contents' and cross-reference links)
// re-pointed at the merged pages, one outline for the whole document, and "Page x of y" stamped on
// every page (Chromium numbers each part on its own).
import { readFile, writeFile } from 'node:fs/promises';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, StandardFonts, rgb, type PDFPage } from 'pdf-lib';
import { outlineOf, type OutlineEntry } from './pdf.ts';

/** Where Chromium's footer puts its text on the page (14 mm from the right edge, in the 18 mm bottom margin). */
const footer = { right: 39.68, baseline: 16.2, size: 7.5, colour: rgb(0x5b / 255, 0x65 / 255, 0x70 / 255) };

export interface PartLayout { pages: number; outline: OutlineEntry[] }

/** Page count and bookmarks (pages within the part) of each printed part. */
export async function partLayouts(files: string[]): Promise<PartLayout[]> {
  return Promise.all(files.map(async (f) => {
    const doc = await PDFDocument.load(await readFile(f), { updateMetadata: false });
    return { pages: doc.getPageCount(), outline: outlineOf(doc) };
  }));
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

/** files[i] holds the link targets holds[i]; a target found in another part (a stub) is pointed at its holder. */
export async function mergeParts(files: string[], holds: string[][], outFile: string): Promise<void> {
  const outline: OutlineEntry[] = [];
  const merged = await PDFDocument.create({ updateMetadata: false });
  const dests = merged.context.obj({});
  for (const [index, file] of files.entries()) {
    const part = await PDFDocument.load(await readFile(file), { updateMetadata: false });
    const held = new Set(holds[index]);
    const before = merged.getPageCount();
    const copied = await merged.copyPages(part, part.getPageIndices());
    copied.forEach((p) => merged.addPage(p));
    const pageOf = new Map(part.getPages().map((p, i) => [p.ref.toString(), copied[i]!.ref]));
    const partDests = part.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
    for (const [name, value] of partDests?.entries() ?? []) {
      const dest = part.context.lookupMaybe(value, PDFArray);
      const target = dest && pageOf.get(dest.get(0).toString());
      if (!dest || !target || !held.has(name.decodeText())) continue;
      const rest = dest.asArray().slice(1).map((v) => (v instanceof PDFNumber || v instanceof PDFName ? v : merged.context.obj(null)));
      dests.set(name, merged.context.obj([target, ...rest]));
    }
    for (const e of outlineOf(part)) outline.push({ title: e.title, page: e.page + before });
  }
  merged.catalog.set(PDFName.of('Dests'), merged.context.register(dests));
  setOutline(merged, outline);
  await stampPageNumbers(merged);
  await writeFile(outFile, await merged.save({ useObjectStreams: false }));
}

/** A flat outline (bookmarks) pointing at the top of each entry's page. */
function setOutline(doc: PDFDocument, entries: OutlineEntry[]): void {
  if (entries.length === 0) return;
  const pages = doc.getPages();
  const root = doc.context.nextRef();
  const refs = entries.map(() => doc.context.nextRef());
  entries.forEach((e, i) => {
    const page: PDFPage = pages[Math.min(e.page, pages.length) - 1]!;
    const item = doc.context.obj({
      Title: PDFHexString.fromText(e.title),
      Parent: root,
      Dest: [page.ref, PDFName.of('XYZ'), null, page.getHeight(), null],
    });
    if (i > 0) item.set(PDFName.of('Prev'), refs[i - 1]!);
    if (i < refs.length - 1) item.set(PDFName.of('Next'), refs[i + 1]!);
    doc.context.assign(refs[i]!, item);
  });
  doc.context.assign(root, doc.context.obj({ Type: 'Outlines', First: refs[0]!, Last: refs.at(-1)!, Count: refs.length }));
  doc.catalog.set(PDFName.of('Outlines'), root as PDFRef);
}

async function stampPageNumbers(doc: PDFDocument): Promise<void> {
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const pages = doc.getPages();
  pages.forEach((page, i) => {
    const text = `Page ${i + 1} of ${pages.length}`;
    page.drawText(text, { x: page.getWidth() - footer.right - font.widthOfTextAtSize(text, footer.size), y: footer.baseline, size: footer.size, font, color: footer.colour });
  });
}
