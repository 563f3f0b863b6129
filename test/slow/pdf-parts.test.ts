import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { PDFArray, PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { onlyPack, runCliInProcess, tempDir, untilExit } from '../helpers.ts';

const text = (pdf: string, page?: number) => execFileSync('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), '-layout', pdf, '-'], { encoding: 'utf8' });

describe('a report too large for one print: printed in parts and merged', () => {
  let pdf: string;
  let pages: number;

  before(async () => {
    const out = tempDir(untilExit);
    // 20 rows a print: the sample's report in a dozen parts, its long controls continued across them.
    const r = await runCliInProcess(['run', '--out', out, '--rows-per-print', '20']);
    assert.equal(r.code, 0, r.stderr);
    pdf = join(onlyPack(out), 'report.pdf');
    pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  });

  it("is a well-formed PDF carrying the pack's document information", () => {
    const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' });
    assert.equal(info.stderr, '', 'poppler reads it without a syntax error');
    assert.match(info.stdout, /Title:\s+Evidence pack pack-\S+: Example Corp \(sample estate\)/);
    assert.match(info.stdout, /Producer:\s+evidence-pack \S+ \(Chromium, pdf-lib\)/);
    assert.ok(pages > 12, `${pages} pages`);
  });

  it('numbers every page "Page x of y" across the parts', () => {
    for (const p of [1, 2, Math.floor(pages / 2), pages]) assert.match(text(pdf, p), new RegExp(`Page ${p} of ${pages}\\s*$`), `page ${p}`);
  });

  it('gives the contents the pages where each section and control starts', () => {
    const contents = text(pdf, 2);
    const entries = [...contents.matchAll(/(WSAS-\d\d) .*?(\d+)\s*$/gm)].map((m) => [m[1]!, Number(m[2])] as const);
    assert.equal(entries.length, 18, contents);
    for (const [id, page] of entries) {
      const first = text(pdf, page)
        .split('\n')
        .find((l) => l.includes(id) && !l.includes('continued'));
      assert.ok(first, `${id} starts on page ${page}`);
    }
  });

  it('points every link of the merged document at the page of its target', async () => {
    const doc = await PDFDocument.load(readFileSync(pdf), { updateMetadata: false });
    const pageOf = new Map(doc.getPages().map((p, i) => [p.ref.toString(), i + 1]));
    const dests = doc.catalog.lookup(PDFName.of('Dests'), PDFDict);
    const target = (name: string) =>
      pageOf.get(
        doc.context
          .lookup(dests.get(PDFName.of(name)), PDFArray)
          .get(0)
          .toString(),
      );
    const contents = text(pdf, 2);
    for (const id of ['WSAS-03', 'WSAS-11', 'WSAS-14']) {
      assert.equal(target(`control-${id}`), Number(new RegExp(`${id} .*?(\\d+)\\s*$`, 'm').exec(contents)![1]), id);
    }
    assert.equal(target('method'), Number(/Method and chain of custody\s+(\d+)/.exec(contents)![1]));
    const linked = new Set<string>();
    for (const page of doc.getPages()) {
      for (const a of page.node.Annots()?.asArray() ?? []) {
        const dest = doc.context.lookup(a, PDFDict).get(PDFName.of('Dest'));
        if (dest instanceof PDFName) linked.add(dest.decodeText());
      }
    }
    assert.ok(linked.size >= 26, `links to every section and control (${linked.size})`);
    for (const name of linked) assert.ok(target(name), `link target ${name} resolves`);
  });

  it('says where a control continues, has one bookmark per heading, and keeps the signature valid', async () => {
    assert.match(text(pdf), /WSAS-03 TLS 1\.2 or later for all communication with AWS resources\s+Fail\s*\n\s*\(continued: evidence items \d+ to \d+ of \d+\)/);
    const doc = await PDFDocument.load(readFileSync(pdf), { updateMetadata: false });
    assert.ok(doc.catalog.lookup(PDFName.of('Outlines'), PDFDict).get(PDFName.of('Count')), 'an outline');
    assert.match(execFileSync('pdfsig', [pdf], { encoding: 'utf8' }), /Signature Validation: Signature is Valid\./);
  });
});
