import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { listFiles, onlyPack, runCli, tempDir } from './helpers.ts';

describe('reproducible packs', () => {
  it('two runs with SOURCE_DATE_EPOCH and the same key give the same bytes (PDF aside)', async (t) => {
    const work = tempDir(t);
    const key = join(work, 'key.pem');
    writeFileSync(key, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const env = { SOURCE_DATE_EPOCH: '1793491200' }; // 2026-11-01T00:00:00Z
    const packs: string[] = [];
    for (const run of ['a', 'b']) {
      const r = await runCli(['run', '--out', join(work, run), '--signing-key', key, '--no-pdf', '--json'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).packId, 'pack-20261101T000000Z-' + JSON.parse(r.stdout).packId.slice(-8));
      packs.push(onlyPack(join(work, run)));
    }
    const [a, b] = packs as [string, string];
    assert.equal(a.split('/').pop(), b.split('/').pop(), 'same pack id');
    assert.deepEqual(listFiles(a), listFiles(b));
    for (const f of listFiles(a)) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs`);
    assert.ok(readFileSync(`${a}.zip`).equals(readFileSync(`${b}.zip`)), 'the archives are identical');
    const result = JSON.parse(readFileSync(join(a, 'result.json'), 'utf8'));
    assert.equal(result.generatedAt, '2026-11-01T00:00:00.000Z');
  });
});
