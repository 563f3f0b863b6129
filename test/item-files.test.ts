import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { FileLinesStore, readLineBatches } from '../src/evaluate/item-files.ts';
import type { JsonLinesFile } from '../src/evaluate/result.ts';
import { tempDir } from './helpers.ts';

type Line = { n: string };

/** The text of a lines file: result@5 packs gzip them, older ones do not. */
const textOf = (file: string) => (file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file)).toString('utf8');

function asPinned(dir: string, f: JsonLinesFile) {
  const bytes = readFileSync(join(dir, f.file));
  return { file: f.file, count: textOf(join(dir, f.file)).split('\n').length - 1, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

for (const ext of ['.jsonl.gz', '.jsonl']) {
  const name = (base: string) => `items/${base}${ext}`;
  /** A unit's lines file written apart, as a worker thread writes one. */
  const unitPart = (dir: string, values: string[]): JsonLinesFile => {
    const writer = new FileLinesStore(dir).open<Line>(name('X-01'));
    for (const n of values) writer.write({ n });
    return writer.close()[0]!;
  };

  describe(`a JSON-lines file of the pack (${ext})`, () => {
    it("takes in a unit's files as parts of their own, in order, and drops lines in every part", async (t) => {
      const pack = tempDir(t);
      const unit = join(tempDir(t), 'unit');
      mkdirSync(unit);
      const writer = new FileLinesStore(pack, { ownPartFrom: 0 }).open<Line>(name('X-01'));
      writer.write({ n: 'a' });
      writer.write({ n: 'b' });
      writer.adopt(unit, [unitPart(unit, ['c', 'd'])]);
      writer.adopt(unit, [unitPart(join(unit, 'empty'), [])]);
      writer.write({ n: 'e' });
      const dropped = writer.dropWhere((v) => ['b', 'c', 'e'].includes(v.n));
      writer.write({ n: 'f' });
      const parts = writer.close();

      assert.deepEqual(
        dropped.map((v) => v.n),
        ['b', 'c', 'e'],
      );
      assert.deepEqual(
        parts.map((p) => p.file),
        [name('X-01'), name('X-01.2'), name('X-01.3')],
        'an empty file is no part',
      );
      for (const p of parts) assert.deepEqual(p, asPinned(pack, p), `${p.file} pinned as written`);
      const lines: string[] = [];
      for await (const batch of readLineBatches<Line>(pack, parts)) lines.push(...batch.map((v) => v.n));
      assert.deepEqual(lines, ['a', 'd', 'f']);
      assert.ok(!existsSync(join(unit, name('X-01'))), 'moved, not copied');
    });

    it('reads back lines whose characters straddle the megabyte reads, and lines past them, as written', async (t) => {
      const pack = tempDir(t);
      const writer = new FileLinesStore(pack).open<Line>(name('X-01'));
      // Lines of 4-byte and 2-byte characters over 3 MiB: a read of 1 MiB ends inside a character, or a line, many times.
      const values = Array.from({ length: 3000 }, (_, i) => `${i} ${'😀é'.repeat(170 + (i % 7))}`);
      for (const n of values) writer.write({ n });
      const parts = writer.close();
      const lines: string[] = [];
      for await (const batch of readLineBatches<Line>(pack, parts)) lines.push(...batch.map((v) => v.n));
      assert.deepEqual(lines, values);
    });

    it('copies a small unit file into the current part, and is one empty file when nothing is written', (t) => {
      const pack = tempDir(t);
      const unit = join(tempDir(t), 'unit');
      mkdirSync(unit);
      const store = new FileLinesStore(pack);
      const writer = store.open<Line>(name('X-01'));
      writer.write({ n: 'a' });
      writer.adopt(unit, [unitPart(unit, ['b'])]);
      writer.write({ n: 'c' });
      const [only, ...more] = writer.close();
      assert.equal(more.length, 0);
      assert.deepEqual(only, asPinned(pack, only!));
      assert.equal(textOf(join(pack, only!.file)), '{"n":"a"}\n{"n":"b"}\n{"n":"c"}\n');
      const empty = store.open<Line>(name('X-02')).close();
      assert.deepEqual(empty, [asPinned(pack, { file: name('X-02'), count: 0, bytes: 0, sha256: '' })]);
      assert.equal(empty[0]!.count, 0);
    });
  });
}

describe('a gzip lines file', () => {
  it("takes in a unit's file by its members, not compressed again; written twice, the same bytes; stock gzip reads it whole", (t) => {
    const values = Array.from({ length: 100000 }, (_, i) => `${i}`.repeat(1 + (i % 13)));
    const text = values.map((n) => `${JSON.stringify({ n })}\n`).join('');
    assert.ok(Buffer.byteLength(text) > 2 << 20, 'more than one gzip member');
    const write = () => {
      const pack = tempDir(t);
      const unit = join(tempDir(t), 'unit');
      mkdirSync(unit);
      const writer = new FileLinesStore(pack).open<Line>('items/X-01.jsonl.gz');
      for (const n of values.slice(0, 1000)) writer.write({ n });
      const part = new FileLinesStore(unit).open<Line>('items/X-01.jsonl.gz');
      for (const n of values.slice(1000)) part.write({ n });
      const [unitFile] = part.close();
      const unitBytes = readFileSync(join(unit, unitFile!.file));
      writer.adopt(unit, [unitFile!]);
      const [file] = writer.close();
      return { pack, file: file!, unitBytes };
    };
    const first = write();
    const second = write();
    assert.deepEqual(second.file, first.file, 'the same sha256, size and lines');
    const bytes = readFileSync(join(first.pack, first.file.file));
    assert.ok(bytes.subarray(bytes.length - first.unitBytes.length).equals(first.unitBytes), "the unit's members, as they were");
    assert.ok(first.file.bytes < Buffer.byteLength(text) / 5, 'compressed');
    // gzip -dc: the tool an auditor has, reading every member.
    assert.equal(execFileSync('gzip', ['-dc', join(first.pack, first.file.file)], { encoding: 'utf8', maxBuffer: 64 << 20 }), text);
  });
});
