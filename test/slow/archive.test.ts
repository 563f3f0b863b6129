import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, openSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import yauzl from 'yauzl';
import { writePackArchive } from '../../src/pack/archive.ts';
import { tempDir } from '../helpers.ts';

describe('pack archive', () => {
  it('zips a file larger than a buffer may be (a million-item pack has a 1.4 GB CSV), streaming it from disk', async (t) => {
    const dir = tempDir(t);
    // Sparse: takes no disk, reads as zeros. Named .gz so it is stored, not deflated, to keep the test quick.
    const big = join(dir, 'big.gz');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 2 ** 30 + 2 ** 26);
    closeSync(fd);
    writeFileSync(join(dir, 'small.txt'), 'hello\n');
    const zipFile = join(tempDir(t), 'pack.zip');
    await writePackArchive(dir, 'pack-x', zipFile, new Date('2026-11-01T00:00:00Z'));
    const sizes = await new Promise<Record<string, number>>((resolve, reject) => {
      yauzl.open(zipFile, { lazyEntries: true }, (err, zip) => {
        if (err) return reject(err);
        const out: Record<string, number> = {};
        zip!.on('entry', (e: yauzl.Entry) => {
          out[e.fileName] = e.uncompressedSize;
          zip!.readEntry();
        });
        zip!.on('end', () => resolve(out));
        zip!.readEntry();
      });
    });
    assert.deepEqual(sizes, { 'pack-x/big.gz': statSync(big).size, 'pack-x/small.txt': 6 });
  });
});
