// Inputs that must not be trusted (issue 21 §3): special files and links, decompression bombs, manifest
// paths, numbers and times. Every case that could hang runs with a timeout (and a child process that is
// killed), so a regression fails instead of blocking CI.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { loadAttestations, loadWaivers } from '../src/assurance/load.ts';
import { readJsonFile } from '../src/evidence/json-file.ts';
import { readSnapshot } from '../src/evidence/read.ts';
import { streamConfigSnapshot } from '../src/evidence/snapshot-stream.ts';
import { extractPackArchive } from '../src/sign/read-archive.ts';
import { loadBranding } from '../src/render/branding.ts';
import { publicKeyFingerprint } from '../src/sign/keys.ts';
import { verifyPack } from '../src/sign/verify.ts';
import { cliEntry, onlyPack, pinnedEpoch, root, runCliInProcess, sampleDir, tempDir, type CliResult } from './helpers.ts';

/** runCli, but the child is killed after ms: a hang is a result (code null, timedOut), not a stuck suite. */
function runCliWithin(ms: number, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult & { timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...args], { cwd: root, env: { ...process.env, CI: '1', SOURCE_DATE_EPOCH: pinnedEpoch, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, ms);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

const mkfifo = (path: string) => execFileSync('mkfifo', [path]);

function copySample(t: Parameters<typeof tempDir>[0]): string {
  const evidence = join(tempDir(t), 'evidence');
  cpSync(sampleDir, evidence, { recursive: true });
  return evidence;
}

const credentialReport = 'aws/111111111111/global/iam/GetCredentialReport.json';

async function rejects(promise: Promise<unknown> | (() => unknown), pattern: RegExp) {
  await assert.rejects(
    async () => (typeof promise === 'function' ? promise() : promise),
    (e: Error) => {
      assert.equal(e.name, 'InputError', `${e.name}: ${e.message}`);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

describe('links, named pipes and devices in an evidence folder are refused, never skipped', () => {
  it('a symbolic link in place of an evidence file: exit 2 naming it (it used to vanish: "0 IAM users … not applicable")', { timeout: 180_000 }, async (t) => {
    const evidence = copySample(t);
    const elsewhere = join(evidence, '..', 'report.json');
    cpSync(join(evidence, credentialReport), elsewhere);
    rmSync(join(evidence, credentialReport));
    symlinkSync(elsewhere, join(evidence, credentialReport));
    const out = join(evidence, '..', 'out');
    const r = await runCliWithin(150_000, ['run', '--evidence', evidence, '--out', out, '--no-pdf']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /GetCredentialReport\.json: a symbolic link, not a regular file: refused/);
    assert.ok(!existsSync(out) || readdirSync(out).length === 0, 'no pack');
  });

  it('a FIFO, a linked directory and a device are refused in place, naming the file', { timeout: 120_000 }, async (t) => {
    const fifo = copySample(t);
    mkfifo(join(fifo, 'aws/111111111111/global/iam/ListUsers.json'));
    await rejects(readSnapshot(fifo), /ListUsers\.json: a named pipe \(FIFO\), not a regular file: refused/);

    const linkedDir = copySample(t);
    const moved = join(linkedDir, '..', 'iam-elsewhere');
    cpSync(join(linkedDir, 'aws/111111111111/global/iam'), moved, { recursive: true });
    rmSync(join(linkedDir, 'aws/111111111111/global/iam'), { recursive: true });
    symlinkSync(moved, join(linkedDir, 'aws/111111111111/global/iam'));
    await rejects(readSnapshot(linkedDir), /global\/iam: a symbolic link, not a regular file: refused/);

    const device = copySample(t);
    symlinkSync('/dev/zero', join(device, 'aws/111111111111/global/iam/GetAccountSummary.json'));
    await rejects(readSnapshot(device), /GetAccountSummary\.json: a symbolic link/);
  });

  it('a file name with a newline or an escape is refused, shown escaped on one line', { timeout: 120_000 }, async (t) => {
    for (const name of ['ListUsers\n.json', 'ListUsers\u001b[2J.json']) {
      const evidence = copySample(t);
      writeFileSync(join(evidence, 'aws/111111111111/global/iam', name), '{}');
      await assert.rejects(readSnapshot(evidence), (e: Error) => {
        assert.match(e.message, /control characters/);
        assert.ok(!/[\n\u001b]/.test(e.message), `escaped: ${JSON.stringify(e.message)}`);
        return true;
      });
    }
  });

  it('an attestation evidence file or statement that is a link (to /etc/shadow) is refused, and so is a linked waivers file', { timeout: 120_000 }, async (t) => {
    const evidence = copySample(t);
    const secret = join(evidence, '..', 'shadow');
    writeFileSync(secret, 'root:$6$secret-hash:19000:0:99999:7:::\n');
    const attestations = join(evidence, 'attestations');
    assert.ok(loadAttestations(attestations).length > 0, 'the sample reads as it is');
    rmSync(join(attestations, 'pcoip-gpo-export.txt'));
    symlinkSync(secret, join(attestations, 'pcoip-gpo-export.txt'));
    await rejects(() => loadAttestations(attestations), /pcoip-gpo-export\.txt: a symbolic link, not a regular file: refused/);

    rmSync(join(attestations, 'pcoip-gpo-export.txt'));
    cpSync(join(sampleDir, 'attestations/pcoip-gpo-export.txt'), join(attestations, 'pcoip-gpo-export.txt'));
    symlinkSync(join(sampleDir, 'attestations/staff-training.yaml'), join(attestations, 'linked.yaml'));
    await rejects(() => loadAttestations(attestations), /linked\.yaml: a symbolic link/);

    const waivers = join(evidence, '..', 'waivers-link.yaml');
    symlinkSync(join(sampleDir, 'waivers.yaml'), waivers);
    await rejects(() => loadWaivers(waivers), /waivers-link\.yaml: a symbolic link, not a regular file: refused/);
    const fifo = join(evidence, '..', 'waivers-fifo.yaml');
    mkfifo(fifo);
    await rejects(() => loadWaivers(fifo), /a named pipe/);
  });

  it('CloudTrail log folders and --from-files folders refuse links too', { timeout: 120_000 }, async (t) => {
    const { summarizeCloudTrailLogs } = await import('../src/collect/cloudtrail-logs.ts');
    const logs = tempDir(t);
    writeFileSync(join(logs, 'a.json'), JSON.stringify({ Records: [] }));
    mkfifo(join(logs, 'b.json.gz'));
    await assert.rejects(summarizeCloudTrailLogs(logs, tempDir(t), { accounts: ['111111111111'], regions: ['us-east-1'] }), /b\.json\.gz: a named pipe \(FIFO\), not a regular file: refused/);
  });
});

describe('--logo: a real image, a regular file, bounded', () => {
  it('refuses a text file named .png, a directory, /dev/zero and a FIFO; takes a real PNG', { timeout: 120_000 }, async (t) => {
    const dir = tempDir(t);
    mkdirSync(join(dir, 'folder.png'));
    assert.throws(() => loadBranding({ logo: join(dir, 'folder.png') }), /a directory, not a regular file/);
    writeFileSync(join(dir, 'text.png'), '<script>alert(1)</script>');
    assert.throws(() => loadBranding({ logo: join(dir, 'text.png') }), /not a image\/png image/);
    writeFileSync(join(dir, 'fake.svg'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    assert.throws(() => loadBranding({ logo: join(dir, 'fake.svg') }), /not a image\/svg\+xml image/);
    writeFileSync(join(dir, 'big.png'), Buffer.alloc(1024 * 1024 + 1));
    assert.throws(() => loadBranding({ logo: join(dir, 'big.png') }), /larger than 1 MiB/);
    // Last: before the fix, these read without end or hung the process.
    const zero = join(dir, 'zero.png');
    symlinkSync('/dev/zero', zero);
    assert.throws(() => loadBranding({ logo: zero }), /--logo .*zero\.png: a device, not a regular file/);
    const fifo = join(dir, 'fifo.png');
    mkfifo(fifo);
    assert.throws(() => loadBranding({ logo: fifo }), /a named pipe \(FIFO\), not a regular file/);
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    writeFileSync(join(dir, 'logo.png'), png);
    assert.match(loadBranding({ logo: join(dir, 'logo.png') }).logo!, /^data:image\/png;base64,iVBORw0KGgo/);
    writeFileSync(join(dir, 'logo.svg'), '<?xml version="1.0"?>\n<!-- mark -->\n<svg xmlns="http://www.w3.org/2000/svg"/>');
    assert.match(loadBranding({ logo: join(dir, 'logo.svg') }).logo!, /^data:image\/svg\+xml;base64,/);
  });

  it('a FIFO as --logo ends the run with exit 2 instead of hanging it', { timeout: 120_000 }, async (t) => {
    const dir = tempDir(t);
    mkfifo(join(dir, 'logo.png'));
    const r = await runCliWithin(100_000, ['run', '--evidence', sampleDir, '--out', join(dir, 'out'), '--no-pdf', '--logo', join(dir, 'logo.png')]);
    assert.equal(r.timedOut, false, 'no hang');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^evidence-pack: --logo .*logo\.png: a named pipe \(FIFO\), not a regular file: refused\n$/);
  });
});

describe('decompression bombs: bounded, named, streamed', () => {
  it('a .json.gz that expands a thousand times is refused as a bomb, not parsed (it was "not a valid gzip file" after 6 GiB)', { timeout: 180_000 }, async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'ListUsers.json.gz');
    writeFileSync(file, gzipSync(Buffer.concat([Buffer.from('{"Users": ['), Buffer.alloc(100 * 1024 * 1024, ' '), Buffer.from(']}')]), { level: 9 }));
    assert.ok(statSync(file).size < 200_000);
    await rejects(() => readJsonFile(file, 'ListUsers.json.gz'), /ListUsers\.json\.gz: expands to more than \d+ MiB from \d+ compressed bytes .*refused as a decompression bomb/);
    writeFileSync(join(dir, 'broken.json.gz'), Buffer.from('1f8b0800000000000003ffffffff', 'hex'));
    await rejects(() => readJsonFile(join(dir, 'broken.json.gz'), 'broken.json.gz'), /broken\.json\.gz: not a valid gzip file$/);
    const fine = join(dir, 'fine.json.gz');
    writeFileSync(fine, gzipSync('{"Users": []}'));
    assert.deepEqual(readJsonFile(fine, 'fine.json.gz').value, { Users: [] });
  });

  it('a streamed snapshot .json.gz stops at the bound instead of reading on', { timeout: 180_000 }, async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'snapshot.json.gz');
    writeFileSync(file, gzipSync(Buffer.concat([Buffer.from('{"fileVersion": "1.0", "configurationItems": ['), Buffer.alloc(100 * 1024 * 1024, ' '), Buffer.from(']}')]), { level: 9 }));
    await rejects(
      streamConfigSnapshot(file, 'snapshot.json.gz', () => undefined),
      /snapshot\.json\.gz: expands to more than .*decompression bomb/,
    );
  });
});

/** A zip whose central directory lists `names`, every one pointing at the same local header and deflate stream. */
function overlappingZip(names: string[], content: Buffer): Buffer {
  const data = deflateRawSync(content, { level: 9 });
  const name = Buffer.from(names[0]!);
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0, 6);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(0, 10);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(0, 28);
  const central = names.map((n) => {
    const nb = Buffer.from(n);
    const h = Buffer.alloc(46);
    h.writeUInt32LE(0x02014b50, 0);
    h.writeUInt16LE((3 << 8) | 20, 4);
    h.writeUInt16LE(20, 6);
    h.writeUInt16LE(0, 8);
    h.writeUInt16LE(8, 10);
    h.writeUInt32LE(0, 12);
    h.writeUInt32LE(crc, 16);
    h.writeUInt32LE(data.length, 20);
    h.writeUInt32LE(content.length, 24);
    h.writeUInt16LE(nb.length, 28);
    h.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    h.writeUInt32LE(0, 42);
    return Buffer.concat([h, nb]);
  });
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, cd, end]);
}

describe('pack archives: no bomb is extracted', () => {
  it('entries sharing one compressed stream are refused before a byte is written', { timeout: 180_000 }, async (t) => {
    const dir = tempDir(t);
    const zip = join(dir, 'pack.zip');
    writeFileSync(zip, overlappingZip(['pack-x/a.json', 'pack-x/b.json', 'pack-x/c.json'], Buffer.alloc(8 * 1024 * 1024, ' ')));
    const into = join(dir, 'into');
    mkdirSync(into);
    await rejects(extractPackArchive(zip, into), /overlap \(they share compressed data, as a zip bomb does\)/);
    assert.deepEqual(readdirSync(into), [], 'nothing written');
  });

  it('a total past the bound is refused, and verify of such an archive exits 2 leaving no temporary', { timeout: 120_000 }, async (t) => {
    const dir = tempDir(t);
    const zip = join(dir, 'pack.zip');
    const names = Array.from({ length: 40 }, (_, i) => `pack-x/f${i}.json`);
    writeFileSync(zip, overlappingZip(names, Buffer.alloc(8 * 1024 * 1024, ' ')));
    const into = join(dir, 'into');
    mkdirSync(into);
    await rejects(extractPackArchive(zip, into), /would extract to 320 MiB from \d+ bytes .*refused as a zip bomb/);
    assert.deepEqual(readdirSync(into), []);
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const r = await runCliWithin(100_000, ['verify', zip], { TMPDIR: tmp });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^evidence-pack: .*pack\.zip: would extract to 320 MiB/);
    assert.deepEqual(
      readdirSync(tmp).filter((f) => f.startsWith('evidence-pack-')),
      [],
      'the temporary directory is removed',
    );
  });
});

describe('manifest paths: only relative regular files inside the pack, and a key mismatch stops before hashing', () => {
  let pack: string;
  const out = mkdtempSync(join(tmpdir(), 'evidence-pack-untrusted-'));
  after(() => rmSync(out, { recursive: true, force: true }));
  before(async () => {
    const r = await runCliInProcess(['run', '--no-pdf', '--out', join(out, 'out')]);
    assert.equal(r.code, 0, r.stderr);
    pack = join(out, 'pack');
    cpSync(onlyPack(join(out, 'out')), pack, { recursive: true });
  });

  /** A copy of the pack whose manifest gets `extra` entries, re-signed with a new key (as a forger would). */
  function forged(t: Parameters<typeof tempDir>[0], extra: { path: string; sha256?: string; bytes?: number }[], prepare: (dir: string) => void = () => undefined) {
    const dir = join(tempDir(t), 'pack');
    cpSync(pack, dir, { recursive: true });
    prepare(dir);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    manifest.files.push(...extra.map((e) => ({ sha256: createHash('sha256').update('').digest('hex'), bytes: 0, mediaType: 'text/plain', ...e })));
    manifest.signature.keyFingerprint = publicKeyFingerprint(publicKey);
    const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(join(dir, 'manifest.json'), bytes);
    writeFileSync(join(dir, 'manifest.sig'), sign(null, bytes, privateKey));
    writeFileSync(join(dir, 'public-key.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    return dir;
  }

  it('a path out of the pack is not hashed, even with the right digest (it verified)', { timeout: 180_000 }, async (t) => {
    const outside = join(tempDir(t), 'hostname');
    writeFileSync(outside, 'host\n');
    const rel = `../../../../../../../../..${outside}`;
    const dir = forged(t, [{ path: rel, sha256: createHash('sha256').update('host\n').digest('hex'), bytes: 5 }, { path: '/etc/hostname' }, { path: 'a\\..\\b' }, { path: './report.html' }]);
    const r = await verifyPack(dir);
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.problems.map((p) => [p.problem, p.detail.replace(/: not checked$/, '')]),
      [
        ['unreadable', 'manifest path leaves the pack or is not plain'],
        ['unreadable', 'manifest path is not relative to the pack'],
        ['unreadable', 'manifest path is not relative to the pack'],
        ['unreadable', 'manifest path leaves the pack or is not plain'],
      ],
    );
  });

  it('../…/dev/zero and a FIFO in the pack end verify with exit 3, not a hang', { timeout: 120_000 }, async (t) => {
    const zero = forged(t, [{ path: '../../../../../../../../../../dev/zero' }]);
    const a = await runCliWithin(50_000, ['verify', zero]);
    assert.equal(a.timedOut, false, 'no hang');
    assert.equal(a.code, 3, a.stderr);
    const fifo = forged(t, [{ path: 'evidence/pipe.json' }], (d) => mkfifo(join(d, 'evidence/pipe.json')));
    const b = await runCliWithin(50_000, ['verify', fifo]);
    assert.equal(b.timedOut, false, 'no hang');
    assert.equal(b.code, 3, b.stderr);
    assert.match(b.stderr, /changed: evidence\/pipe\.json: a named pipe \(FIFO\), not a regular file of the pack: not read/);
  });

  it('a file reached through a linked directory, and a linked manifest.sig, are not read', { timeout: 180_000 }, async (t) => {
    const outside = tempDir(t);
    writeFileSync(join(outside, 'hostname'), '');
    const dir = forged(t, [{ path: 'linked/hostname' }], (d) => symlinkSync(outside, join(d, 'linked')));
    const r = await verifyPack(dir);
    assert.deepEqual(
      r.problems.filter((p) => p.file.startsWith('linked')).map((p) => `${p.problem} ${p.file}: ${p.detail}`),
      ['changed linked/hostname: reached through a symbolic link, not a regular file of the pack: not read', 'extra linked: in the pack, not in the manifest'],
    );
    const sig = join(tempDir(t), 'pack');
    cpSync(pack, sig, { recursive: true });
    const real = join(sig, '..', 'manifest.sig');
    cpSync(join(sig, 'manifest.sig'), real);
    rmSync(join(sig, 'manifest.sig'));
    symlinkSync(real, join(sig, 'manifest.sig'));
    assert.deepEqual(
      (await verifyPack(sig)).problems.map((p) => `${p.problem} ${p.file}`),
      ['unreadable manifest.sig'],
    );
  });

  it('a key name with escape characters in an unsigned manifest is shown escaped', { timeout: 180_000 }, async (t) => {
    const dir = join(tempDir(t), 'pack');
    cpSync(pack, dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    manifest.signature.keyFingerprint = 'sha256:\u001b[2J\u001b[31mtrusted';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const details = (await verifyPack(dir)).problems.map((p) => p.detail).join('\n');
    assert.match(details, /names key "sha256:\\u001b\[2J/);
    assert.ok(!details.includes('\u001b'), details);
  });

  it('with --expect-key another key stops verification before any file is hashed', { timeout: 180_000 }, async (t) => {
    const dir = forged(t, [{ path: 'evidence/pipe.json' }], (d) => mkfifo(join(d, 'evidence/pipe.json')));
    const r = await runCliWithin(50_000, ['verify', dir, '--expect-key', `sha256:${'0'.repeat(64)}`]);
    assert.equal(r.timedOut, false, 'no hang');
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^key-mismatch: public-key\.pem: signed by key sha256:[0-9a-f]{64}, not the expected sha256:0{64} \(--expect-key\)\n/);
    assert.doesNotMatch(r.stderr, /pipe\.json/);
  });
});

describe('numbers and times', () => {
  it('every numeric flag takes whole numbers within bounds only: one line, exit 2', { timeout: 300_000 }, async (t) => {
    const out = join(tempDir(t), 'out');
    for (const [flag, value] of [
      ['--rows-per-print', '0'],
      ['--rows-per-print', '-1'],
      ['--rows-per-print', '0.5'],
      ['--max-evaluation-age', '-5'],
      ['--max-evaluation-age', '1e308'],
      ['--max-evaluation-age', '0.5'],
      ['--threads', '-1'],
      ['--threads', '1.5'],
      ['--threads', '1e9'],
    ] as const) {
      const r = await runCliInProcess(['run', '--no-pdf', '--out', out, `${flag}=${value}`]);
      assert.equal(r.code, 2, `${flag} ${value}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^evidence-pack: ${flag} \\S+: expected a whole number from \\d+ to [\\d,]+\\n$`));
      assert.ok(!existsSync(out), `${flag} ${value}: nothing written`);
    }
  });

  it('collectedAt and AWS times must be times with a zone ("yesterday" and zone-less times were taken in the host\'s zone)', { timeout: 180_000 }, async (t) => {
    for (const collectedAt of ['yesterday', '2026-10-31T23:55:00', '2026-10-31']) {
      const evidence = copySample(t);
      const meta = JSON.parse(readFileSync(join(evidence, 'snapshot.json'), 'utf8'));
      writeFileSync(join(evidence, 'snapshot.json'), JSON.stringify({ ...meta, collectedAt }));
      await rejects(readSnapshot(evidence), /snapshot\.json: collectedAt: not a timestamp/);
    }
    const offset = copySample(t);
    const meta = JSON.parse(readFileSync(join(offset, 'snapshot.json'), 'utf8'));
    writeFileSync(join(offset, 'snapshot.json'), JSON.stringify({ ...meta, collectedAt: '2026-11-01T01:55:00+02:00' }));
    assert.equal((await readSnapshot(offset)).meta.collectedAt, '2026-10-31T23:55:00.000Z', 'an offset is kept as the instant, in UTC');

    const item = copySample(t);
    const snapshots = join(item, 'config-snapshots');
    const file = join(
      snapshots,
      readdirSync(snapshots).find((f) => f.startsWith('111111111111_Config_us-east-1'))!,
    );
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.configurationItems[0].configurationItemCaptureTime = '2026-10-31T10:00:00';
    writeFileSync(file, JSON.stringify(doc));
    await rejects(readSnapshot(item), /configurationItems\[0\]\.configurationItemCaptureTime: not a timestamp: "2026-10-31T10:00:00" \(an ISO 8601 time with its zone is expected/);
  });
});

describe('names and text', () => {
  it('CSV cells that a spreadsheet would still read as formulas are neutralised (white space, BOM, zero-width, full-width signs)', async () => {
    const { neutraliseFormula } = await import('../src/render/csv.ts');
    for (const s of [' =1+1', '\t=1+1', '\n=cmd', '\uFEFF=HYPERLINK("http://x")', '\u200B=cmd', '\u2060+1', '\u00A0@SUM(A1)', '\u3000-1', '＝1+1', '＋cmd', '－2', '＠SUM(A1)', ' \uFEFF ＝1']) {
      assert.equal(neutraliseFormula(s), `'${s}`, JSON.stringify(s));
    }
    for (const s of ['ws-1', 'plain text', ' leading space only', 'a=b', '2026-10-31T23:55:00.000Z']) assert.equal(neutraliseFormula(s), s);
  });

  it('diff --format md and the ticket comment carry no Markdown or HTML from the packs', async () => {
    const { driftMarkdown } = await import('../src/period/drift.ts');
    const { commentMarkdown } = await import('../src/attach/summary.ts');
    const hostile = 'Acme <img src=x onerror=alert(1)> [click](https://evil.example) **bold** @everyone | cell\n# heading `code` www.evil.example';
    const counts = { regressed: 1, 'new-failing': 0, 'waiver-expired': 0, 'new-gap': 0, fixed: 0, new: 0, gone: 0, unchanged: 0, changed: 0 };
    const md = driftMarkdown(
      {
        previous: { generatedAt: 'a', catalog: 'c', collectedAt: hostile },
        current: { generatedAt: 'b', catalog: 'c', collectedAt: 'x' },
        catalogChanged: false,
        controls: [{ id: 'AC-2', title: hostile, before: 'pass', after: 'fail', change: 'regressed', mappingChanged: false }],
        frameworks: [{ id: 'x', label: hostile, changes: [{ id: hostile, before: 'pass', after: 'fail', change: 'regressed' }] }],
        items: [
          { control: 'AC-2', key: 'k', change: 'regressed', before: 'pass', after: 'fail', account: '111111111111', region: 'us-east-1', resource: hostile, source: 'check:x', message: hostile },
        ],
        resources: { newlyInScope: [], gone: [] },
        counts,
      },
      { previous: hostile, current: 'pack-b' },
    );
    const comment = commentMarkdown({
      packId: 'pack-1',
      organization: hostile,
      period: '2026-10',
      controls: '1',
      evidenceItems: 1,
      gaps: 0,
      keyFingerprint: 'sha256:00',
      keyLabel: '',
      algorithm: 'Ed25519',
      managedKey: true,
      manifestSha256: '00',
    });
    for (const [what, text] of [
      ['diff', md],
      ['comment', comment],
    ] as const) {
      assert.doesNotMatch(text, /<img|(^|[^\\])\]\(https|(^|[^\\])\*\*bold|(^|[^;])@everyone|https:\/\/evil|(^|[^\\])www\.evil/, `${what}: ${text}`);
      assert.ok(!text.split('\n').some((l) => /^# heading/.test(l)), `${what}: no new block from a value`);
    }
    // A table row stays one row: the value's pipe and line break are escaped.
    const row = md.split('\n').find((l) => l.startsWith('| AC-2'))!;
    assert.equal(row.split(/(?<!\\)\|/).length, 6, row);
  });

  it('sign refuses a FIFO and a name with a newline instead of hanging or writing a manifest the README recipe cannot check', { timeout: 120_000 }, async (t) => {
    const fifo = tempDir(t);
    writeFileSync(join(fifo, 'a.txt'), 'a');
    mkfifo(join(fifo, 'b.txt'));
    const a = await runCliWithin(50_000, ['sign', fifo]);
    assert.equal(a.timedOut, false, 'no hang');
    assert.equal(a.code, 2, a.stderr);
    assert.match(a.stderr, /b\.txt: a named pipe \(FIFO\), not a regular file: refused/);
    const newline = tempDir(t);
    writeFileSync(join(newline, 'a\nb.txt'), 'a');
    const b = await runCliWithin(50_000, ['sign', newline]);
    assert.equal(b.code, 2, b.stderr);
    assert.equal(b.stderr.trimEnd().split('\n').length, 1, b.stderr);
    assert.match(b.stderr, /"a\\nb\.txt": a file name with control characters/);
    assert.ok(!existsSync(join(newline, 'manifest.json')));
  });

  it('user templates that add a script, an event handler or a javascript: link, or drop the CSP, are refused before signing', { timeout: 300_000 }, async (t) => {
    const { loadTemplates } = await import('../src/render/templates.ts');
    const builtIn = readFileSync(join(root, 'templates/report.hbs'), 'utf8');
    const cases: [string, string, RegExp][] = [
      ['script', builtIn.replace('</body>', '<script>fetch("https://x")</script></body>'), /carry active content \(<script/],
      ['handler', builtIn.replace('<body', '<body onload="alert(1)"'), /carry active content/],
      ['javascript link', builtIn.replace('</body>', '<a href="javascript:alert(1)">x</a></body>'), /carry active content/],
      ['refresh', builtIn.replace('<head>', '<head><meta http-equiv="refresh" content="0;url=https://x">'), /carry active content/],
      ['no CSP', builtIn.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''), /lack the built-in Content-Security-Policy/],
      ['loosened CSP', builtIn.replace("default-src 'none'", 'default-src *'), /lack the built-in Content-Security-Policy/],
    ];
    for (const [name, text, expected] of cases) {
      const dir = tempDir(t);
      writeFileSync(join(dir, 'report.hbs'), text);
      const templates = loadTemplates(dir);
      assert.throws(
        () => templates.render({}),
        (e: Error) => e.name === 'UserError' && expected.test(e.message),
        name,
      );
    }
    const same = tempDir(t);
    writeFileSync(join(same, 'report.hbs'), builtIn.replace('</body>', '<p class="mine">Prepared by Acme</p></body>'));
    assert.match(loadTemplates(same).render({}), /Prepared by Acme/, 'a harmless change renders');

    const dir = tempDir(t);
    writeFileSync(join(dir, 'report.hbs'), cases[0]![1]);
    const out = join(tempDir(t), 'out');
    const r = await runCliWithin(250_000, ['run', '--no-pdf', '--templates', dir, '--out', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^evidence-pack: --templates .*: the report would carry active content \(<script\): refused/);
    assert.ok(!existsSync(out) || readdirSync(out).every((f) => !f.startsWith('pack-')), 'nothing signed');
  });
});
