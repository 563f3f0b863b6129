import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { constants, createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { opensslVerifyCommand, verifySignature, type SignatureAlgorithm } from '../src/sign/algorithms.ts';
import { publicKeyFingerprint } from '../src/sign/keys.ts';
import { verifyPack } from '../src/sign/verify.ts';
import { fakeAwsEnv } from './fake-aws.ts';
import { startFakeKms, type FakeKms } from './fake-kms.ts';
import { onlyPack, runCliInProcess, tempDir, untilExit } from './helpers.ts';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/** Runs the README's OpenSSL command inside the pack, as an auditor without our tool would. */
function opensslVerifies(pack: string, algorithm: SignatureAlgorithm): boolean {
  const r = spawnSync('sh', ['-c', opensslVerifyCommand(algorithm)], { cwd: pack, encoding: 'utf8' });
  return r.status === 0 && /Verified OK|Signature Verified Successfully/.test(r.stdout);
}

describe('signing with an AWS KMS key (fake KMS on 127.0.0.1, real KMS client)', () => {
  let kms: FakeKms;
  let work: string;
  let pack: string;
  let run: Awaited<ReturnType<typeof runCliInProcess>>;

  before(async () => {
    kms = await startFakeKms();
    work = tempDir(untilExit);
    run = await runCliInProcess(['run', '--no-pdf', '--out', join(work, 'out'), '--kms-key-id', kms.keyArn, '--json'], fakeAwsEnv(kms.url));
  });
  after(() => kms.close());

  it('signs the manifest digest with kms:Sign and records the algorithm and key in the manifest', () => {
    assert.equal(run.code, 0, run.stderr);
    pack = onlyPack(join(work, 'out'));
    const manifestBytes = readFileSync(join(pack, 'manifest.json'));
    const manifest = JSON.parse(manifestBytes.toString('utf8'));
    assert.equal(manifest.signature.algorithm, 'ECDSA_SHA_256');
    assert.equal(manifest.signature.kmsKeyArn, kms.keyArn);
    assert.equal(manifest.signature.managedKey, true);
    assert.equal(manifest.signature.keyFingerprint, publicKeyFingerprint(kms.publicKey));
    assert.deepEqual(
      kms.requests.map((r) => r.operation),
      ['GetPublicKey', 'Sign'],
    );
    const signRequest = kms.requests[1]!.body;
    assert.equal(signRequest.MessageType, 'DIGEST');
    assert.equal(signRequest.Message, createHash('sha256').update(manifestBytes).digest('base64'));
    assert.match(readFileSync(join(pack, 'README.txt'), 'utf8'), /openssl dgst -sha256 -verify public-key\.pem -signature manifest\.sig manifest\.json/);
  });

  it('verifies offline with the tool, pinned to the KMS public key, with no AWS endpoint at all', async () => {
    const r = await runCliInProcess(['verify', pack, '--expect-key', publicKeyFingerprint(kms.publicKey), '--json'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).algorithm, 'ECDSA_SHA_256');
    assert.equal(kms.requests.length, 2, 'verification made no KMS call');
  });

  it('--expect-kms-key ARN: the public key is read from KMS and pinned; the ARN a manifest names is not enough', async () => {
    const before = kms.requests.length;
    const r = await runCliInProcess(['verify', pack, '--expect-kms-key', kms.keyArn], fakeAwsEnv(kms.url));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`signer verified \\(key ${publicKeyFingerprint(kms.publicKey)}, trusted by --expect-kms-key ${kms.keyArn}\\)`));
    assert.deepEqual(
      kms.requests.slice(before).map((q) => q.operation),
      ['GetPublicKey'],
      'one read, no signing',
    );
    // A pack signed by another key whose manifest names this ARN: refused.
    const other = await startFakeKms();
    try {
      const dir = join(work, 'claims-the-arn');
      assert.equal((await runCliInProcess(['evaluate', '--out', dir])).code, 0);
      assert.equal((await runCliInProcess(['sign', dir, '--kms-key-id', other.keyArn], fakeAwsEnv(other.url))).code, 0);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      assert.equal(manifest.signature.kmsKeyArn, kms.keyArn, "the fake names one ARN for every key: the forger's manifest claims ours");
      const refused = await runCliInProcess(['verify', dir, '--expect-kms-key', kms.keyArn], fakeAwsEnv(kms.url));
      assert.equal(refused.code, 3, refused.stderr);
      assert.match(refused.stderr, /key-mismatch: public-key\.pem: signed by key sha256:[0-9a-f]{64}, not the expected sha256:[0-9a-f]{64} \(--expect-kms-key arn:/);
    } finally {
      await other.close();
    }
    const bad = await runCliInProcess(['verify', pack, '--expect-kms-key', 'alias/evidence-pack']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--expect-kms-key "alias\/evidence-pack": expected a KMS key ARN/);
  });

  it('verifies with the OpenSSL command the pack README gives', { skip: !hasOpenssl && 'openssl is not installed' }, () => {
    assert.equal(opensslVerifies(pack, 'ECDSA_SHA_256'), true);
  });

  it('needs exactly the KMS actions that iam-policy --kms-key-id prints', async () => {
    const policy = JSON.parse((await runCliInProcess(['iam-policy', '--kms-key-id', kms.keyArn])).stdout);
    assert.deepEqual(policy.Statement[0].Action, [...new Set(kms.requests.map((r) => `kms:${r.operation}`))].sort());
    assert.equal(policy.Statement[0].Resource, kms.keyArn);
  });

  it('fails verification when manifest.json is changed or claims another algorithm', async () => {
    const manifestPath = join(pack, 'manifest.json');
    const original = readFileSync(manifestPath);
    try {
      writeFileSync(manifestPath, original.toString('utf8').replace('"ECDSA_SHA_256"', '"ECDSA_SHA_384"'));
      assert.equal((await verifyPack(pack)).ok, false);
      writeFileSync(manifestPath, original.toString('utf8').replace('"ECDSA_SHA_256"', '"Ed25519"'));
      assert.equal((await verifyPack(pack)).ok, false);
      writeFileSync(manifestPath, original.toString('utf8').replace('"ECDSA_SHA_256"', '"NONE"'));
      const r = await verifyPack(pack);
      assert.equal(r.ok, false);
      assert.match(r.problems[0]!.detail, /unknown signature algorithm "NONE"/);
    } finally {
      writeFileSync(manifestPath, original);
    }
    assert.equal((await verifyPack(pack)).ok, true);
  });

  it('signs an evaluated directory with a P-384 key through `sign` and an alias', async () => {
    const p384 = await startFakeKms({ keySpec: 'ECC_NIST_P384' });
    try {
      const dir = join(work, 'work384');
      assert.equal((await runCliInProcess(['evaluate', '--out', dir])).code, 0);
      const r = await runCliInProcess(['sign', dir, '--kms-key-id', 'alias/evidence-pack', '--region', 'eu-west-1'], fakeAwsEnv(p384.url));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /ECDSA_SHA_384/);
      const v = await verifyPack(dir, { expectKey: publicKeyFingerprint(p384.publicKey) });
      assert.equal(v.ok, true, JSON.stringify(v.problems));
      if (hasOpenssl) assert.equal(opensslVerifies(dir, 'ECDSA_SHA_384'), true);
    } finally {
      await p384.close();
    }
  });
});

describe('KMS failures leave no pack behind', () => {
  const cases = [
    { name: 'kms:Sign denied', fake: { denySign: true }, expect: /--kms-key-id arn:aws:kms:eu-west-1:111122223333:key\/\S+ \(eu-west-1\): signing failed \(kms:Sign\): AccessDeniedException/ },
    { name: 'a signature the published key does not verify', fake: { signWithOtherKey: true }, expect: /KMS returned a signature that the key's public key does not verify/ },
    { name: 'an unknown key', fake: {}, keyId: 'arn:aws:kms:eu-west-1:111122223333:key/missing', expect: /cannot read the public key \(kms:GetPublicKey\): NotFoundException/ },
  ];
  for (const c of cases) {
    it(`${c.name}: exit 2, one line, nothing in out/`, async (t) => {
      const kms = await startFakeKms(c.fake);
      t.after(() => kms.close());
      const work = tempDir(t);
      const out = join(work, 'out');
      const r = await runCliInProcess(['run', '--no-pdf', '--out', out, '--kms-key-id', c.keyId ?? kms.keyArn], fakeAwsEnv(kms.url));
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, c.expect);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.ok(!existsSync(out) || readdirSync(out, { recursive: true }).every((f) => !String(f).includes('pack-')), 'no pack or partial pack');
    });
  }
});

describe('signature algorithms verify what KMS produces and nothing else', () => {
  const message = Buffer.from('{"schema":"evidence-pack/manifest@1"}\n');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const cases: [SignatureAlgorithm, Buffer, typeof rsa.publicKey][] = [
    ['RSASSA_PSS_SHA_256', sign('sha256', message, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }), rsa.publicKey],
    ['RSASSA_PSS_SHA_512', sign('sha512', message, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 }), rsa.publicKey],
    ['RSASSA_PKCS1_V1_5_SHA_256', sign('sha256', message, rsa.privateKey), rsa.publicKey],
    ['ECDSA_SHA_256', sign('sha256', message, ec.privateKey), ec.publicKey],
  ];
  for (const [algorithm, signature, publicKey] of cases) {
    it(`${algorithm}: valid, and invalid for a changed byte or a key of another type`, () => {
      assert.equal(verifySignature(algorithm, message, publicKey, signature), true);
      const changed = Buffer.from(message);
      changed[3] = changed[3]! ^ 1;
      assert.equal(verifySignature(algorithm, changed, publicKey, signature), false);
      assert.equal(verifySignature(algorithm, message, publicKey === rsa.publicKey ? ec.publicKey : rsa.publicKey, signature), false);
    });
  }
  it('the OpenSSL command for RSA-PSS checks a KMS-style signature', { skip: !hasOpenssl && 'openssl is not installed' }, (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'manifest.json'), message);
    writeFileSync(join(dir, 'manifest.sig'), cases[0]![1]);
    writeFileSync(join(dir, 'public-key.pem'), rsa.publicKey.export({ type: 'spki', format: 'pem' }));
    assert.equal(opensslVerifies(dir, 'RSASSA_PSS_SHA_256'), true);
  });
});
