import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { onlyPack, runCliInProcess, sampleDir, tempDir, untilExit } from './helpers.ts';

describe('diff between two monthly packs', () => {
  let previous: string;
  let current: string;
  let work: string;
  /** Both packs are signed by one key; pinned, as an auditor comparing them would. */
  let pin: string[];

  before(async () => {
    work = tempDir(untilExit);
    const pair = generateKeyPairSync('ed25519');
    const key = join(work, 'key.pem');
    writeFileSync(key, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    pin = ['--expect-key', (await import('../src/sign/keys.ts')).publicKeyFingerprint(pair.publicKey)];
    // Last month's estate: one WorkSpace still encrypted, another not yet fixed, a bucket not yet created.
    const evidence = join(work, 'september');
    cpSync(sampleDir, evidence, { recursive: true });
    const file = join(
      evidence,
      'config-snapshots',
      readdirSync(join(evidence, 'config-snapshots')).find((f) => f.startsWith('111111111111_Config_us-east-1'))!,
    );
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.configurationItems.find((i: any) => i.resourceId === 'ws-b8n3p5r2t').configuration.RootVolumeEncryptionEnabled = true;
    doc.configurationItems.find((i: any) => i.resourceId === 'ws-f2k9x7m1q').configuration.UserVolumeEncryptionEnabled = false;
    doc.configurationItems = doc.configurationItems.filter((i: any) => i.resourceId !== 'legacy-exports-2019');
    writeFileSync(file, JSON.stringify(doc));
    const prev = await runCliInProcess(['run', '--evidence', evidence, '--out', join(work, 'prev'), '--no-pdf', '--signing-key', key], { SOURCE_DATE_EPOCH: '1789430400' }); // 2026-09-15
    assert.equal(prev.code, 0, prev.stderr);
    const cur = await runCliInProcess(['run', '--out', join(work, 'cur'), '--no-pdf', '--signing-key', key], { SOURCE_DATE_EPOCH: '1793491200' }); // 2026-11-01
    assert.equal(cur.code, 0, cur.stderr);
    previous = onlyPack(join(work, 'prev'));
    current = onlyPack(join(work, 'cur'));
  });

  it('names what regressed, what was fixed, what is new, and which waiver expired', async () => {
    const r = await runCliInProcess(['diff', `${previous}.zip`, current, '--format', 'json', ...pin]);
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout);
    const find = (change: string, resource: string) => d.items.filter((i: any) => i.change === change && i.resource?.endsWith(resource));
    assert.equal(find('regressed', 'ws-b8n3p5r2t')[0].control, 'WSAS-11');
    assert.equal(find('fixed', 'ws-f2k9x7m1q')[0].before, 'fail');
    assert.ok(find('new-failing', 'legacy-exports-2019').length >= 1);
    assert.deepEqual(d.resources.newlyInScope, ['111111111111/us-east-1/AWS::S3::Bucket/legacy-exports-2019']);
    const expired = find('waiver-expired', '3a4b5c6d-7e8f-4a1b-9c2d-0e1f2a3b4c5d');
    assert.equal(expired.length, 1);
    assert.deepEqual([expired[0].before, expired[0].after], ['waived', 'fail']);
    assert.equal(d.catalogChanged, false);
    // A monthly drift of a large estate stays small: what changed is listed, what did not is counted.
    assert.ok(
      d.items.every((i: any) => i.change !== 'unchanged'),
      'unchanged items are not listed',
    );
    assert.ok(d.counts.unchanged > 0, 'but counted');
    assert.equal(
      d.items.length,
      Object.entries(d.counts)
        .filter(([k]) => k !== 'unchanged')
        .reduce((n, [, v]) => n + (v as number), 0),
    );
  });

  it('prints Markdown for tickets, and exits 6 for --fail-on regressed', async () => {
    const r = await runCliInProcess(['diff', previous, current, '--fail-on', 'regressed', ...pin]);
    assert.equal(r.code, 6);
    assert.match(r.stdout, /^# Drift: pack-20260915T000000Z-[0-9a-f]{8} → pack-20261101T000000Z-[0-9a-f]{8}/);
    assert.match(r.stdout, /## regressed \(\d+\)\n\n(- .*\n)*- WSAS-11 111111111111\/us-east-1 AWS::WorkSpaces::Workspace ws-b8n3p5r2t \[check:workspaces-volume-encryption\]: pass → fail/);
    assert.match(r.stderr, /--fail-on regressed: condition met/);
    const same = await runCliInProcess(['diff', current, current, ...pin, '--fail-on', 'regressed', 'gap']);
    assert.equal(same.code, 0, same.stderr);
  });

  it('refuses a previous pack that does not verify', async () => {
    const tampered = join(work, 'tampered');
    cpSync(previous, tampered, { recursive: true });
    writeFileSync(join(tampered, 'result.json'), readFileSync(join(tampered, 'result.json'), 'utf8').replace('"fail"', '"pass"'));
    const r = await runCliInProcess(['diff', tampered, current, ...pin]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /tampered: does not verify \(changed result\.json\); refusing to compare/);
  });

  it('without a trust anchor: prints the drift, says each signer is not verified, exits 8 (6 when --fail-on is met)', async () => {
    const r = await runCliInProcess(['diff', previous, current]);
    assert.equal(r.code, 8, r.stderr);
    assert.match(r.stdout, /^# Drift: /);
    assert.match(r.stdout, /^> Signer not verified: pack-20260915T000000Z-[0-9a-f]{8} \(key sha256:[0-9a-f]{64}\)/m);
    assert.match(r.stdout, /^> Signer not verified: pack-20261101T000000Z-[0-9a-f]{8} /m);
    assert.equal(r.stderr.match(/intact, signer not verified: signed by key sha256:[0-9a-f]{64}/g)?.length, 2, r.stderr);
    const json = JSON.parse((await runCliInProcess(['diff', previous, current, '--format', 'json'])).stdout);
    assert.deepEqual([json.signers.previous.verified, json.signers.current.verified], [false, false]);
    assert.equal((await runCliInProcess(['diff', previous, current, '--fail-on', 'regressed'])).code, 6);
    const pinned = JSON.parse((await runCliInProcess(['diff', previous, current, '--format', 'json', ...pin])).stdout);
    assert.deepEqual([pinned.signers.previous.verified, pinned.signers.current.verified], [true, true]);
  });

  it('reads a previous pack of the older format (result@4: plain JSON-lines files) as it reads the new one', async (t) => {
    const older = join(tempDir(t), 'older');
    cpSync(previous, older, { recursive: true });
    for (const f of ['manifest.json', 'manifest.sig', 'public-key.pem']) rmSync(join(older, f));
    const result = JSON.parse(readFileSync(join(older, 'result.json'), 'utf8'));
    const plain = (part: { file: string }) => {
      const text = gunzipSync(readFileSync(join(older, part.file)));
      rmSync(join(older, part.file));
      const file = part.file.replace(/\.gz$/, '');
      writeFileSync(join(older, file), text);
      return { ...part, file, bytes: text.length, sha256: createHash('sha256').update(text).digest('hex') };
    };
    result.schema = 'evidence-pack/result@4';
    result.inventory = result.inventory.map(plain);
    for (const c of result.controls) if (c.items) c.items = c.items.map(plain);
    writeFileSync(join(older, 'result.json'), JSON.stringify(result));
    assert.ok(!readdirSync(join(older, 'items')).some((f) => f.endsWith('.gz')), 'no gzip lines file left');
    const signed = await runCliInProcess(['sign', older, '--signing-key', join(work, 'key.pem'), '--quiet']);
    assert.equal(signed.code, 0, signed.stderr);
    const fromOlder = await runCliInProcess(['diff', older, current, '--format', 'json', ...pin]);
    assert.equal(fromOlder.code, 0, fromOlder.stderr);
    const fromNew = await runCliInProcess(['diff', previous, current, '--format', 'json', ...pin]);
    const changes = (stdout: string) => {
      const d = JSON.parse(stdout);
      return { items: d.items, counts: d.counts, resources: d.resources };
    };
    assert.deepEqual(changes(fromOlder.stdout), changes(fromNew.stdout));
    assert.ok(JSON.parse(fromOlder.stdout).items.length > 0, 'and there are changes to compare');
  });

  it('refuses a pack signed by a key other than the pinned one (exit 3), and an empty pin (exit 2)', async () => {
    const other = `sha256:${'c'.repeat(64)}`;
    const r = await runCliInProcess(['diff', previous, current, '--expect-key', other]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, new RegExp(`does not verify \\(signed by key sha256:[0-9a-f]{64}, not the expected ${other} \\(--expect-key\\)\\); refusing to compare`));
    assert.equal((await runCliInProcess(['diff', previous, current, '--expect-key='])).code, 2);
  });
});

describe('diff of two packs of the same evidence', () => {
  // A rule and its conformance-pack copy evaluate the same resources: AWS names the copy
  // "<rule>-conformance-pack-<id>", and both share one managed-rule identifier.
  it('shows no change where a rule and its conformance-pack copy judge the same resources', async (t) => {
    const work = tempDir(t);
    const pair = generateKeyPairSync('ed25519');
    const key = join(work, 'key.pem');
    writeFileSync(key, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const pin = ['--expect-key', (await import('../src/sign/keys.ts')).publicKeyFingerprint(pair.publicKey)];
    const evidence = join(work, 'evidence');
    cpSync(sampleDir, evidence, { recursive: true });
    const config = join(evidence, 'aws/222222222222/us-east-1/config');
    const rules = JSON.parse(readFileSync(join(config, 'DescribeConfigRules.json'), 'utf8'));
    const copies: string[] = [];
    for (const rule of [...rules.ConfigRules]) {
      const name = rule.ConfigRuleName.replace(/-conformance-pack-[a-z0-9]+$/, '');
      const details = join(config, 'GetComplianceDetailsByConfigRule', `${rule.ConfigRuleName}.json`);
      rules.ConfigRules.push({ ...rule, ConfigRuleName: name, ConfigRuleArn: `${rule.ConfigRuleArn}-standalone`, ConfigRuleId: `${rule.ConfigRuleId}0` });
      writeFileSync(join(config, 'GetComplianceDetailsByConfigRule', `${name}.json`), readFileSync(details, 'utf8').replaceAll(rule.ConfigRuleName, name));
      copies.push(name);
    }
    writeFileSync(join(config, 'DescribeConfigRules.json'), JSON.stringify(rules));
    const packs: string[] = [];
    for (const out of ['first', 'second']) {
      const r = await runCliInProcess(['run', '--evidence', evidence, '--out', join(work, out), '--no-pdf', '--signing-key', key]);
      assert.equal(r.code, 0, r.stderr);
      packs.push(onlyPack(join(work, out)));
    }
    const r = await runCliInProcess(['diff', packs[0]!, packs[1]!, '--format', 'json', ...pin]);
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout);
    assert.deepEqual(d.items, []);
    assert.deepEqual(
      Object.entries(d.counts).filter(([k, n]) => k !== 'unchanged' && n !== 0),
      [],
    );
    // The copies were evaluated (the estate does hold both): each is an unchanged item of its own.
    const result = JSON.parse(readFileSync(join(packs[1]!, 'result.json'), 'utf8'));
    const names = new Set(
      result.controls
        .flatMap((c: any) => c.evidence)
        .filter((i: any) => i.source.kind === 'config-rule')
        .map((i: any) => i.source.ruleName),
    );
    assert.ok(copies.some((n) => names.has(n)) && [...names].some((n) => /-conformance-pack-/.test(n as string)), [...names].join(', '));
  });
});
