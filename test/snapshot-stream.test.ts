import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { snapshotScanner, streamConfigSnapshot, type StreamedDocument } from '../src/evidence/snapshot-stream.ts';
import { RedactedCopies } from '../src/evidence/redacted-copies.ts';
import { redactJson } from '../src/redact/detect.ts';
import { readFileSync } from 'node:fs';
import { tempDir } from './helpers.ts';

async function scanInPieces(text: string, cuts: number[], document: StreamedDocument = 'snapshot') {
  const items: unknown[] = [];
  const scanner = snapshotScanner(
    'snap.json',
    (item) => {
      items.push(item);
    },
    document,
  );
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    await scanner.feed(text.slice(at, cut));
    at = cut;
  }
  await scanner.feed(text.slice(at));
  return { ...scanner.finish(), items };
}

// Strings full of what a scanner can trip on: quotes, backslashes, brackets, commas, non-ASCII.
const tricky = fc.string({ unit: fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', 'a', ' ', '\n', 'é', '😀', '\u2028') });
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(tricky, tie('v'), { maxKeys: 4 }),
  ),
})).v;

describe('configuration snapshot streaming', () => {
  it('gives the same items and members as JSON.parse, however the text is cut (property-based)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(value, { maxLength: 6 }), tricky, fc.boolean(), fc.array(fc.nat(), { maxLength: 12 }), async (items, id, pretty, rawCuts) => {
        const doc = { fileVersion: '1.0', configSnapshotId: id, configurationItems: items, trailer: { note: id } };
        const text = pretty ? JSON.stringify(doc, null, 2) : JSON.stringify(doc);
        const got = await scanInPieces(
          text,
          rawCuts.map((c) => c % (text.length + 1)),
        );
        const expected = JSON.parse(text);
        assert.deepEqual(got.items, expected.configurationItems);
        assert.deepEqual(got.header, { fileVersion: '1.0', configSnapshotId: expected.configSnapshotId, trailer: expected.trailer });
        assert.equal(got.items.length, items.length);
        // One character at a time: every escape and every backslash run straddles a cut.
        const byChar = await scanInPieces(
          text,
          Array.from({ length: text.length }, (_, i) => i),
        );
        assert.deepEqual(byChar.items, expected.configurationItems);
      }),
      { numRuns: 300 },
    );
  });

  it('streams a saved API response page by page: a list of pages or one page, as JSON.parse reads it (property-based)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.dictionary(tricky, value, { maxKeys: 4 }), { maxLength: 5 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (pages, onePage, pretty, rawCuts) => {
          const doc = onePage ? (pages[0] ?? {}) : pages;
          const text = pretty ? JSON.stringify(doc, null, 2) : JSON.stringify(doc);
          const got = await scanInPieces(
            text,
            rawCuts.map((c) => c % (text.length + 1)),
            'pages',
          );
          assert.deepEqual(got.items, onePage ? [JSON.parse(text)] : JSON.parse(text));
          assert.equal(got.onePage, onePage);
        },
      ),
      { numRuns: 200 },
    );
    await assert.rejects(scanInPieces('[{"Results":[]},', [], 'pages'), /snap\.json: truncated JSON/);
    await assert.rejects(scanInPieces('[{"Results":[]} {"Results":[]}]', [], 'pages'), /snap\.json: malformed JSON after \[0\]/);
    await assert.rejects(scanInPieces('[{"Results":[]}, {"Results":[}]', [], 'pages'), /snap\.json: \[1\]: malformed JSON/);
    await assert.rejects(scanInPieces('"Results"', [], 'pages'), /neither a list nor an object/);
  });

  it('copies a saved API response page by page in the layout of the whole list, masked', async (t) => {
    const dir = tempDir(t);
    const copies = new RedactedCopies(dir);
    const page = (n: number) => ({ Results: [`{"resourceId":"r-${n}","tags":{"owner":"alice@example.com"}}`], QueryInfo: { SelectFields: [{ Name: 'resourceId' }] } });
    for (const [name, doc] of Object.entries({ none: [], one: [page(1)], three: [page(1), page(2), page(3)], single: page(4) })) {
      const copy = copies.pages(`${name}.json`);
      for (const p of Array.isArray(doc) ? doc : [doc]) await copy.page(p);
      await copy.end(!Array.isArray(doc));
      const written = readFileSync(join(dir, 'evidence', `${name}.json`), 'utf8');
      assert.equal(written, `${JSON.stringify(redactJson(doc), null, 2)}\n`, name);
      if (name !== 'none') assert.doesNotMatch(written, /alice@example\.com/, `${name}: masked`);
    }
  });

  it('names the broken item or the broken structure', async () => {
    const cases: [string, RegExp][] = [
      ['{"fileVersion": "1.0", "configurationItems": [{"a": 1}, {"b": tru}]}', /snap\.json: configurationItems\[1\]: malformed JSON$/],
      ['{"fileVersion": "1.0", "configurationItems": [{"a": 1} {"b": 2}]}', /snap\.json: malformed JSON after configurationItems\[0\]$/],
      ['{"fileVersion": "1.0", "configurationItems": [{"a": 1}', /snap\.json: truncated JSON: the document ends early$/],
      ['{"fileVersion": "1.0"}', /snap\.json: configurationItems: missing or not a list$/],
      ['{"fileVersion": "1.0", "configurationItems": []} {}', /snap\.json: malformed JSON: text after the end of the document$/],
      ['{fileVersion: "1.0"}', /snap\.json: malformed JSON: a member name was expected$/],
      ['', /snap\.json: empty file$/],
    ];
    for (const [text, expected] of cases) {
      await assert.rejects(scanInPieces(text, [7, 20]), (e: Error) => expected.test(e.message), text);
    }
  });

  it("reads a gzipped file of 20,000 items with the stored file's sha256 and size", async (t) => {
    const dir = tempDir(t);
    const items = Array.from({ length: 20000 }, (_, i) => ({ resourceId: `r-${i}`, tags: { Name: `a "quoted" \\ name ${i}` }, configuration: { list: [i, { x: '}]' }] } }));
    const file = join(dir, 'snap.json.gz');
    const stored = gzipSync(JSON.stringify({ fileVersion: '1.0', configurationItems: items }));
    writeFileSync(file, stored);
    let n = 0;
    const r = await streamConfigSnapshot(file, 'snap.json.gz', (item, i) => {
      assert.deepEqual(item, items[i]);
      n++;
    });
    assert.equal(n, 20000);
    assert.equal(r.items, 20000);
    assert.equal(r.bytes, stored.length);
    assert.equal(r.sha256, (await import('node:crypto')).createHash('sha256').update(stored).digest('hex'));
  });
});
