import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { publicKeyFingerprint } from '../src/sign/keys.ts';
import { verifyPack } from '../src/sign/verify.ts';
import { listFiles, onlyPack, runCli, tempDir } from './helpers.ts';

describe('verify detects every kind of tampering', () => {
  let pack: string;
  let work: string;
  let files: string[];
  let n = 0;
  const copy = () => {
    const dir = join(work, `copy-${n++}`);
    cpSync(pack, dir, { recursive: true });
    return dir;
  };

  before(async () => {
    work = tempDir({ after: (fn) => process.on('exit', fn) });
    const r = await runCli(['run', '--out', join(work, 'out')]);
    assert.equal(r.code, 0, r.stderr);
    pack = onlyPack(join(work, 'out'));
    files = listFiles(pack);
    assert.ok(files.length > 30, 'a realistic pack');
    assert.equal((await verifyPack(pack)).ok, true);
  });

  it('names each file whose single byte was changed', async () => {
    for (const file of files) {
      const dir = copy();
      const bytes = readFileSync(join(dir, file));
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      writeFileSync(join(dir, file), bytes);
      const r = await verifyPack(dir);
      assert.equal(r.ok, false, `${file} changed but verify passed`);
      assert.ok(r.problems.some((p) => p.file === file), `${file}: ${JSON.stringify(r.problems)}`);
      rmSync(dir, { recursive: true });
    }
  });

  it('names a removed file, an added file and a truncated file', async () => {
    const removed = copy();
    rmSync(join(removed, 'report.pdf'));
    assert.deepEqual((await verifyPack(removed)).problems.map((p) => [p.problem, p.file]), [['missing', 'report.pdf']]);

    const added = copy();
    writeFileSync(join(added, 'evidence', 'extra.json'), '{}');
    assert.deepEqual((await verifyPack(added)).problems.map((p) => [p.problem, p.file]), [['extra', 'evidence/extra.json']]);

    const truncated = copy();
    writeFileSync(join(truncated, 'result.json'), readFileSync(join(truncated, 'result.json')).subarray(0, 100));
    assert.deepEqual((await verifyPack(truncated)).problems.map((p) => [p.problem, p.file]), [['changed', 'result.json']]);

    const appended = copy();
    appendFileSync(join(appended, 'evidence.csv'), 'x');
    assert.deepEqual((await verifyPack(appended)).problems.map((p) => [p.problem, p.file]), [['changed', 'evidence.csv']]);
  });

  it('rejects a signature made by another key', async () => {
    const dir = copy();
    const other = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'manifest.sig'), sign(null, readFileSync(join(dir, 'manifest.json')), other.privateKey));
    const r = await verifyPack(dir);
    assert.equal(r.ok, false);
    assert.deepEqual(r.problems.map((p) => [p.problem, p.file]), [['bad-signature', 'manifest.json'], ['bad-signature', 'manifest.sig']]);
  });

  it('accepts a re-signed pack only until the auditor pins the expected key', async () => {
    const original = await verifyPack(pack);
    const dir = copy();
    const attacker = generateKeyPairSync('ed25519');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    manifest.signature.keyFingerprint = publicKeyFingerprint(attacker.publicKey);
    const bytes = Buffer.from(JSON.stringify(manifest));
    writeFileSync(join(dir, 'manifest.json'), bytes);
    writeFileSync(join(dir, 'manifest.sig'), sign(null, bytes, attacker.privateKey));
    writeFileSync(join(dir, 'public-key.pem'), attacker.publicKey.export({ type: 'spki', format: 'pem' }));
    assert.equal((await verifyPack(dir)).ok, true, 'a consistent re-signed pack verifies without a pinned key');
    const pinned = await verifyPack(dir, { expectKey: original.keyFingerprint });
    assert.equal(pinned.ok, false);
    assert.equal(pinned.problems[0]!.problem, 'key-mismatch');
    assert.equal((await verifyPack(pack, { expectKey: original.keyFingerprint })).ok, true);
  });

  it('verifies the archive, and names a file changed inside it', async () => {
    const { writePackArchive } = await import('../src/pack/archive.ts');
    const name = pack.split('/').pop()!;
    assert.equal((await runCli(['verify', `${pack}.zip`])).code, 0);
    const dir = copy();
    writeFileSync(join(dir, 'evidence.csv'), readFileSync(join(dir, 'evidence.csv'), 'utf8').replace('fail', 'pass'));
    await writePackArchive(dir, name, join(work, 'tampered.zip'), new Date());
    const r = await runCli(['verify', join(work, 'tampered.zip')]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^changed: evidence\.csv: /m);
    const yazl = (await import('yazl')).default;
    const two = new yazl.ZipFile();
    two.addBuffer(Buffer.from('x'), 'a/manifest.json');
    two.addBuffer(Buffer.from('y'), 'b/manifest.json');
    two.end();
    const { pipeline } = await import('node:stream/promises');
    const { createWriteStream } = await import('node:fs');
    await pipeline(two.outputStream, createWriteStream(join(work, 'two.zip')));
    const refused = await runCli(['verify', join(work, 'two.zip')]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /two\.zip: expected one pack directory in the archive, found 2/);
    writeFileSync(join(work, 'junk.zip'), 'not a zip');
    assert.match((await runCli(['verify', join(work, 'junk.zip')])).stderr, /junk\.zip: not a readable zip archive/);
  });

  it('exits 3 from the CLI and names the changed file', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'report.html'), readFileSync(join(dir, 'report.html'), 'utf8').replace('Fail', 'Pass'));
    const r = await runCli(['verify', dir]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^changed: report\.html: /m);
    const ok = await runCli(['verify', pack, '--json']);
    assert.equal(ok.code, 0);
    assert.equal(JSON.parse(ok.stdout).ok, true);
  });
});
