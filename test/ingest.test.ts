import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateEstate } from '../src/bench/generate.ts';
import { readSnapshot } from '../src/evidence/read.ts';
import { tempDir } from './helpers.ts';

describe('ingesting AWS-delivered snapshot files', () => {
  it('streams a gzipped snapshot of 20,000 configuration items from disk', async (t) => {
    const dir = tempDir(t);
    await generateEstate({ items: 20_000, accounts: 1, regions: 1, out: dir, seed: 7 });
    const files = readdirSync(join(dir, 'config-snapshots'));
    assert.equal(files.length, 1, 'one delivered file holds every item');
    assert.match(files[0]!, /^\d{12}_Config_[a-z0-9-]+_ConfigSnapshot_\d{8}T\d{6}Z_.*\.json\.gz$/);
    const snapshot = await readSnapshot(dir);
    const fromFile = snapshot.resources.filter((r) => r.origin.api === 'AWS Config snapshot');
    assert.equal(fromFile.length, 20_000);
    assert.equal(fromFile.at(-1)!.origin.pointer, '/configurationItems/19999');
    const entry = snapshot.files.find((f) => f.kind === 'config-snapshot')!;
    assert.equal(entry.bytes, statSync(join(dir, 'config-snapshots', files[0]!)).size, 'the stored (compressed) file is what is hashed');
  });
});
