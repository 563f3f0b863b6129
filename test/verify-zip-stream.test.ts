// verify of a pack archive hashes each entry as it streams out of the zip: nothing is extracted or written
// to the temporary folder, and a changed, missing or extra entry is still caught.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { writePackArchive } from '../src/pack/archive.ts';
import { runCliInProcess, tempDir } from './helpers.ts';
import { sampleRunPack } from './shared-sample.ts';

describe('verify PACK.zip: streamed, never extracted', () => {
  let pack: string;
  let pin: string[];
  before(async () => {
    pack = await sampleRunPack({ pdf: false });
    pin = ['--expect-key', JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8')).signature.keyFingerprint];
  });

  /** Runs verify with a temporary folder of its own, watched: every name created in it while verify runs. */
  async function verifyWatched(t: { after(fn: () => void): void }, zip: string) {
    const tmp = mkdtempSync(join(tmpdir(), 'ep-verify-'));
    t.after(() => rmSync(tmp, { recursive: true, force: true }));
    const created = new Set<string>();
    const watcher = watch(tmp, (_event, name) => {
      if (name) created.add(String(name));
    });
    try {
      const r = await runCliInProcess(['verify', zip, ...pin], { TMPDIR: tmp });
      // tsx-*: the test runner's compile cache, not the product's.
      return { ...r, created: [...created].filter((n) => !n.startsWith('tsx-')) };
    } finally {
      watcher.close();
    }
  }

  it('an intact archive verifies (exit 0) and nothing is written to the temporary folder', { timeout: 120_000 }, async (t) => {
    const r = await verifyWatched(t, `${pack}.zip`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Verified \S+\.zip: \d+ files intact, signature valid, signer verified/);
    assert.deepEqual(r.created, [], 'verify extracted into the temporary folder');
  });

  it('a changed, a missing and an extra entry are each named (exit 3), still without extracting', { timeout: 120_000 }, async (t) => {
    const work = tempDir(t);
    const copy = join(work, basename(pack));
    cpSync(pack, copy, { recursive: true });
    appendFileSync(join(copy, 'evidence.csv'), 'tampered\n');
    rmSync(join(copy, 'report.html'));
    appendFileSync(join(copy, 'planted.txt'), 'x');
    const zip = join(work, `${basename(pack)}.zip`);
    await writePackArchive(copy, basename(pack), zip, new Date('2026-11-01T00:00:00Z'));
    const r = await verifyWatched(t, zip);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^changed: evidence\.csv: sha256 /m);
    assert.match(r.stderr, /^missing: report\.html: listed in the manifest, not in the pack$/m);
    assert.match(r.stderr, /^extra: planted\.txt: in the pack, not in the manifest$/m);
    assert.match(r.stderr, /^FAILED \S+\.zip: 3 problem\(s\)$/m);
    assert.deepEqual(r.created, []);
  });

  it('another key stops before any entry is hashed (exit 3)', { timeout: 120_000 }, async (t) => {
    const tmp = mkdtempSync(join(tmpdir(), 'ep-verify-'));
    t.after(() => rmSync(tmp, { recursive: true, force: true }));
    const r = await runCliInProcess(['verify', `${pack}.zip`, '--expect-key', `sha256:${'d'.repeat(64)}`], { TMPDIR: tmp });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^key-mismatch: public-key\.pem: signed by key sha256:[0-9a-f]{64}, not the expected sha256:d{64} \(--expect-key\)$/m);
  });
});
