import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { root } from './helpers.ts';
import { fastLaneFiles, shardFiles } from './shard.ts';

describe('the fast lane in shards', () => {
  const shards = readdirSync(join(root, 'test/shards')).filter((f) => f.endsWith('.test.ts'));

  it('runs every test file and every check test once', () => {
    const files = fastLaneFiles();
    assert.ok(files.includes(join(root, 'test/shards.test.ts')));
    assert.ok(
      files.some((f) => /src\/checks\/[^/]+\/[^/]+\/check\.test\.ts$/.test(f)),
      'the checks’ own tests are in the lane',
    );
    assert.ok(!files.some((f) => f.includes('/test/slow/') || f.includes('/test/shards/')));
    const sharded = shards.flatMap((_, i) => shardFiles(i, shards.length));
    assert.deepEqual([...sharded].sort(), files);
  });

  it('has shards that each run their share and nothing else', () => {
    assert.ok(shards.length >= 2);
    for (const f of shards) assert.equal(readFileSync(join(root, 'test/shards', f), 'utf8'), "import { runShard } from '../shard.ts';\n\nawait runShard(import.meta.url);\n", f);
    for (let i = 0; i < shards.length; i++) assert.ok(shardFiles(i, shards.length).length > 0, `shard ${i + 1} has files`);
  });
});
