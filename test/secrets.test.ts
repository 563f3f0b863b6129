import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { listFiles, onlyPack, runCli, sampleDir, tempDir } from './helpers.ts';

// One value of each kind the issue names, each planted where a person could type it.
const planted = {
  accessKeyId: 'AKIAQ7XPLANTED2ZT4MM',
  secretKey: 'q9Zr7PlantedSecretKeyValue/0123456789Abc',
  urlPassword: 'Pl4nted-Passw0rd',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkLXVzZXIifQ.pLaNtEdSiGnAtUrEvAlUe0123456789abcdefXYZ',
  pemBody: 'MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAplantedPEMbody',
  emailInTag: 'planted.owner@example.org',
  emailInName: 'name.planted@example.org',
  emailInAnnotation: 'annotation.planted@example.org',
  passwordAssignment: 'Planted!Winter2026',
};

describe('secrets planted in evidence never reach an output', () => {
  it('masks every planted value in every file of the pack (PDF text, CSV, JSON, OSCAL, evidence copies) and in the logs', async (t) => {
    const work = tempDir(t);
    const evidence = join(work, 'evidence');
    cpSync(sampleDir, evidence, { recursive: true });
    const file = join(evidence, 'config-snapshots', readdirSync(join(evidence, 'config-snapshots')).find((f) => f.startsWith('111111111111_Config_us-east-1'))!);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const ws = doc.configurationItems.find((i: any) => i.resourceId === 'ws-b8n3p5r2t');
    ws.tags = { ...ws.tags, Owner: planted.emailInTag, DeployKey: planted.accessKeyId, Note: `aws_secret_access_key=${planted.secretKey}` };
    ws.resourceName = `ws for ${planted.emailInName}`;
    const stack = doc.configurationItems.find((i: any) => i.resourceId === 'analyst-stack');
    stack.configuration.RedirectURL = `https://svc-user:${planted.urlPassword}@portal.example.net/done`;
    stack.configuration.FeedbackURL = `https://portal.example.net/fb?id_token=${planted.jwt}`;
    stack.configuration.Description = `-----BEGIN RSA PRIVATE KEY-----\n${planted.pemBody}\n-----END RSA PRIVATE KEY-----`;
    stack.tags = { ...stack.tags, Bootstrap: `password=${planted.passwordAssignment}` };
    writeFileSync(file, JSON.stringify(doc));
    const rules = join(evidence, 'aws/111111111111/eu-west-1/config/GetComplianceDetailsByConfigRule/cmk-backing-key-rotation-enabled.json');
    writeFileSync(rules, readFileSync(rules, 'utf8').replace('kms-owner@example.com', planted.emailInAnnotation));

    const r = await runCli(['run', '--evidence', evidence, '--out', join(work, 'out'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const pack = onlyPack(join(work, 'out'));
    const outputs: [string, string][] = listFiles(pack).map((f) => [f, f.endsWith('.pdf') ? execFileSync('pdftotext', [join(pack, f), '-'], { encoding: 'utf8' }) : readFileSync(join(pack, f), 'latin1')]);
    outputs.push(['stdout', r.stdout], ['stderr', r.stderr]);
    let checks = 0;
    const leaks: string[] = [];
    for (const [name, text] of outputs) {
      for (const [kind, value] of Object.entries(planted)) {
        checks++;
        if (text.includes(value)) leaks.push(`${kind} in ${name}`);
      }
    }
    t.diagnostic(`hostile/secrets: ${Object.keys(planted).length} planted values x ${outputs.length} outputs = ${checks} checks, ${leaks.length} leaks`);
    assert.deepEqual(leaks, []);
    const pdf = outputs.find(([n]) => n === 'report.pdf')![1];
    for (const kind of ['email', 'aws-access-key-id', 'url-credentials', 'private-key']) assert.match(pdf, new RegExp(`\\[REDACTED ${kind} #[0-9a-f]{8}\\]`), `${kind} is shown masked`);
  });
});
