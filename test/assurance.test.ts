import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAttestations, loadWaivers } from '../src/assurance/load.ts';
import type { Attestation, Waiver } from '../src/assurance/types.ts';
import { loadCatalog } from '../src/catalog/load.ts';
import { checksById } from '../src/checks/index.ts';
import { checkAssuranceAgainstCatalog } from '../src/evaluate/assurance.ts';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { readSnapshot } from '../src/evidence/read.ts';
import { sampleDir, tempDir } from './helpers.ts';

const catalog = loadCatalog(new Set(checksById.keys()));
const snapshot = await readSnapshot(sampleDir);
const run = (generatedAt: string, waivers: Waiver[] = [], attestations: Attestation[] = []) =>
  evaluate({ snapshot, catalog, checks: checksById, generatedAt, tool: { name: 't', version: '0' }, packPathOf: (p) => p, waivers, attestations });
const waiver = (scope: Waiver['scope'], expires: string, id = 'W-1'): Waiver => ({ id, scope, owner: 'o', reason: 'r', ticket: 'https://t.example/1', expires });
const control = (r: ReturnType<typeof run>, id: string) => r.controls.find((c) => c.id === id)!;

describe('waivers', () => {
  it('hold through their expiry day and lapse the day after (UTC)', () => {
    const w = [waiver({ control: 'WSAS-07', resource: 'd-93671f2e3d' }, '2026-09-30')];
    const item = (r: ReturnType<typeof run>) => control(r, 'WSAS-07').evidence.find((e) => e.resource?.id === 'd-93671f2e3d')!;
    assert.equal(item(run('2026-09-30T23:59:59.000Z', w)).status, 'waived');
    const after = run('2026-10-01T00:00:00.000Z', w);
    assert.equal(item(after).status, 'fail');
    assert.deepEqual(item(after).waiver, { id: 'W-1', state: 'expired' });
    assert.equal(after.waivers[0]!.state, 'expired');
  });

  it('never merge into pass: all failures waived makes the control waived; any other failure keeps it failing', () => {
    const both = [waiver({ control: 'WSAS-07', account: '111111111111' }, '2027-01-01', 'W-a'), waiver({ control: 'WSAS-07', account: '222222222222' }, '2027-01-01', 'W-b')];
    const r = run('2026-11-01T00:00:00.000Z', both);
    assert.equal(control(r, 'WSAS-07').status, 'waived');
    assert.equal(control(r, 'WSAS-07').counts.pass, 1);
    assert.equal(r.summary.controls.pass, 0);
    assert.equal(control(run('2026-11-01T00:00:00.000Z', both.slice(0, 1)), 'WSAS-07').status, 'fail');
    // A waiver does not hide a gap.
    const gapControl = run('2026-11-01T00:00:00.000Z', [waiver({ control: 'WSAS-11' }, '2027-01-01')]);
    assert.equal(control(gapControl, 'WSAS-11').status, 'gap');
  });

  it('match by rule identifier, check id, resource name and account', () => {
    const r = run('2026-11-01T00:00:00.000Z', [waiver({ rule: 'IAM_USER_MFA_ENABLED', resource: 'bob.ops' }, '2027-01-01')]);
    const items = control(r, 'WSAS-02').evidence.filter((e) => e.resource?.name === 'bob.ops');
    // The waiver names a rule: the built-in check's finding on the same user stays a failure.
    assert.deepEqual(
      items.map((e) => [e.source.kind === 'config-rule' ? e.source.rule : e.source.kind === 'check' && e.source.id, e.status]),
      [
        ['iam-user-mfa', 'fail'],
        ['IAM_USER_MFA_ENABLED', 'waived'],
        ['MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS', 'not-applicable'],
      ],
    );
    assert.equal(r.waivers[0]!.matched, 1);
  });
});

describe('attestations', () => {
  const attestation = (over: Partial<Attestation> = {}): Attestation => ({
    file: 'a.yaml',
    control: 'WSAS-12',
    statement: 's',
    attestedBy: { name: 'n', role: 'r' },
    date: '2026-10-01',
    expires: '2027-04-01',
    evidence: [],
    ...over,
  });

  it('are valid between their date and expiry, and only then satisfy a manual control', () => {
    const state = (at: string) => run(at, [], [attestation()]).attestations[0]!.state;
    assert.equal(state('2026-09-30T12:00:00Z'), 'not-yet-valid');
    assert.equal(state('2026-10-01T00:00:00Z'), 'valid');
    assert.equal(state('2027-04-01T23:00:00Z'), 'valid');
    assert.equal(state('2027-04-02T00:00:00Z'), 'expired');
    assert.match(control(run('2027-05-01T00:00:00Z', [], [attestation()]), 'WSAS-12').statusReason, /a\.yaml expired: a current one is needed/);
    assert.equal(control(run('2027-05-01T00:00:00Z', [], [attestation()]), 'WSAS-12').status, 'manual');
  });

  it('are refused for automated or unknown controls, naming the file', () => {
    assert.throws(() => checkAssuranceAgainstCatalog(catalog, [attestation({ control: 'WSAS-11' })], [], { attestations: 'att' }), /att\/a\.yaml: control: WSAS-11 is assessed from AWS data/);
    assert.throws(() => checkAssuranceAgainstCatalog(catalog, [attestation({ control: 'WSAS-99' })], [], { attestations: 'att' }), /unknown control WSAS-99/);
    assert.throws(
      () => checkAssuranceAgainstCatalog(catalog, [], [waiver({ control: 'WSAS-99' }, '2027-01-01')], { waivers: 'w.yaml' }),
      /w\.yaml: waivers\[0\]\.scope\.control: unknown control WSAS-99/,
    );
  });

  it('files are validated with file, line and field, and attached files must stay inside the directory', (t) => {
    const dir = tempDir(t);
    mkdirSync(join(dir, 'att'));
    writeFileSync(join(dir, 'att', 'ok.yaml'), 'control: WSAS-12\nstatement: s\nattested_by: {name: n, role: r}\ndate: 2026-10-01\nexpires: 2027-04-01\nevidence: [proof.txt]\n');
    writeFileSync(join(dir, 'att', 'proof.txt'), 'proof');
    const [a] = loadAttestations(join(dir, 'att'));
    assert.deepEqual(a!.evidence, [{ path: 'proof.txt', sha256: createHash('sha256').update('proof').digest('hex'), bytes: 5 }]);
    writeFileSync(join(dir, 'att', 'ok.yaml'), 'control: WSAS-12\nstatement: s\nattested_by: {name: n, role: r}\ndate: 2026-10-01\nexpires: 2027-04-01\nevidence: [../secret.txt]\n');
    assert.throws(() => loadAttestations(join(dir, 'att')), /ok\.yaml: evidence\[0\]: must be a file inside the attestations directory/);
    writeFileSync(join(dir, 'att', 'ok.yaml'), 'control: WSAS-12\nstatement: s\nattested_by: {name: n, role: r}\ndate: 2026-10-01\nexpires: next year\n');
    assert.throws(() => loadAttestations(join(dir, 'att')), /ok\.yaml:5: expires: must match pattern/);
    writeFileSync(join(dir, 'w.yaml'), 'waivers:\n  - id: W-1\n    scope: {control: WSAS-11}\n    owner: o\n    reason: r\n    ticket: javascript:alert(1)\n    expires: 2027-01-01\n');
    assert.throws(() => loadWaivers(join(dir, 'w.yaml')), /w\.yaml:6: waivers\[0\]\.ticket: must match pattern/);
  });
});
