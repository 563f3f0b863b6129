import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bench } from '../../src/bench/bench.ts';
import { tempDir } from '../helpers.ts';

describe('benchmark smoke', () => {
  it('runs every stage on a small generated estate and writes the table (no timing asserted)', async (t) => {
    const out = join(tempDir(t), 'BENCHMARKS.md');
    await bench({ sizes: [500], repeats: 1, out, command: 'test' });
    const doc = readFileSync(out, 'utf8');
    assert.match(doc, /^\| 500 \| [\d.]+ \/ [\d.]+ s, \d+ MiB \| [\d.]+ \/ [\d.]+ s, \d+ MiB \| [\d.]+ \/ [\d.]+ s, \d+ MiB \| [\d.]+× \|/m, doc);
    // Collection against the fake endpoint: every generated item collected, and the calls counted against the minimum.
    assert.match(doc, /^\| 500 \| [\d.]+ \/ [\d.]+ s, \d+ MiB \| 500 \| \d+ \/ \d+ = [\d.]+ \|$/m, doc);
    // Through an aggregator: the file's size, its collection (gaps allowed) and its evaluation both done.
    assert.match(doc, /^\| 500 \| \d+ MB \| [\d.]+ \/ [\d.]+ s, \d+ MiB \| [\d.]+ \/ [\d.]+ s, \d+ MiB \|$/m, doc);
    // The PDF row: ours, its pages, and Chromium printing the same HTML in one piece.
    assert.match(doc, /^\| 500 \| [\d.]+ \/ [\d.]+ s, \d+ MiB \| [1-9][\d,]* \| [\d.]+ \/ [\d.]+ s, \d+ MiB \| [\d.]+× \(PDF alone -?[\d.]+×\) \| /m, doc);
  });
});
