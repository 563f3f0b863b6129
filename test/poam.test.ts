import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { readResult } from '../src/evaluate/read-result.ts';
import { extraColumns, fedrampColumns, renderOscalPoam } from '../src/render/poam-outputs.ts';
import { buildPoam, type PoamDocument, type PoamItem } from '../src/poam/poam.ts';
import { scheduledCompletion } from '../src/poam/risk.ts';
import { packFacts, commentLines } from '../src/attach/summary.ts';
import { publicKeyFingerprint } from '../src/sign/keys.ts';
import { createPublicKey } from 'node:crypto';
import { packsUnder, referenceDir, runCliInProcess, sampleDir, tempDir, untilExit } from './helpers.ts';

const schemaFile = join(referenceDir, 'oscal/v1.1.3/oscal_complete_schema.json');
const addFormats = ((ajvFormats as unknown as { default?: typeof ajvFormats }).default ?? ajvFormats) as unknown as (a: Ajv) => void;
const readPoam = (pack: string) => JSON.parse(readFileSync(join(pack, 'poam.json'), 'utf8')) as PoamDocument;
const byAsset = (doc: PoamDocument, source: string, asset: string) => doc.items.find((i) => i.sourceIdentifier === source && i.asset.endsWith(asset));
/** A KMS key whose rotation status October's evidence lacks (an evidence gap), and whose rule result is INSUFFICIENT_DATA. */
const gapKey = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const newKey = (file: string) => {
  writeFileSync(file, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return file;
};

describe('POA&M: October then November into one output folder', () => {
  let work: string;
  let out: string;
  let october: string;
  let november: string;
  let oct: PoamDocument;
  let nov: PoamDocument;

  before(async () => {
    work = tempDir(untilExit);
    out = join(work, 'out');
    const key = newKey(join(work, 'key.pem'));
    // October: the KMS key's rotation waiver still runs (to 15 Nov); November: it has expired, one WorkSpace is fixed,
    // and the rotation status of account 222222222222's key, missing in October (an evidence gap), is recorded.
    const evOct = join(work, 'october');
    cpSync(sampleDir, evOct, { recursive: true });
    const waivers = join(evOct, 'waivers.yaml');
    writeFileSync(waivers, readFileSync(waivers, 'utf8').replace('expires: 2026-09-30', 'expires: 2026-11-15'));
    const evNov = join(work, 'november');
    cpSync(evOct, evNov, { recursive: true });
    const file = join(
      evNov,
      'config-snapshots',
      readdirSync(join(evNov, 'config-snapshots')).find((f) => f.startsWith('111111111111_Config_us-east-1'))!,
    );
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.configurationItems.find((i: any) => i.resourceId === 'ws-b8n3p5r2t').configuration.RootVolumeEncryptionEnabled = true;
    writeFileSync(file, JSON.stringify(doc));
    const beta = join(
      evNov,
      'config-snapshots',
      readdirSync(join(evNov, 'config-snapshots')).find((f) => f.startsWith('222222222222_Config_us-east-1'))!,
    );
    const betaDoc = JSON.parse(readFileSync(beta, 'utf8'));
    betaDoc.configurationItems.find((i: any) => i.resourceId === gapKey).supplementaryConfiguration.KeyRotationStatus = true;
    writeFileSync(beta, JSON.stringify(betaDoc));
    const first = await runCliInProcess(['run', '--evidence', evOct, '--out', out, '--no-pdf', '--period', '2026-10', '--signing-key', key]);
    assert.equal(first.code, 0, first.stderr);
    const second = await runCliInProcess(['run', '--evidence', evNov, '--out', out, '--no-pdf', '--period', '2026-11', '--signing-key', key], { SOURCE_DATE_EPOCH: '1796083200' }); // 2026-12-01
    assert.equal(second.code, 0, second.stderr);
    [october, november] = packsUnder(out) as [string, string];
    oct = readPoam(october);
    nov = readPoam(november);
  });

  it("keeps each weakness's id and carries its October detection date into November", () => {
    assert.equal(oct.previous.state, 'no-previous-pack');
    assert.deepEqual(nov.previous, { state: 'carried', packId: october.split('/').pop(), period: '2026-10' });
    const octOpen = new Set(oct.items.filter((i) => i.status !== 'closed').map((i) => i.id));
    const novIds = new Set(nov.items.map((i) => i.id));
    assert.ok(octOpen.size > 20);
    for (const id of octOpen) assert.ok(novIds.has(id), `${id} is in November's POA&M under the same id`);
    const mfa = byAsset(nov, 'iam-user-mfa', 'user/bob.ops')!;
    assert.equal(mfa.id, byAsset(oct, 'iam-user-mfa', 'user/bob.ops')!.id);
    assert.deepEqual(mfa.detected, { date: '2026-11-01T00:00:00.000Z', packId: october.split('/').pop() });
    assert.equal(mfa.scheduledCompletion, '2026-12-01T00:00:00.000Z', 'High: 30 days from detection');
    assert.equal(byAsset(nov, 's3-bucket-tls-only', 'legacy-exports-2019')!.scheduledCompletion, '2027-01-30T00:00:00.000Z', 'Moderate: 90 days');
    assert.equal(nov.counts.newThisPeriod, nov.counts.promotedThisPeriod, "nothing new in November but October's persisting gaps");
    assert.equal(oct.counts.newThisPeriod, oct.counts.open);
  });

  it('keeps a gap seen in October alone pending, not an item, and drops it once gone', () => {
    const pending = oct.pendingGaps.find((g) => g.sourceIdentifier === 'kms-key-rotation' && g.asset.endsWith(gapKey))!;
    assert.deepEqual(pending.firstSeen, { date: '2026-11-01T00:00:00.000Z', packId: oct.packId });
    assert.equal(
      oct.items.some((i) => i.id === pending.id),
      false,
      'not an October item',
    );
    assert.equal(
      oct.items.some((i) => i.finding === 'gap'),
      false,
      'no previous pack: every gap is pending',
    );
    assert.equal(oct.counts.pending, oct.pendingGaps.length);
    assert.equal(oct.counts.pending, 4);
    assert.equal(readFileSync(join(october, 'poam.csv'), 'utf8').includes(pending.id), false, 'poam.csv holds items only');
    // November records the key's rotation: the gap is gone, and never was an item.
    assert.equal(
      nov.items.some((i) => i.id === pending.id),
      false,
    );
    assert.equal(
      nov.pendingGaps.some((g) => g.id === pending.id),
      false,
    );
  });

  it("makes a gap seen in October and November an item in November, with October's detection date", () => {
    const octGap = oct.pendingGaps.find((g) => g.sourceIdentifier === 'CMK_BACKING_KEY_ROTATION_ENABLED' && g.asset.endsWith(gapKey))!;
    const item = nov.items.find((i) => i.id === octGap.id)!;
    assert.equal(item.status, 'open');
    assert.equal(item.finding, 'gap');
    assert.deepEqual(item.detected, { date: '2026-11-01T00:00:00.000Z', packId: oct.packId });
    assert.equal(item.scheduledCompletion, scheduledCompletion('2026-11-01T00:00:00.000Z', 'Moderate'));
    assert.match(
      item.milestoneChanges.at(-1)!,
      /^Entered the POA&M 2026-12-01 by pack-.*: an evidence gap since 2026-11-01 \(pack-20261101T000000Z-[0-9a-f]{8}\), shown by a second consecutive pack$/,
    );
    assert.equal(nov.counts.promotedThisPeriod, 3, 'the rule result, the eu-west-1 recorder and Macie: all but the fixed key');
    assert.deepEqual(nov.pendingGaps, [], 'no gap first seen in November');
    // A weakness already on the POA&M stays on it when it turns into a gap (its rule result went stale by December).
    const stale = byAsset(nov, 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED', 'legacy-exports-2019')!;
    assert.equal(byAsset(oct, 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED', 'legacy-exports-2019')!.finding, 'fail');
    assert.deepEqual([stale.finding, stale.status, stale.detected.packId], ['gap', 'open', oct.packId]);
  });

  it('enters a failing item at once, dated from the pack that first shows it', () => {
    const mfa = byAsset(oct, 'iam-user-mfa', 'user/bob.ops')!;
    assert.equal(mfa.status, 'open');
    assert.equal(mfa.finding, 'fail');
    assert.deepEqual(mfa.detected, { date: '2026-11-01T00:00:00.000Z', packId: oct.packId });
  });

  it('closes a weakness fixed in November, with the pack and date that showed it fixed', () => {
    const before = byAsset(oct, 'workspaces-volume-encryption', 'ws-b8n3p5r2t')!;
    assert.equal(before.status, 'open');
    const after = nov.items.find((i) => i.id === before.id)!;
    assert.equal(after.status, 'closed');
    assert.deepEqual(after.closed, { date: '2026-12-01T00:00:00.000Z', packId: november.split('/').pop() });
    assert.equal(after.detected.packId, october.split('/').pop());
    assert.match(after.milestoneChanges.at(-1)!, /^Closed 2026-12-01 by pack-20261201T000000Z-[0-9a-f]{8}: no longer failing$/);
    assert.equal(nov.counts.closedThisPeriod, 1);
    assert.equal(nov.counts.open, oct.counts.open - 1 + nov.counts.promotedThisPeriod);
  });

  it('reopens a risk-accepted weakness when its waiver expires', () => {
    const waived = byAsset(oct, 'kms-key-rotation', '3a4b5c6d-7e8f-4a1b-9c2d-0e1f2a3b4c5d')!;
    assert.equal(waived.status, 'risk-accepted');
    assert.equal(waived.deviation?.state, 'active');
    const reopened = nov.items.find((i) => i.id === waived.id)!;
    assert.equal(reopened.status, 'open');
    assert.equal(reopened.deviation?.state, 'expired');
    assert.deepEqual(reopened.detected, waived.detected);
    assert.ok(
      reopened.milestoneChanges.some((c) => /^Reopened 2026-12-01 by pack-.*: waiver W-2026-007 expired on 2026-11-15$/.test(c)),
      reopened.milestoneChanges.join('|'),
    );
  });

  it('flags an item overdue when its scheduled completion falls before the period end', async () => {
    // November's POA&M as if the MFA weakness had been found in June: its 30 days ran out long before December.
    const result = readResult(join(november, 'result.json'));
    const earlier = structuredClone(oct);
    const mfa = byAsset(earlier, 'iam-user-mfa', 'user/bob.ops')!;
    mfa.detected = { date: '2026-06-01T00:00:00.000Z', packId: 'pack-june' };
    const doc = await buildPoam(result, november, nov.packId, { state: 'carried', packId: oct.packId, period: '2026-10', doc: earlier });
    const item = doc.items.find((i) => i.id === mfa.id)!;
    assert.equal(item.scheduledCompletion, scheduledCompletion('2026-06-01T00:00:00.000Z', 'High'));
    assert.equal(item.overdue, true);
    assert.equal(doc.counts.overdue, 1);
    assert.equal(nov.counts.overdue, 0, 'detected 1 Nov, due 1 Dec: not before the period end');
  });

  it("writes poam.csv and poam.xlsx in the FedRAMP template's columns, open and closed items on separate sheets, all in the manifest", async () => {
    const manifest = JSON.parse(readFileSync(join(november, 'manifest.json'), 'utf8'));
    for (const f of ['poam.json', 'poam.csv', 'poam.xlsx', 'oscal-poam.json'])
      assert.ok(
        manifest.files.some((e: { path: string }) => e.path === f),
        `${f} in the manifest`,
      );
    const rows: string[][] = parse(readFileSync(join(november, 'poam.csv')));
    assert.deepEqual(rows[0], [...fedrampColumns, ...extraColumns]);
    assert.equal(rows.length - 1, nov.items.length);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(november, 'poam.xlsx'));
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      ['Open POA&M Items', 'Closed POA&M Items'],
    );
    const [open, closed] = wb.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet];
    const header = (open.getRow(1).values as unknown[]).slice(1);
    assert.deepEqual(header.slice(0, 27), [...fedrampColumns]);
    assert.equal(header[0], 'POAM ID');
    assert.equal(header[26], 'Auto-Approve');
    assert.equal(open.rowCount - 1, nov.counts.open);
    assert.equal(closed.rowCount - 1, nov.counts.closed);
    const first = nov.items[0] as PoamItem;
    assert.equal(open.getRow(2).getCell(1).value, first.id);
    assert.deepEqual(open.getRow(2).getCell(11).value, new Date(`${first.detected.date.slice(0, 10)}T00:00:00Z`), 'Original Detection Date is a date cell');
    assert.equal(wb.created.toISOString(), '2026-12-01T00:00:00.000Z', 'document properties from the run time, not the clock');
  });

  it('shows the POA&M in the report: counts, pending gaps, oldest open items first', () => {
    const sectionOf = (pack: string) => {
      const html = readFileSync(join(pack, 'report.html'), 'utf8');
      return html.slice(html.indexOf('<section id="poam">'), html.indexOf('</section>', html.indexOf('<section id="poam">')));
    };
    assert.ok(
      sectionOf(october).includes('<strong>4</strong> evidence gap(s) first seen in this pack are pending, not items (without a verified previous pack, every gap this pack shows is pending)'),
      sectionOf(october).slice(0, 1200),
    );
    const section = sectionOf(november);
    assert.ok(
      section.includes(
        `<strong>${nov.counts.open}</strong> open weakness(es), ${nov.counts.riskAccepted} of them under an active waiver; <strong>0</strong> overdue; 3 new this period; 1 closed this period`,
      ),
      section.slice(0, 400),
    );
    assert.ok(section.includes('<strong>0</strong> evidence gap(s) first seen in this pack are pending, not items: they are listed'), section.slice(0, 1200));
    assert.ok(section.includes("3 of this period's new item(s) were pending gaps in the previous pack."));
    const rows = [...section.matchAll(/<td class="mono"[^>]*>(EP-[0-9A-F]{12})<\/td>/g)].map((m) => m[1]);
    assert.deepEqual(
      rows.slice(0, 3),
      nov.items.slice(0, 3).map((i) => i.id),
      'open items in poam.json order: oldest detection first',
    );
    assert.match(section, new RegExp(`Detection dates are carried from pack <span class="mono">${oct.packId}</span>`));
    assert.ok(section.includes('Closed this period'));
  });

  it('diff, drift.json and attach name the POA&M changes: new, closed, overdue', async () => {
    const fixed = byAsset(oct, 'workspaces-volume-encryption', 'ws-b8n3p5r2t')!.id;
    const pending = new Set(oct.pendingGaps.map((g) => g.id));
    const promoted = nov.items
      .filter((i) => pending.has(i.id))
      .map((i) => i.id)
      .sort();
    assert.equal(promoted.length, 3);
    const drift = JSON.parse(readFileSync(join(november, 'drift.json'), 'utf8'));
    assert.deepEqual(drift.poam, { open: nov.counts.open, overdue: 0, new: promoted, closed: [fixed] });
    const pin = publicKeyFingerprint(createPublicKey(readFileSync(join(work, 'key.pem'))));
    const r = await runCliInProcess(['diff', october, november, '--expect-key', pin]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(`POA&M: ${nov.counts.open} open (0 overdue); 3 new, 1 closed since the previous pack.`), r.stdout.slice(0, 600));
    const facts = await packFacts({ dir: november, result: readResult(join(november, 'result.json')), verification: {} as any }, undefined, undefined);
    assert.deepEqual(
      commentLines(facts).rows.find(([k]) => k === 'POA&M'),
      ['POA&M', `${nov.counts.open} open (0 overdue); 3 new, 1 closed this period`],
    );
  });

  it('starts afresh, and says so, when the previous pack is signed by a key this run does not trust', async () => {
    const other = newKey(join(work, 'other.pem'));
    const r = await runCliInProcess(['run', '--evidence', sampleDir, '--out', out, '--no-pdf', '--period', '2026-11', '--signing-key', other], { SOURCE_DATE_EPOCH: '1796169600' });
    assert.equal(r.code, 0, r.stderr);
    const latest = packsUnder(out).at(-1)!;
    const doc = readPoam(latest);
    assert.equal(doc.previous.state, 'previous-pack-refused');
    assert.ok(
      doc.items.every((i) => i.detected.packId === doc.packId),
      'no detection date taken from an untrusted pack',
    );
    assert.ok(
      doc.items.every((i) => i.finding !== 'gap'),
      "no gap promoted on an untrusted pack's word",
    );
    assert.ok(doc.counts.pending > 0 && doc.counts.pending === doc.pendingGaps.length);
  });

  it('is valid OSCAL 1.1.3 plan-of-action-and-milestones', { skip: existsSync(schemaFile) ? false : 'needs ../shared/reference (NIST OSCAL complete schema; present in CI)' }, () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile<any>(JSON.parse(readFileSync(schemaFile, 'utf8')));
    const doc: any = JSON.parse(readFileSync(join(november, 'oscal-poam.json'), 'utf8'));
    assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 1));
    const items = doc['plan-of-action-and-milestones']['poam-items'];
    assert.equal(items.length, nov.items.length);
    assert.deepEqual(items[0].props[0], { name: 'POAM-ID', ns: 'https://fedramp.gov/ns/oscal', value: nov.items[0]!.id });
    const broken = structuredClone(doc);
    delete broken['plan-of-action-and-milestones']['poam-items'][0].title;
    assert.equal(validate(broken), false, 'the validator does reject a bad document');
    assert.deepEqual(renderOscalPoam(nov), doc, 'the same POA&M gives the same document');
  });
});
