import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileLinesStore, readLineBatches } from '../src/evaluate/item-files.ts';
import type { JsonLinesFile } from '../src/evaluate/result.ts';
import { tempDir } from './helpers.ts';

type Line = { n: string };

/** A unit's lines file written apart, as a worker thread writes one. */
function unitPart(dir: string, values: string[]): JsonLinesFile {
  const writer = new FileLinesStore(dir).open<Line>('items/X-01.jsonl');
  for (const n of values) writer.write({ n });
  return writer.close()[0]!;
}

function asPinned(dir: string, f: JsonLinesFile) {
  const bytes = readFileSync(join(dir, f.file));
  return { file: f.file, count: bytes.toString('utf8').split('\n').length - 1, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

describe('a JSON-lines file of the pack', () => {
  it("takes in a unit's files as parts of their own, in order, and drops lines in every part", async (t) => {
    const pack = tempDir(t);
    const unit = join(tempDir(t), 'unit');
    mkdirSync(unit);
    const writer = new FileLinesStore(pack, { ownPartFrom: 0 }).open<Line>('items/X-01.jsonl');
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
      ['items/X-01.jsonl', 'items/X-01.2.jsonl', 'items/X-01.3.jsonl'],
      'an empty file is no part',
    );
    for (const p of parts) assert.deepEqual(p, asPinned(pack, p), `${p.file} pinned as written`);
    const lines: string[] = [];
    for await (const batch of readLineBatches<Line>(pack, parts)) lines.push(...batch.map((v) => v.n));
    assert.deepEqual(lines, ['a', 'd', 'f']);
    assert.ok(!existsSync(join(unit, 'items/X-01.jsonl')), 'moved, not copied');
  });

  it('copies a small unit file into the current part, and is one empty file when nothing is written', (t) => {
    const pack = tempDir(t);
    const unit = join(tempDir(t), 'unit');
    mkdirSync(unit);
    const store = new FileLinesStore(pack);
    const writer = store.open<Line>('items/X-01.jsonl');
    writer.write({ n: 'a' });
    writer.adopt(unit, [unitPart(unit, ['b'])]);
    writer.write({ n: 'c' });
    const [only, ...more] = writer.close();
    assert.equal(more.length, 0);
    assert.deepEqual(only, asPinned(pack, only!));
    assert.equal(readFileSync(join(pack, only!.file), 'utf8'), '{"n":"a"}\n{"n":"b"}\n{"n":"c"}\n');
    const empty = store.open<Line>('items/X-02.jsonl').close();
    assert.deepEqual(empty, [asPinned(pack, { file: 'items/X-02.jsonl', count: 0, bytes: 0, sha256: '' })]);
    assert.equal(empty[0]!.count, 0);
  });
});
