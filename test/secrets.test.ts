import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { luhnValid } from '../src/redact/checksums.ts';
import { fingerprint } from '../src/redact/detect.ts';
import { listFiles, packFileText, runCliInProcess, sampleDir, tempDir } from './helpers.ts';

/** A value planted in evidence: `text` goes in, `secret` must not come out, `[REDACTED kind #hash(masked)]` must. */
interface Plant {
  kind: string;
  text: string;
  secret: string;
  masked?: string;
}

const chars = (set: string, min: number, max = min) => fc.string({ unit: fc.constantFrom(...set), minLength: min, maxLength: max });
const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const lower = 'abcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
const alnum = upper + lower + digits;
const b64 = `${alnum}+/`;
const b64url = `${alnum}_-`;

function withLuhnDigit(body: string): string {
  for (let d = 0; d < 10; d++) if (luhnValid(`${body}${d}`)) return `${body}${d}`;
  throw new Error('unreachable');
}
function ibanFor(country: string, bban: string): string {
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const c of numeric) rest = (rest * 10 + Number(c)) % 97;
  return `${country}${String(98 - rest).padStart(2, '0')}${bban}`;
}
const grouped = (s: string) => s.replace(/(.{4})(?=.)/g, '$1 ');

// One generator per kind the issue names. The secret-named kind takes the key the carrier can hold.
const kinds: Record<string, (key: string) => fc.Arbitrary<Plant>> = {
  'access key id (suffixed)': () =>
    fc.tuple(chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16), chars(alnum, 1, 6)).map(([id, suffix]) => ({ kind: 'aws-access-key-id', text: `AKIA${id}${suffix}`, secret: `AKIA${id}` })),
  'secret key, env form': () => chars(b64, 37).map((k) => ({ kind: 'aws-secret-key', text: `AWS_SECRET_ACCESS_KEY=aB3${k}`, secret: `aB3${k}` })),
  'secret key, JSON field': () => chars(b64, 37).map((k) => ({ kind: 'aws-secret-key', text: `{"SecretAccessKey": "Zq9${k}"}`, secret: `Zq9${k}` })),
  'session token, env form': () => chars(b64, 180, 300).map((k) => ({ kind: 'aws-session-token', text: `aws_session_token=IQoJb3JpZ2luX2Vj${k}==`, secret: `IQoJb3JpZ2luX2Vj${k}==` })),
  'session token, query form': () =>
    chars(b64, 180, 300).map((k) => {
      const v = encodeURIComponent(`FwoGZXIvYXdz${k}=`);
      return { kind: 'url-token', text: `https://reports.s3.amazonaws.com/r.csv?X-Amz-Expires=300&X-Amz-Security-Token=${v}&X-Amz-Date=20261031T000000Z`, secret: v };
    }),
  'session token, JSON field': () => chars(b64, 180, 300).map((k) => ({ kind: 'aws-session-token', text: `{"SessionToken":"IQoJb3JpZ2lu${k}"}`, secret: `IQoJb3JpZ2lu${k}` })),
  'bearer authorization': () => chars(b64url, 30).map((k) => ({ kind: 'authorization', text: `Bearer t0k${k}`, secret: `t0k${k}` })),
  'basic authorization': () =>
    fc.tuple(chars(lower, 6), chars(alnum, 12)).map(([u, p]) => {
      const v = Buffer.from(`${u}:${p}`).toString('base64');
      return { kind: 'authorization', text: `Basic ${v}`, secret: v };
    }),
  'PEM private key': () =>
    chars(b64, 64).map((k) => {
      const text = `-----BEGIN RSA PRIVATE KEY-----\nMIIEow${k}\n-----END RSA PRIVATE KEY-----`;
      return { kind: 'private-key', text, secret: `MIIEow${k}`, masked: text };
    }),
  'PGP private key block': () =>
    chars(b64, 64).map((k) => {
      const text = `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF${k}\n=Ab1x\n-----END PGP PRIVATE KEY BLOCK-----`;
      return { kind: 'private-key', text, secret: `lQOYBF${k}`, masked: text };
    }),
  'OpenSSH private key': () =>
    chars(b64, 64).map((k) => {
      const text = `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA${k}\n-----END OPENSSH PRIVATE KEY-----`;
      return { kind: 'private-key', text, secret: `b3BlbnNzaC1rZXktdjEA${k}`, masked: text };
    }),
  JWT: () =>
    fc.tuple(chars(b64url, 24), chars(b64url, 43)).map(([p, s]) => {
      const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJ${p}.${s}`;
      return { kind: 'jwt', text: jwt, secret: jwt };
    }),
  'GitHub token': () => chars(alnum, 36).map((k) => ({ kind: 'github-pat', text: `ghp_${k}`, secret: `ghp_${k}` })),
  'Slack token': () => fc.tuple(chars(digits, 10), chars(digits, 12), chars(alnum, 24)).map(([a, b, c]) => ({ kind: 'slack-bot-token', text: `xoxb-${a}-${b}-${c}`, secret: `xoxb-${a}-${b}-${c}` })),
  'Stripe key': () => chars(alnum, 24).map((k) => ({ kind: 'stripe-access-token', text: `sk_live_${k}`, secret: `sk_live_${k}` })),
  'credentials in a URL': () => chars(alnum, 12).map((k) => ({ kind: 'url-credentials', text: `https://svc-user:Pw${k}@portal.example.net/done`, secret: `Pw${k}`, masked: `svc-user:Pw${k}` })),
  'connection string': () => chars(alnum, 12).map((k) => ({ kind: 'secret-assignment', text: `Server=db.example.net;Database=app;User Id=sa;Password=Cs${k};`, secret: `Cs${k}` })),
  'e-mail address': () => fc.tuple(chars(lower, 6, 10), chars(lower, 5, 8)).map(([u, d]) => ({ kind: 'email', text: `${u}.owner@${d}.example.org`, secret: `${u}.owner@${d}.example.org` })),
  'e-mail address, internationalised domain': () =>
    fc.tuple(chars(lower, 4, 8), chars(lower, 3, 6)).map(([u, d]) => ({ kind: 'email', text: `jürgen.${u}@bücher-${d}.example`, secret: `jürgen.${u}@bücher-${d}.example` })),
  'phone number': () => fc.tuple(chars(digits, 4), chars(digits, 4)).map(([a, b]) => ({ kind: 'phone', text: `+44 20 ${a} ${b}`, secret: `+44 20 ${a} ${b}` })),
  'payment card (Luhn)': () =>
    chars(digits, 14).map((k) => {
      const card = grouped(withLuhnDigit(`4${k}`));
      return { kind: 'payment-card', text: card, secret: card };
    }),
  'IBAN (mod 97)': () =>
    chars(digits, 14).map((k) => {
      const iban = grouped(ibanFor('GB', `WEST${k}`));
      return { kind: 'iban', text: iban, secret: iban };
    }),
  'value of a secret-named key': (key) => chars(lower, 10, 14).map((v) => ({ kind: 'secret-assignment', text: key, secret: `zz${v}` })),
};

// Where a person or a collector can put text; `key` is how the carrier names a secret-named member.
const carriers = ['tag value', 'Name tag', 'configuration field', 'rule parameter', 'annotation', 'AppStream stack field', 'gap reason', 'collector description'] as const;
type Carrier = (typeof carriers)[number];
const secretKeyIn: Record<Carrier, string> = {
  'tag value': 'DbPassword',
  'Name tag': 'password=',
  'configuration field': 'apiKey',
  'rule parameter': 'authToken',
  annotation: 'client_secret: ',
  'AppStream stack field': 'AccessToken',
  'gap reason': 'token=',
  'collector description': 'secret: ',
};
/** Carriers that hold one string: the kinds are planted one per line. */
const textCarriers = new Set<Carrier>(['Name tag', 'annotation', 'gap reason', 'collector description']);

const seed = 20261201;
function plantsFor(carrier: Carrier): [string, Plant][] {
  // Member keys are `plant<n>`: a key named after its kind ("… token") would itself be secret-named.
  return Object.entries(kinds).map(([name, arb], i) => {
    const [plant] = fc.sample(arb(secretKeyIn[carrier]), { seed: seed + i * 31 + carriers.indexOf(carrier), numRuns: 1 });
    if (name === 'value of a secret-named key' && textCarriers.has(carrier)) plant!.text = `${secretKeyIn[carrier]}${plant!.secret}`;
    return [name, plant!];
  });
}

const memberKey = (name: string) => `plant${Object.keys(kinds).indexOf(name)}`;

/** Every file under dir as text: PDFs through pdftotext, zips extracted and read the same way. */
function textsUnder(dir: string, work: string): [string, string][] {
  return listFiles(dir).flatMap((f): [string, string][] => {
    const file = join(dir, f);
    if (f.endsWith('.pdf')) return [[f, execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })]];
    if (f.endsWith('.zip')) {
      const into = join(work, `unzipped-${f.replace(/\W/g, '_')}`);
      mkdirSync(into, { recursive: true });
      execFileSync('unzip', ['-q', '-o', file, '-d', into]);
      const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' });
      return [[`${f} (entry names)`, names], ...textsUnder(into, work).map(([n, t]): [string, string] => [`${f}:${n}`, t])];
    }
    return [[f, packFileText(file)]];
  });
}

// HTML escapes what the templates escape; PDF text and CSV cells may wrap: compare without whitespace.
const unescapeHtml = (s: string) =>
  s.replace(/&#x([0-9a-f]+);|&(amp|lt|gt|quot);/gi, (_, hex, name) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : ({ amp: '&', lt: '<', gt: '>', quot: '"' } as Record<string, string>)[name.toLowerCase()]!,
  );
const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('secrets planted in evidence never reach an output', () => {
  it('masks every kind in every carrier, in every file of the pack and the zip (PDF text too), the index and the logs, and keeps evidence that is not secret', async (t) => {
    const work = tempDir(t);
    const evidence = join(work, 'evidence');
    cpSync(sampleDir, evidence, { recursive: true });
    const planted = new Map<Carrier, [string, Plant][]>(carriers.map((c) => [c, plantsFor(c)]));
    const lines = (c: Carrier) =>
      planted
        .get(c)!
        .map(([, p]) => p.text)
        .join('\n');

    const snapshotFile = join(
      evidence,
      'config-snapshots',
      readdirSync(join(evidence, 'config-snapshots')).find((f) => f.startsWith('111111111111_Config_us-east-1'))!,
    );
    const doc = JSON.parse(readFileSync(snapshotFile, 'utf8'));
    const ws = doc.configurationItems.find((i: any) => i.resourceId === 'ws-b8n3p5r2t');
    for (const [name, p] of planted.get('tag value')!) ws.tags[name === 'value of a secret-named key' ? p.text : memberKey(name)] = name === 'value of a secret-named key' ? p.secret : p.text;
    const named = doc.configurationItems.find((i: any) => i.resourceId === 'ws-f2k9x7m1q');
    named.tags.Name = lines('Name tag');
    const stackItem = doc.configurationItems.find((i: any) => i.resourceId === 'analyst-stack');
    for (const [name, p] of planted.get('configuration field')!)
      stackItem.configuration[name === 'value of a secret-named key' ? p.text : memberKey(name)] = name === 'value of a secret-named key' ? p.secret : p.text;
    writeFileSync(snapshotFile, JSON.stringify(doc));

    const rulesFile = join(evidence, 'aws/111111111111/eu-west-1/config/DescribeConfigRules.json');
    const rules = JSON.parse(readFileSync(rulesFile, 'utf8'));
    // InputParameters is JSON text in a string: a planted line break is written \n there, and masked as written.
    for (const [, p] of planted.get('rule parameter')!) if (p.masked?.includes('\n')) p.masked = JSON.stringify(p.masked).slice(1, -1);
    rules.ConfigRules[0].InputParameters = JSON.stringify(
      Object.fromEntries(planted.get('rule parameter')!.map(([name, p]) => (name === 'value of a secret-named key' ? [p.text, p.secret] : [memberKey(name), p.text]))),
    );
    writeFileSync(rulesFile, JSON.stringify(rules, null, 2));

    const detailsFile = join(evidence, 'aws/111111111111/eu-west-1/config/GetComplianceDetailsByConfigRule/cmk-backing-key-rotation-enabled.json');
    const details = readFileSync(detailsFile, 'utf8');
    assert.ok(details.includes('kms-owner@example.com'), 'the sample annotation is where the test expects it');
    writeFileSync(detailsFile, details.replace('kms-owner@example.com', JSON.stringify(lines('annotation')).slice(1, -1)));

    const stacksFile = join(evidence, 'aws/222222222222/us-east-1/appstream/DescribeStacks.json');
    const stacks = JSON.parse(readFileSync(stacksFile, 'utf8'));
    for (const [name, p] of planted.get('AppStream stack field')!)
      stacks[0].Stacks[0][name === 'value of a secret-named key' ? p.text : memberKey(name)] = name === 'value of a secret-named key' ? p.secret : p.text;
    stacks[0].Stacks[0].Description = planted.get('AppStream stack field')![0]![1].text;
    writeFileSync(stacksFile, JSON.stringify(stacks, null, 2));

    const metaFile = join(evidence, 'snapshot.json');
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    meta.gaps[0].reason = `AccessDeniedException: ${lines('gap reason')}`;
    meta.collector.description = `Collected by ${lines('collector description')}`;
    writeFileSync(metaFile, JSON.stringify(meta, null, 2));

    const out = join(work, 'out');
    const r = await runCliInProcess(['run', '--evidence', evidence, '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const outputs = [...textsUnder(out, work), ['stdout', r.stdout], ['stderr', r.stderr]] as [string, string][];
    const searched = outputs.map(([name, text]) => [name, squeeze(name.endsWith('.html') ? unescapeHtml(text) : text)] as const);
    const all = searched.map(([, text]) => text).join('\n');

    let checks = 0;
    const leaks: string[] = [];
    const unmasked: string[] = [];
    for (const [carrier, plants] of planted) {
      for (const [name, p] of plants) {
        const secret = squeeze(p.secret);
        for (const [file, text] of searched) {
          checks++;
          if (text.includes(secret)) leaks.push(`${name} (${carrier}) in ${file}`);
        }
        if (!all.includes(squeeze(`[REDACTED ${p.kind} #${fingerprint(p.masked ?? p.secret)}]`))) unmasked.push(`${name} (${carrier}) as ${p.kind}`);
      }
    }
    t.diagnostic(
      `hostile/secrets: ${Object.keys(kinds).length} kinds x ${carriers.length} carriers planted, x ${outputs.length} outputs = ${checks} checks, ${leaks.length} leaks, ${unmasked.length} not shown masked`,
    );
    assert.deepEqual(leaks, []);
    assert.deepEqual(unmasked, []);

    // What is not secret stays: account ids, ARNs, times, resource ids, the sample's own gap and description.
    const result = readFileSync(
      join(
        out,
        listFiles(out).find((f) => f.endsWith('/result.json'))!,
      ),
      'utf8',
    );
    for (const kept of ['111111111111', '222222222222', 'arn:aws:iam::111111111111:user/', '2026-10-31T23:41:07', 'ws-b8n3p5r2t', 'AIDAQ3EGRKZ7ALICE0001', 'macie2:GetMacieSession']) {
      assert.ok(result.includes(kept), `${kept} survives in result.json`);
    }
    const pdf = outputs.find(([n]) => n.endsWith('report.pdf') && !n.includes(':'))![1];
    assert.match(pdf, /\[REDACTED (?:email|iban|payment-card|phone) #[0-9a-f]{8}\]/, 'the PDF shows masks');
  });

  it('masks a value an error message quotes, on stderr', async (t) => {
    const work = tempDir(t);
    const evidence = join(work, 'evidence');
    cpSync(sampleDir, evidence, { recursive: true });
    const token = 'ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gFeDcBa';
    const email = 'jürgen.quoted@bücher.example';
    const detailsFile = join(evidence, 'aws/111111111111/eu-west-1/config/GetComplianceDetailsByConfigRule/cmk-backing-key-rotation-enabled.json');
    const details = JSON.parse(readFileSync(detailsFile, 'utf8'));
    const page = Array.isArray(details) ? details[0] : details;
    page.EvaluationResults[0].ResultRecordedTime = `token=${token} ${email}`;
    writeFileSync(detailsFile, JSON.stringify(details));
    const r = await runCliInProcess(['run', '--evidence', evidence, '--out', join(work, 'out'), '--no-pdf']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /ResultRecordedTime: not a timestamp/);
    assert.ok(!r.stderr.includes(token) && !r.stderr.includes(email), r.stderr);
    assert.match(r.stderr, new RegExp(`\\[REDACTED email #${fingerprint(email)}\\]`));
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  });
});
