import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { root } from './helpers.ts';
import { assignShards, fastLaneFiles } from './shard.ts';

describe('the fast lane in shards', () => {
  const shards = readdirSync(join(root, 'test/shards')).filter((f) => f.endsWith('.test.ts'));

  it('runs every test file and every check test once', () => {
    // What `node --test test/*.test.ts src/checks/*/*/*.test.ts` would run, listed apart from fastLaneFiles.
    const inTest = readdirSync(join(root, 'test'))
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => join(root, 'test', f));
    const checksDir = join(root, 'src/checks');
    const inChecks = readdirSync(checksDir, { withFileTypes: true })
      .filter((service) => service.isDirectory())
      .flatMap((service) =>
        readdirSync(join(checksDir, service.name), { withFileTypes: true })
          .filter((check) => check.isDirectory())
          .map((check) => join(checksDir, service.name, check.name)),
      )
      .flatMap((dir) =>
        readdirSync(dir)
          .filter((f) => f.endsWith('.test.ts'))
          .map((f) => join(dir, f)),
      );
    const expected = [...inTest, ...inChecks].sort();
    assert.ok(expected.includes(join(root, 'test/shards.test.ts')));
    assert.ok(
      inChecks.some((f) => f.endsWith('/check.test.ts')),
      'the checks’ own tests are in the lane',
    );
    assert.deepEqual(fastLaneFiles(), expected);
    assert.deepEqual(assignShards(shards.length).flat().sort(), expected);
  });

  it('has shards that each run their share and nothing else', () => {
    assert.ok(shards.length >= 2);
    for (const f of shards) assert.equal(readFileSync(join(root, 'test/shards', f), 'utf8'), "import { runShard } from '../shard.ts';\n\nawait runShard(import.meta.url);\n", f);
    for (const [i, files] of assignShards(shards.length).entries()) assert.ok(files.length > 0, `shard ${i + 1} has files`);
  });
});
