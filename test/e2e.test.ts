import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { ControlResult, Result } from '../src/evaluate/result.ts';
import { detachedCmsSignature } from '../src/sign/cms-signature.ts';
import { demoPdfCertificate } from '../src/sign/pdf-signature.ts';
import { listFiles, onlyPack, packFileText, runCliInProcess, tempDir, packResult } from './helpers.ts';
import { sampleRunCopy } from './shared-sample.ts';

// Values planted in the sample; none may appear in any output.
export const plantedSecrets = ['jane.doe@example.com', 'Hunter2Secret', 'svc-feedback:', 'Autumn#2026', 'kms-owner@example.com', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'];

/** The sample's run with its PDF, shared by the test files that only read its pack (a print is most of a run's time). */
let sampleRun: ReturnType<typeof sampleRunCopy> | undefined;
const samplePack = () => (sampleRun ??= sampleRunCopy());

describe('evidence-pack run on the embedded sample', () => {
  let pack: string;
  let result: Result;
  let runOutput: { code: number | null; stdout: string; stderr: string };
  const control = (id: string): ControlResult => result.controls.find((c) => c.id === id)!;
  const item = (controlId: string, resourceId: string, source?: string) =>
    control(controlId).evidence.filter(
      (e) => e.resource?.id === resourceId && (!source || (e.source.kind === 'check' ? e.source.id : e.source.kind === 'config-rule' ? e.source.rule : '') === source),
    );

  before(async () => {
    ({ output: runOutput, pack } = await samplePack());
    result = await packResult(pack);
  });

  it('prints one summary line with where it wrote and the counts by status', () => {
    const lines = runOutput.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(
      lines[0]!,
      /^Wrote .*pack-\d{8}T\d{6}Z-[0-9a-f]{8} and pack-\d{8}T\d{6}Z-[0-9a-f]{8}\.zip \(period \d{4}-\d{2}, \d+ files, signed with demo key sha256:[0-9a-f]{16}…\): 18 controls: fail \d+/,
    );
    assert.equal(runOutput.stderr, '', 'nothing on stderr in CI');
  });

  it('writes the pack files', () => {
    const files = listFiles(pack);
    for (const f of [
      'manifest.json',
      'manifest.sig',
      'public-key.pem',
      'README.txt',
      'result.json',
      'report.html',
      'report.pdf',
      'evidence.csv',
      'evidence/snapshot.json',
      'waivers.yaml',
      'attestations/pcoip-gpo-export.txt',
    ]) {
      assert.ok(files.includes(f), `${f} in pack`);
    }
    assert.ok(files.filter((f) => f.startsWith('evidence/config-snapshots/')).length === 3);
  });

  it('decides specific sample resources as the evidence says', () => {
    assert.equal(item('WSAS-11', 'ws-f2k9x7m1q')[0]!.status, 'pass');
    assert.equal(item('WSAS-11', 'ws-b8n3p5r2t')[0]!.status, 'fail');
    assert.match(item('WSAS-11', 'ws-b8n3p5r2t')[0]!.message, /root volume not encrypted/);
    assert.equal(item('WSAS-11', 'ws-d1e3g5k7m')[0]!.status, 'waived', 'under active waiver W-2026-031');
    assert.match(item('WSAS-11', 'ws-d1e3g5k7m')[0]!.message, /waived by W-2026-031: .*until 2027-01-31, https:\/\/jira\.example\.com\/browse\/SEC-2041\)$/);
    const expired = item('WSAS-05', '3a4b5c6d-7e8f-4a1b-9c2d-0e1f2a3b4c5d', 'kms-key-rotation')[0]!;
    assert.equal(expired.status, 'fail', 'an expired waiver leaves the item failing');
    assert.match(expired.message, /waiver W-2026-007 expired on 2026-09-30/);
    assert.equal(item('WSAS-07', 'd-906734a1b2')[0]!.status, 'pass');
    assert.equal(item('WSAS-07', 'd-93671f2e3d')[0]!.status, 'fail');
    assert.equal(item('WSAS-13', 'analyst-stack')[0]!.status, 'pass');
    assert.equal(item('WSAS-13', 'dev-stack')[0]!.status, 'not-applicable');
    assert.equal(item('WSAS-10', 'analyst-stack')[0]!.status, 'fail');
    assert.equal(item('WSAS-09', 'ws-f2k9x7m1q')[0]!.status, 'fail');
    assert.equal(item('WSAS-09', 'ws-c4d6f8h0j')[0]!.status, 'fail');
    assert.equal(item('WSAS-02', 'AIDAQ3EGRKZ7BOBOPS002', 'IAM_USER_MFA_ENABLED')[0]!.status, 'fail');
    assert.equal(item('WSAS-02', 'AIDAQ3EGRKZ7ALICE0001', 'IAM_USER_MFA_ENABLED')[0]!.status, 'pass');
    assert.equal(item('WSAS-02', 'AIDAQ3EGRKZ7CIDEPL004', 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS')[0]!.status, 'not-applicable');
    assert.equal(item('WSAS-05', '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', 'CMK_BACKING_KEY_ROTATION_ENABLED')[0]!.status, 'gap', 'INSUFFICIENT_DATA is a gap');
    assert.equal(item('WSAS-06', '222222222222/us-east-1')[0]!.status, 'fail', 'Macie PAUSED');
    assert.match(item('WSAS-02', 'AIDAQ3EGRKZ7CIDEPL004', 'iam-user-mfa')[0]!.message, /^no MFA device; no console password, 1 active access key/);
    assert.equal(item('WSAS-02', 'AIDAQ3EGRKZ7ALICE0001', 'iam-user-mfa')[0]!.status, 'pass');
    assert.equal(item('WSAS-02', '222222222222', 'iam-root-mfa')[0]!.status, 'pass');
    assert.equal(item('WSAS-15', 'dev-fleet')[0]!.status, 'fail', 'no VPC, default internet access');
    assert.equal(item('WSAS-15', 'analyst-fleet')[0]!.status, 'pass');
    assert.match(item('WSAS-13', 'analyst-stack')[0]!.message, /application settings → s3:\/\/appstream-app-settings-us-east-1-111111111111-k2j4h6:/);
  });

  it('lists deployed rules that no control uses, with their results, instead of dropping them', () => {
    assert.deepEqual(
      result.unmappedRules!.map((r) => [r.rule, r.owner, `${r.results.pass}/${r.results.fail}`]),
      [['arn:aws:lambda:us-east-1:111111111111:function:required-tags-costcenter', 'CUSTOM_LAMBDA', '1/1']],
    );
    // A managed rule that tests a control's property is that control's evidence, not an unmapped rule.
    assert.equal(item('WSAS-05', 'legacy-exports-2019', 'S3_DEFAULT_ENCRYPTION_KMS')[0]!.status, 'fail');
  });

  it('rolls controls up honestly: inherited, manual, gap never pass', () => {
    assert.equal(control('WSAS-01').status, 'inherited');
    assert.equal(control('WSAS-14').status, 'inherited');
    assert.equal(control('WSAS-12').status, 'manual');
    assert.match(control('WSAS-12').statusReason, /^attested by Priya Natarajan \(End-user computing lead\) on 2026-10-20, valid until 2027-04-20$/);
    assert.equal(control('WSAS-12').attestations[0]!.evidence[0]!.path, 'attestations/pcoip-gpo-export.txt');
    assert.match(control('WSAS-17').statusReason, /staff-training\.yaml expired: a current one is needed/);
    assert.equal(control('WSAS-18').status, 'manual');
    assert.match(control('WSAS-18').statusReason, /an attestation by the customer is needed/);
    assert.equal(control('WSAS-08').status, 'fail', 'standard endpoints called in us-east-1, where FIPS endpoints exist');
    assert.match(item('WSAS-08', '111111111111/eu-west-1')[0]!.message, /no FIPS endpoints in eu-west-1/);
    assert.equal(control('WSAS-03').status, 'fail', 'an old CLI used TLS 1.1 in 222222222222/us-east-1');
    assert.match(item('WSAS-03', '222222222222/us-east-1')[0]!.message, /1 call\(s\) below TLS 1\.2 .*aws-cli\/1\.16\.0/);
    assert.equal(control('WSAS-12').statusReason.startsWith('attested by'), true);
    assert.equal(control('WSAS-13').status, 'gap', 'the stopped recorder in 222222222222/eu-west-1 leaves a gap, not a pass');
    assert.equal(control('WSAS-11').status, 'fail');
    const stopped = control('WSAS-11').evidence.find((e) => e.account === '222222222222' && e.region === 'eu-west-1');
    assert.equal(stopped?.status, 'gap');
    assert.match(stopped!.message, /not recording/);
    const absent = control('WSAS-13').evidence.find((e) => e.account === '111111111111' && e.region === 'eu-west-1');
    assert.equal(absent?.status, 'not-applicable');
    assert.match(absent!.message, /^0 AWS::AppStream::Stack in 111111111111\/eu-west-1; recorder "default" recording all supported types/);
    assert.match(control('WSAS-06').evidence.find((e) => e.account === '222222222222' && e.region === 'eu-west-1')!.message, /AccessDenied/);
  });

  it('reports where a built-in check and an AWS Config rule disagree', () => {
    assert.equal(control('WSAS-05').disagreements.length, 1);
    assert.match(control('WSAS-05').disagreements[0]!, /legacy-exports-2019.*says fail.*says pass/);
    // In the gaps appendix too, with its text (not only the control's id).
    const appendix = readFileSync(join(pack, 'report.html'), 'utf8').split('<section id="gaps">')[1]!.split('</section>')[0]!;
    assert.match(appendix, /<li><a href="#control-WSAS-05">WSAS-05<\/a>: AWS::S3::Bucket legacy-exports-2019 \(111111111111\/us-east-1\): built-in check s3-bucket-default-encryption says fail/);
    assert.match(appendix, /AWS Config rules that no control uses[\s\S]*required-tags-costcenter[\s\S]*1 pass, 1 fail/);
    assert.ok(!appendix.includes('S3_DEFAULT_ENCRYPTION_KMS'), "a managed rule a control lists is that control's evidence, not unmapped");
  });

  it('maps every control to NIST SP 800-53 rev5 with FedRAMP membership, and GDPR where it applies', () => {
    const mfa = control('WSAS-02').mappings;
    assert.deepEqual(
      mfa['nist-sp-800-53-r5']!.map((m) => m.id),
      ['IA-2(1)', 'IA-2(2)'],
    );
    assert.ok(mfa['nist-sp-800-53-r5']!.every((m) => m.in?.includes('fedramp-r5-moderate')));
    assert.deepEqual(
      mfa.gdpr!.map((m) => m.id),
      ['Art. 32'],
    );
    assert.ok(control('WSAS-07').mappings['nist-sp-800-53-r5']!.some((m) => m.id === 'SC-13' && m.in?.includes('fips')));
  });

  it('carries provenance on every evidence item', () => {
    for (const c of result.controls) {
      for (const e of c.evidence) {
        assert.ok(e.account && e.region && e.observedAt && e.source, `${c.id}: ${JSON.stringify(e)}`);
        if (e.origin) assert.ok(listFiles(pack).includes(e.origin.file), `${e.origin.file} is in the pack`);
      }
    }
  });

  it('masks planted sensitive values in every output file, the PDF text included', () => {
    const pdfText = execFileSync('pdftotext', [join(pack, 'report.pdf'), '-'], { encoding: 'utf8' });
    for (const file of listFiles(pack)) {
      const text = file.endsWith('.pdf') ? pdfText : packFileText(join(pack, file), 'latin1');
      for (const secret of plantedSecrets) assert.ok(!text.includes(secret), `${secret} leaked into ${file}`);
    }
    assert.match(pdfText, /\[REDACTED email #[0-9a-f]{8}\]/);
    assert.match(pdfText, /\[REDACTED url-credentials #[0-9a-f]{8}\]/);
    assert.match(pdfText, /\[REDACTED secret-assignment #[0-9a-f]{8}\]/);
  });

  it('prints a PDF with the control ids, page numbers and sections', () => {
    const text = execFileSync('pdftotext', ['-layout', join(pack, 'report.pdf'), '-'], { encoding: 'utf8' });
    for (const id of ['WSAS-01', 'WSAS-07', 'WSAS-14', 'IA-2(1)', 'SC-28(1)', 'Art. 32']) assert.ok(text.includes(id), id);
    for (const heading of ['Executive summary', 'Controls and evidence', 'FedRAMP Rev. 5 Moderate', 'Shared responsibility matrix', 'Method and chain of custody']) {
      assert.ok(text.includes(heading), heading);
    }
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [join(pack, 'report.pdf')], { encoding: 'utf8' }))![1]);
    assert.ok(text.includes(`Page 1 of ${pages}`) && text.includes(`Page ${pages} of ${pages}`));
    // The contents give each section's page, and that page does start the section.
    const contents = execFileSync('pdftotext', ['-layout', '-f', '2', '-l', '2', join(pack, 'report.pdf'), '-'], { encoding: 'utf8' });
    const methodPage = Number(/Method and chain of custody\s+(\d+)/.exec(contents)![1]);
    const onThatPage = execFileSync('pdftotext', ['-f', String(methodPage), '-l', String(methodPage), join(pack, 'report.pdf'), '-'], { encoding: 'utf8' });
    assert.match(onThatPage, /Method and chain of custody/);
    const controlPage = Number(/WSAS-11 WorkSpaces root and user volumes encrypted with AWS KMS\s+Fail\s+(\d+)/.exec(contents)![1]);
    assert.match(execFileSync('pdftotext', ['-f', String(controlPage), '-l', String(controlPage), join(pack, 'report.pdf'), '-'], { encoding: 'utf8' }), /WSAS-11 WorkSpaces root and user volumes/);
  });

  it('renders HTML that needs no scripts and makes no external requests', () => {
    const html = readFileSync(join(pack, 'report.html'), 'utf8');
    assert.ok(!/<script/i.test(html));
    assert.ok(!/src="(?!data:)/i.test(html), 'nothing loaded from anywhere but data: URIs');
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    assert.ok(
      hrefs.every((h) => h.startsWith('#') || /^https:\/\/jira\.example\.com\//.test(h)),
      `only in-page links and waiver tickets: ${hrefs.filter((h) => !h.startsWith('#'))}`,
    );
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  });

  it('verifies offline with the tool and with stock openssl', async () => {
    const pin = ['--expect-key', JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8')).signature.keyFingerprint];
    const v = await runCliInProcess(['verify', pack, ...pin]);
    assert.equal(v.code, 0, v.stderr);
    const zipped = await runCliInProcess(['verify', `${pack}.zip`, ...pin]);
    assert.equal(zipped.code, 0, zipped.stderr);
    assert.match(v.stdout, new RegExp(`^Verified .*: ${listFiles(pack).length - 3} files intact, signature valid`));
    const openssl = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'public-key.pem', '-rawin', '-in', 'manifest.json', '-sigfile', 'manifest.sig'], { cwd: pack, encoding: 'utf8' });
    assert.equal(openssl.status, 0, openssl.stderr);
    const manifest = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8'));
    const sums = manifest.files.map((f: { sha256: string; path: string }) => `${f.sha256}  ${f.path}`).join('\n') + '\n';
    const check = spawnSync('sha256sum', ['-c', '--quiet', '-'], { cwd: pack, input: sums, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });

  it('writes an RFC 4180 CSV with one row per evidence item', () => {
    const csv = readFileSync(join(pack, 'evidence.csv'), 'utf8');
    const lines = csv.split('\r\n').filter(Boolean);
    assert.match(lines[0]!, /^control,control_status,item_status,account,region,resource_type,resource_id/);
    const items = result.controls.reduce((n, c) => n + c.evidence.length, 0);
    assert.equal(lines.length, items + 1);
  });
});

describe('the FedRAMP Moderate baseline in result.json', () => {
  it('lists all 323 controls with one status each, nothing silently missing', async () => {
    const result = await packResult((await samplePack()).pack);
    const rows = result.frameworks.find((b) => b.id === 'fedramp-r5-moderate')!.rows;
    assert.equal(rows.length, 323);
    assert.equal(new Set(rows.map((r) => r.id)).size, 323);
    assert.deepEqual(
      rows.find((r) => r.id === 'IA-2(1)'),
      {
        id: 'IA-2(1)',
        title: 'Multi-factor Authentication to Privileged Accounts',
        family: 'IA',
        status: 'fail',
        via: ['WSAS-02'],
        rules: [
          { rule: 'IAM_USER_MFA_ENABLED', source: 'AWS FedRAMP pack table: IA-2(1), IA-2(1)(2)', status: 'fail', results: 4 },
          { rule: 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS', source: 'AWS FedRAMP pack table: IA-2(1), IA-2(1)(2)', status: 'fail', results: 4 },
          { rule: 'ROOT_ACCOUNT_MFA_ENABLED', source: 'AWS FedRAMP pack table: IA-2(1), IA-2(1)(2)', status: 'pass', results: 2 },
        ],
        sources: ['AWS: IAM.5, IAM.9, IAM.19'],
      },
    );
    // FedRAMP is mapped from AWS's FedRAMP table, not derived from NIST edges: "AC-2(f)"/"AC-2(j)" rows put the MFA rule
    // on AC-2, which Security Hub's NIST requirements for it (IA-2(1), IA-2(2), IA-2(6), IA-2(8)) never name.
    assert.ok(rows.find((r) => r.id === 'AC-2')!.rules.some((r) => r.rule === 'IAM_USER_MFA_ENABLED' && r.source === 'AWS FedRAMP pack table: AC-2(f), AC-2(j)'));
    assert.equal(result.mappingSources!.packTables.find((t) => t.framework === 'fedramp-r5-moderate')!.rows, 609);
    // Evidence from AWS Config rules alone: a baseline control no catalog control maps to, with a deployed rule AWS maps to it.
    const byRules = rows.filter((r) => r.via.length === 0 && r.rules.length > 0);
    assert.ok(byRules.length > 0, 'some baseline controls are assessed by rules alone');
    for (const r of byRules) assert.notEqual(r.status, 'not-assessed', r.id);
    assert.equal(rows.find((r) => r.id === 'PE-3')!.status, 'inherited');
    assert.equal(rows.find((r) => r.id === 'PS-3')!.status, 'not-assessed');
    assert.equal(rows.find((r) => r.id === 'AT-2')!.status, 'manual');
    assert.equal(rows.find((r) => r.id === 'IA-7')!.status, 'fail');
  });
});

describe('the signature inside report.pdf', () => {
  it('is reported valid by pdfsig with the demo certificate, and broken by a one-byte change', async (t) => {
    const out = tempDir(t);
    const pdf = join((await samplePack()).pack, 'report.pdf');
    const info = spawnSync('pdfsig', [pdf], { encoding: 'utf8' });
    assert.match(info.stdout, /Signer Certificate Common Name: Example Corp \(sample estate\) \(unmanaged demo certificate\)/);
    assert.match(info.stdout, /Signature Validation: Signature is Valid\./);
    assert.match(info.stdout, /Total document signed/);
    const bytes = readFileSync(pdf);
    const at = bytes.indexOf('/Title');
    bytes[at + 2] = bytes[at + 2]! ^ 0x20;
    const tampered = join(out, 'tampered.pdf');
    writeFileSync(tampered, bytes);
    assert.doesNotMatch(spawnSync('pdfsig', [tampered], { encoding: 'utf8' }).stdout, /Signature is Valid/);
  });

  it('is a detached CMS signature that openssl verifies over the signed bytes, and rejects over others', (t) => {
    const work = tempDir(t);
    const cert = demoPdfCertificate('Example Corp', new Date('2026-11-01T00:00:00Z'));
    const content = Buffer.from('the bytes of a PDF around its signature placeholder');
    const der = detachedCmsSignature(createHash('sha256').update(content).digest(), cert.p12, cert.passphrase, new Date('2026-11-02T00:00:00Z'));
    writeFileSync(join(work, 'sig.der'), der);
    writeFileSync(join(work, 'content.bin'), content);
    writeFileSync(join(work, 'other.bin'), Buffer.concat([content, Buffer.from('!')]));
    const verify = (data: string) =>
      spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig.der', '-content', data, '-noverify', '-out', '/dev/null'], { cwd: work, encoding: 'utf8' });
    assert.equal(verify('content.bin').status, 0, verify('content.bin').stderr);
    assert.notEqual(verify('other.bin').status, 0);
    const printed = spawnSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.der'], { cwd: work, encoding: 'utf8' }).stdout;
    assert.match(printed, /signingTime[\s\S]*UTCTIME:Nov {2}2 00:00:00 2026 GMT/);
  });

  // One print for both (a print is most of a run's time): the user's certificate, on Letter paper.
  it("uses the PKCS#12 certificate the user gives, and prints Letter on request with the run's time and the pack in the document information", async (t) => {
    const work = tempDir(t);
    const openssl = (args: string[]) => assert.equal(spawnSync('openssl', args, { cwd: work, encoding: 'utf8' }).status, 0);
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '30', '-subj', '/CN=Compliance Office Signing/O=Example Corp']);
    openssl(['pkcs12', '-export', '-inkey', 'k.pem', '-in', 'c.pem', '-out', 'signer.p12', '-passout', 'pass:s3cret-pass', '-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']);
    const wrong = await runCliInProcess(['run', '--out', join(work, 'out2'), '--pdf-certificate', join(work, 'signer.p12')], { EVIDENCE_PACK_PDF_CERT_PASSWORD: 'nope' });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /signer\.p12: not a PKCS#12 file, or EVIDENCE_PACK_PDF_CERT_PASSWORD does not open it/);
    const r = await runCliInProcess(['run', '--out', join(work, 'out'), '--paper', 'Letter', '--pdf-certificate', join(work, 'signer.p12')], {
      EVIDENCE_PACK_PDF_CERT_PASSWORD: 's3cret-pass',
      SOURCE_DATE_EPOCH: '1793491200',
    });
    assert.equal(r.code, 0, r.stderr);
    const pack = onlyPack(join(work, 'out'));
    const pdf = join(pack, 'report.pdf');
    const sig = spawnSync('pdfsig', [pdf], { encoding: 'utf8' }).stdout;
    assert.match(sig, /Signer Certificate Common Name: Compliance Office Signing/);
    assert.match(sig, /Signature is Valid/);
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    assert.match(info, /Page size:\s+612 x 792 pts \(letter\)/);
    assert.match(info, /CreationDate:\s+Sun Nov {2}1 00:00:00 2026 UTC/);
    assert.match(info, new RegExp(`Title:\\s+Evidence pack ${pack.split('/').pop()}: Example Corp`));
    assert.match(info, /Author:\s+Example Corp \(sample estate\)/);
  });
});
