import { gunzipSync, gzipSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readResult } from '../src/evaluate/read-result.ts';
import { UserError } from '../src/core/errors.ts';
import { writeEvidenceCsv } from '../src/render/csv.ts';
import { listFiles, runCliInProcess, sampleDir, tempDir } from './helpers.ts';

const snapshotFile = (dir: string) =>
  join(
    dir,
    'config-snapshots',
    readdirSync(join(dir, 'config-snapshots')).find((f) => f.startsWith('111111111111_Config_us-east-1'))!,
  );

/** Copies the sample, breaks it, runs `run`, and checks: exit 2, one line naming the problem, out/ untouched. */
async function expectRejected(t: Parameters<typeof tempDir>[0], breakIt: (evidence: string) => void, expected: RegExp) {
  const work = tempDir(t);
  const evidence = join(work, 'evidence');
  cpSync(sampleDir, evidence, { recursive: true });
  breakIt(evidence);
  const out = join(work, 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'previous-pack-marker'), 'keep me');
  const before = listFiles(out);
  const r = await runCliInProcess(['run', '--evidence', evidence, '--out', out, '--no-pdf']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.match(lines[0]!, expected);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(listFiles(out), before, 'out/ unchanged');
  assert.deepEqual(
    readdirSync(out).filter((f) => f.startsWith('.tmp')),
    [],
    'no temp dir left',
  );
}

describe('bad input: one clear line, exit 2, nothing written', () => {
  it('a truncated or malformed snapshot file names the file and the item', async (t) => {
    await expectRejected(
      t,
      (e) => writeFileSync(snapshotFile(e), readFileSync(snapshotFile(e), 'utf8').slice(0, 500)),
      /^evidence-pack: .*111111111111_Config_us-east-1_ConfigSnapshot_.*\.json: truncated JSON: the document ends early$/,
    );
    await expectRejected(
      t,
      (e) => {
        const doc = JSON.parse(readFileSync(snapshotFile(e), 'utf8'));
        doc.configurationItems[2].resourceId = 'BREAK-HERE';
        writeFileSync(snapshotFile(e), JSON.stringify(doc, null, 2).replace('"BREAK-HERE"', 'BREAK-HERE'));
      },
      /^evidence-pack: .*ConfigSnapshot_.*\.json: configurationItems\[2\]: malformed JSON$/,
    );
  });

  it('a wrong type names the file and the field', async (t) => {
    await expectRejected(
      t,
      (e) => {
        const doc = JSON.parse(readFileSync(snapshotFile(e), 'utf8'));
        doc.configurationItems[3].resourceType = 42;
        writeFileSync(snapshotFile(e), JSON.stringify(doc));
      },
      /ConfigSnapshot_.*\.json: configurationItems\[3\]\.resourceType: must be string$/,
    );
  });

  it('an unknown compliance type names the field and the allowed values', async (t) => {
    await expectRejected(
      t,
      (e) => {
        const f = join(e, 'aws/111111111111/us-east-1/config/GetComplianceDetailsByConfigRule/root-account-mfa-enabled-conformance-pack-x2k4m6p8q.json');
        writeFileSync(f, readFileSync(f, 'utf8').replace('"COMPLIANT"', '"MOSTLY_COMPLIANT"'));
      },
      /root-account-mfa-enabled-conformance-pack-x2k4m6p8q\.json: EvaluationResults\[0\]\.ComplianceType: must be equal to one of the allowed values/,
    );
  });

  it('a missing snapshot.json, an unrecognised file and an account outside the scope are named', async (t) => {
    await expectRejected(t, (e) => writeFileSync(join(e, 'snapshot.json'), '{"schema": "evidence-pack/snapshot@1"}'), /snapshot\.json: snapshotId: must have required property 'snapshotId'$/);
    await expectRejected(t, (e) => writeFileSync(join(e, 'notes.json'), '{}'), /notes\.json: unrecognised evidence file/);
    await expectRejected(
      t,
      (e) => {
        const doc = JSON.parse(readFileSync(snapshotFile(e), 'utf8'));
        doc.configurationItems[0].awsAccountId = '999999999999';
        writeFileSync(snapshotFile(e), JSON.stringify(doc));
      },
      /account 999999999999 is not in snapshot\.json scope\.accounts$/,
    );
  });

  it('a missing evidence directory', async (t) => {
    const work = tempDir(t);
    const r = await runCliInProcess(['run', '--evidence', join(work, 'nope'), '--out', join(work, 'out')]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `evidence-pack: ${join(work, 'nope')}: evidence directory not found\n`);
    assert.deepEqual(readdirSync(work), [], 'out/ not created');
  });

  it('an unknown flag or command', async () => {
    const flag = await runCliInProcess(['run', '--evidnce', 'x']);
    assert.equal(flag.code, 2);
    assert.equal(flag.stderr, 'evidence-pack: Unknown argument: evidnce (see --help)\n');
    const cmd = await runCliInProcess(['frobnicate']);
    assert.equal(cmd.code, 2);
    assert.match(cmd.stderr, /^evidence-pack: Unknown argument: frobnicate/);
  });

  it('a signing key that is not Ed25519', async (t) => {
    const work = tempDir(t);
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    writeFileSync(join(work, 'rsa.pem'), rsa);
    const r = await runCliInProcess(['run', '--out', join(work, 'out'), '--signing-key', join(work, 'rsa.pem'), '--no-pdf']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /rsa\.pem: an Ed25519 key is required, got rsa/);
  });

  it('verify of something that is not a pack exits 3 and says why', async (t) => {
    const work = tempDir(t);
    const r = await runCliInProcess(['verify', work]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^missing: manifest\.json: required for verification$/m);
  });

  it('render of a pack whose items changed since evaluation refuses, naming the file, in either CSV thread', async (t) => {
    const pack = join(tempDir(t), 'pack');
    assert.equal((await runCliInProcess(['evaluate', '--out', pack, '--quiet'])).code, 0);
    const result = readResult(join(pack, 'result.json'));
    const last = result.controls.filter((c) => c.items?.[0]?.count).at(-1)!;
    const file = join(pack, last.items![0]!.file);
    const original = gunzipSync(readFileSync(file)).toString('utf8');
    writeFileSync(file, gzipSync(`${original}{"status":"pass"}\n`));
    const r = await runCliInProcess(['render', pack, '--no-pdf']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr.trim(), new RegExp(`^evidence-pack: .*${last.id}\\.jsonl\\.gz: sha256 \\w+…, where result.json pins ${last.items![0]!.count} lines, sha256`));
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.deepEqual(
      readdirSync(pack).filter((f) => f.startsWith('.tmp-render-') || /^(evidence\.csv|report\.)/.test(f)),
      [],
      'nothing of the refused render is left',
    );
    await assert.rejects(
      writeEvidenceCsv(result, pack, join(pack, 'two.csv'), { threadedFrom: 0 }),
      (e) => e instanceof UserError && e.message.includes(`${last.id}.jsonl.gz`),
      "the second thread's error is the same one line",
    );
    assert.ok(!existsSync(join(pack, 'two.csv.part')), 'no part left behind');

    // A line that is not JSON in a file pinned as it is (a pack made that way) is named by its line.
    const broken = gzipSync(original.replace(/\n(?=.)/, '\n{"broken\n'));
    writeFileSync(file, broken);
    const pinned = JSON.parse(readFileSync(join(pack, 'result.json'), 'utf8'));
    Object.assign(pinned.controls.find((c: { id: string }) => c.id === last.id).items[0], {
      count: last.items![0]!.count + 1,
      bytes: broken.length,
      sha256: createHash('sha256').update(broken).digest('hex'),
    });
    writeFileSync(join(pack, 'result.json'), JSON.stringify(pinned));
    const line = await runCliInProcess(['render', pack, '--no-pdf', '--force']);
    assert.equal(line.code, 2, line.stderr);
    assert.match(line.stderr.trim(), new RegExp(`^evidence-pack: .*${last.id}\\.jsonl\\.gz: line 2: not JSON \\(`));
  });
});
