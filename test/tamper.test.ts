import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { publicKeyFingerprint } from '../src/sign/keys.ts';
import { verifyPack } from '../src/sign/verify.ts';
import { listFiles, runCliInProcess, tempDir, untilExit } from './helpers.ts';
import { sampleRunPack } from './shared-sample.ts';

describe('verify detects every kind of tampering', () => {
  let pack: string;
  let work: string;
  let files: string[];
  let fingerprint: string;
  let n = 0;
  const copy = () => {
    const dir = join(work, `copy-${n++}`);
    cpSync(pack, dir, { recursive: true });
    return dir;
  };

  before(async () => {
    work = tempDir(untilExit);
    pack = await sampleRunPack();
    files = listFiles(pack);
    assert.ok(files.length > 30, 'a realistic pack');
    assert.equal((await verifyPack(pack)).ok, true);
    fingerprint = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8')).signature.keyFingerprint;
  });

  it('names each file whose single byte was changed', async () => {
    // One copy, one file changed at a time and put back after (a copy per file made this test 44 s).
    const dir = copy();
    for (const file of files) {
      const original = readFileSync(join(dir, file));
      const bytes = Buffer.from(original);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      writeFileSync(join(dir, file), bytes);
      const r = await verifyPack(dir);
      assert.equal(r.ok, false, `${file} changed but verify passed`);
      assert.ok(
        r.problems.some((p) => p.file === file),
        `${file}: ${JSON.stringify(r.problems)}`,
      );
      writeFileSync(join(dir, file), original);
    }
    assert.equal((await verifyPack(dir)).ok, true, 'every file put back');
    rmSync(dir, { recursive: true });
  });

  it('names a removed file, an added file and a truncated file', async () => {
    const removed = copy();
    rmSync(join(removed, 'report.pdf'));
    assert.deepEqual(
      (await verifyPack(removed)).problems.map((p) => [p.problem, p.file]),
      [['missing', 'report.pdf']],
    );

    const added = copy();
    writeFileSync(join(added, 'evidence', 'extra.json'), '{}');
    assert.deepEqual(
      (await verifyPack(added)).problems.map((p) => [p.problem, p.file]),
      [['extra', 'evidence/extra.json']],
    );

    const truncated = copy();
    writeFileSync(join(truncated, 'result.json'), readFileSync(join(truncated, 'result.json')).subarray(0, 100));
    assert.deepEqual(
      (await verifyPack(truncated)).problems.map((p) => [p.problem, p.file]),
      [['changed', 'result.json']],
    );

    const appended = copy();
    appendFileSync(join(appended, 'evidence.csv'), 'x');
    assert.deepEqual(
      (await verifyPack(appended)).problems.map((p) => [p.problem, p.file]),
      [['changed', 'evidence.csv']],
    );
  });

  it('rejects a signature made by another key', async () => {
    const dir = copy();
    const other = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'manifest.sig'), sign(null, readFileSync(join(dir, 'manifest.json')), other.privateKey));
    const r = await verifyPack(dir);
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.problems.map((p) => [p.problem, p.file]),
      [
        ['bad-signature', 'manifest.json'],
        ['bad-signature', 'manifest.sig'],
      ],
    );
  });

  /** A copy of the pack whose result was edited, then re-signed consistently with another key: a forgery. */
  const forged = () => {
    const dir = copy();
    const attacker = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'result.json'), readFileSync(join(dir, 'result.json'), 'utf8').replace('"fail"', '"pass"'));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const entry = manifest.files.find((f: { path: string }) => f.path === 'result.json');
    const bytes = readFileSync(join(dir, 'result.json'));
    entry.sha256 = createHash('sha256').update(bytes).digest('hex');
    entry.bytes = bytes.length;
    manifest.signature.keyFingerprint = publicKeyFingerprint(attacker.publicKey);
    const signed = Buffer.from(JSON.stringify(manifest));
    writeFileSync(join(dir, 'manifest.json'), signed);
    writeFileSync(join(dir, 'manifest.sig'), sign(null, signed, attacker.privateKey));
    writeFileSync(join(dir, 'public-key.pem'), attacker.publicKey.export({ type: 'spki', format: 'pem' }));
    return { dir, attacker: publicKeyFingerprint(attacker.publicKey) };
  };

  it('a forged, re-signed pack is "intact, signer not verified" (exit 8) without a pin, never exit 0', async () => {
    const { dir, attacker } = forged();
    const library = await verifyPack(dir);
    assert.deepEqual([library.ok, library.signerVerified], [true, false], 'intact, but nobody vouched for the key');
    const r = await runCliInProcess(['verify', dir]);
    assert.equal(r.code, 8, r.stderr);
    assert.match(r.stderr, new RegExp(`: \\d+ files intact, signer not verified: signed by key ${attacker}, and no trust anchor was given`));
    assert.equal(r.stdout, '', 'nothing that reads as success');
    const json = await runCliInProcess(['verify', dir, '--json']);
    assert.equal(json.code, 8);
    assert.deepEqual([JSON.parse(json.stdout).ok, JSON.parse(json.stdout).signerVerified], [true, false]);
    // The genuine pack too: without an anchor, nothing says who signed it.
    assert.equal((await runCliInProcess(['verify', pack])).code, 8);
  });

  it('pinned: the forgery fails with exit 3 naming the key mismatch, the genuine pack verifies (exit 0)', async () => {
    const { dir, attacker } = forged();
    const r = await runCliInProcess(['verify', dir, '--expect-key', fingerprint]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`^key-mismatch: public-key\\.pem: signed by key ${attacker}, not the expected ${fingerprint} \\(--expect-key\\)$`, 'm'));
    const ok = await runCliInProcess(['verify', pack, '--expect-key', fingerprint]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^Verified .*: \d+ files intact, signature valid, signer verified \(key sha256:[0-9a-f]{64}, trusted by --expect-key/);
    // Upper case, without the sha256: prefix, or one of several pins: the same key.
    assert.equal((await runCliInProcess(['verify', pack, '--expect-key', fingerprint.slice(7).toUpperCase()])).code, 0);
    assert.equal((await runCliInProcess(['verify', pack, '--expect-key', `sha256:${'a'.repeat(64)}`, '--expect-key', fingerprint])).code, 0);
    assert.equal((await runCliInProcess(['verify', dir, '--expect-key', `sha256:${'a'.repeat(64)}`, '--expect-key', fingerprint])).code, 3);
  });

  it('an empty or malformed pin is a usage error (exit 2), never "no pin"', async () => {
    const { dir } = forged();
    const forms: [string, string[]][] = [
      ["''", ['--expect-key', '']],
      ['--expect-key=', ['--expect-key=']],
      ['the flag with no value', ['--expect-key']],
      ['the flag followed by another flag', ['--expect-key', '--json']],
      ['--no-expect-key', ['--no-expect-key']],
      ['whitespace', ['--expect-key', '   ']],
      ['sha256: alone', ['--expect-key', 'sha256:']],
      ['a short fingerprint', ['--expect-key', fingerprint.slice(0, 30)]],
      ['a good pin and an empty one', ['--expect-key', fingerprint, '--expect-key', '']],
    ];
    for (const [name, args] of forms) {
      const r = await runCliInProcess(['verify', dir, ...args]);
      assert.equal(r.code, 2, `${name}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /^evidence-pack: --expect-key: .*: expected the signer's key fingerprint, sha256:<64 hex digits>\n$/, name);
    }
    // The library fails closed on the same values.
    for (const expectKey of ['', 'sha256:', ' ']) assert.equal((await verifyPack(dir, { expectKey })).ok, false, JSON.stringify(expectKey));
  });

  it('a trusted-keys file, named by --trusted-keys or by the settings file, is an anchor', async (t) => {
    const { dir } = forged();
    const dirOf = tempDir(t);
    const keys = join(dirOf, 'trusted-keys.txt');
    writeFileSync(keys, `# keys our organization signs with\n- sha256:${'b'.repeat(64)}  old key, rotated 2026-06\n${fingerprint}  signing key 2026\n`);
    const ok = await runCliInProcess(['verify', `${pack}.zip`, '--trusted-keys', keys]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /trusted by trusted-keys trusted-keys\.txt line 3/);
    const bad = await runCliInProcess(['verify', dir, '--trusted-keys', keys]);
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /not any of the 2 trusted keys \(trusted-keys trusted-keys\.txt\)/);
    writeFileSync(join(dirOf, 'evidence-pack.yaml'), 'trusted-keys: trusted-keys.txt\n');
    assert.equal((await runCliInProcess(['verify', pack], {}, dirOf)).code, 0, 'from ./evidence-pack.yaml');
    assert.equal((await runCliInProcess(['verify', dir], {}, dirOf)).code, 3);
    writeFileSync(join(dirOf, 'empty.txt'), '# nothing yet\n\n');
    const empty = await runCliInProcess(['verify', pack, '--trusted-keys', join(dirOf, 'empty.txt')]);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /trusted-keys .*empty\.txt: names no key fingerprint/);
    writeFileSync(join(dirOf, 'typo.txt'), `${fingerprint}\nsha256:12345\n`);
    const typo = await runCliInProcess(['verify', pack, '--trusted-keys', join(dirOf, 'typo.txt')]);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /typo\.txt: line 2: "sha256:12345" is not a key fingerprint/);
    const missing = await runCliInProcess(['verify', pack, '--trusted-keys', join(dirOf, 'nope.txt')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /trusted-keys .*nope\.txt: cannot read \(ENOENT\)/);
  });

  it('verifies the archive, and names a file changed inside it', async () => {
    const { writePackArchive } = await import('../src/pack/archive.ts');
    const name = pack.split('/').pop()!;
    assert.equal((await runCliInProcess(['verify', `${pack}.zip`, '--expect-key', fingerprint])).code, 0);
    const dir = copy();
    writeFileSync(join(dir, 'evidence.csv'), readFileSync(join(dir, 'evidence.csv'), 'utf8').replace('fail', 'pass'));
    await writePackArchive(dir, name, join(work, 'tampered.zip'), new Date());
    const r = await runCliInProcess(['verify', join(work, 'tampered.zip')]);
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
    const refused = await runCliInProcess(['verify', join(work, 'two.zip')]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /two\.zip: expected one pack directory in the archive, found 2/);
    writeFileSync(join(work, 'junk.zip'), 'not a zip');
    assert.match((await runCliInProcess(['verify', join(work, 'junk.zip')])).stderr, /junk\.zip: not a readable zip archive/);
  });

  it('exits 3 from the CLI and names the changed file', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'report.html'), readFileSync(join(dir, 'report.html'), 'utf8').replace('Fail', 'Pass'));
    const r = await runCliInProcess(['verify', dir]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^changed: report\.html: /m);
    const ok = await runCliInProcess(['verify', pack, '--json', '--expect-key', fingerprint]);
    assert.equal(ok.code, 0);
    assert.equal(JSON.parse(ok.stdout).ok, true);
  });
});
