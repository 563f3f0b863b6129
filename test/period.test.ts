import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parsePeriod, periodFromDates, previousPeriod, resolvePeriod } from '../src/core/period.ts';
import { stackedBars } from '../src/render/charts.ts';
import { publicKeyFingerprint } from '../src/sign/keys.ts';
import { packsUnder, runCliInProcess, tempDir } from './helpers.ts';

/** Writes a new Ed25519 signing key (PEM) to file; returns the file. */
function newKey(file: string): string {
  writeFileSync(file, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return file;
}
const fingerprintOf = (keyFile: string) => publicKeyFingerprint(createPublicKey(readFileSync(keyFile)));

describe('reporting periods', () => {
  it('months of 28 to 31 days, leap February, quarters', () => {
    assert.deepEqual(parsePeriod('2026-02'), { label: '2026-02', from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', tz: 'UTC' });
    assert.equal(parsePeriod('2028-02').to, '2028-03-01T00:00:00.000Z');
    const days = (p: { from: string; to: string }) => (Date.parse(p.to) - Date.parse(p.from)) / 86_400_000;
    assert.deepEqual(
      ['2026-02', '2028-02', '2026-04', '2026-10'].map((m) => days(parsePeriod(m))),
      [28, 29, 30, 31],
    );
    assert.deepEqual(parsePeriod('2026-Q4'), { label: '2026-Q4', from: '2026-10-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z', tz: 'UTC' });
    assert.equal(previousPeriod(parsePeriod('2026-Q1')).label, '2025-Q4');
    assert.equal(previousPeriod(parsePeriod('2026-01')).label, '2025-12');
  });

  it('DST changes in a non-UTC zone: the period is whole local days', () => {
    const march = parsePeriod('2026-03', 'Europe/Berlin');
    assert.deepEqual([march.from, march.to], ['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z']);
    const november = parsePeriod('2026-11', 'America/New_York');
    assert.deepEqual([november.from, november.to], ['2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z']);
    assert.equal(periodFromDates('2026-10-30', '2026-11-02', 'Europe/London').to, '2026-11-03T00:00:00.000Z');
  });

  it("defaults to the previous full month of the run's time, in the zone", () => {
    assert.equal(resolvePeriod({}, '2026-11-23T10:00:00.000Z').label, '2026-10');
    assert.equal(resolvePeriod({}, '2026-01-05T10:00:00.000Z').label, '2025-12');
    assert.equal(resolvePeriod({ tz: 'Pacific/Auckland' }, '2026-10-31T12:00:00.000Z').label, '2026-10', 'already 1 Nov in Auckland');
    assert.throws(() => resolvePeriod({ period: '2026-13' }, '2026-11-23T10:00:00.000Z'), /--period 2026-13: expected YYYY-MM, YYYY-Qn or previous-month/);
    assert.throws(() => resolvePeriod({ tz: 'Mars/Olympus' }, '2026-11-23T10:00:00.000Z'), /--tz Mars\/Olympus: not an IANA time zone/);
  });

  it("places packs by organization and period, indexes them, and compares with the previous period's pack", async (t) => {
    const work = tempDir(t);
    const out = join(work, 'out');
    // Both runs sign with one key: an earlier pack counts only when signed by a key the run trusts.
    const key = newKey(join(work, 'key.pem'));
    const first = await runCliInProcess(['run', '--out', out, '--no-pdf', '--period', '2026-10', '--signing-key', key]);
    assert.equal(first.code, 0, first.stderr);
    const second = await runCliInProcess(['run', '--out', out, '--no-pdf', '--period', '2026-11', '--signing-key', key], { SOURCE_DATE_EPOCH: '1796169600' });
    assert.equal(second.code, 0, second.stderr);
    const [october, november] = packsUnder(out);
    assert.match(october!, /\/example-corp-sample-estate\/2026-10\/pack-/);
    assert.match(november!, /\/example-corp-sample-estate\/2026-11\/pack-/);
    const index = JSON.parse(readFileSync(join(out, 'example-corp-sample-estate', 'index.json'), 'utf8'));
    assert.deepEqual(
      index.packs.map((p: { period: string }) => p.period),
      ['2026-10', '2026-11'],
    );
    const firstDrift = JSON.parse(readFileSync(join(october!, 'drift.json'), 'utf8'));
    assert.deepEqual(firstDrift, { state: 'no-previous-pack', previousPeriod: '2026-09' });
    const drift = JSON.parse(readFileSync(join(november!, 'drift.json'), 'utf8'));
    assert.equal(drift.state, 'compared');
    assert.equal(drift.previousPack, october!.split('/').pop());
    assert.equal(drift.counts['new-gap'], 1, 'the Oct 2 rule result is stale at the end of November');
    const result = JSON.parse(readFileSync(join(november!, 'result.json'), 'utf8'));
    assert.equal(result.period.evidence, 'before-start', 'October evidence in a November pack is flagged');
    const html = readFileSync(join(november!, 'report.html'), 'utf8');
    assert.ok(html.includes('Reporting period</th><td>2026-11: 1 Nov 2026 to 30 Nov 2026 (UTC)'));
    assert.ok(html.includes('id="drift"'));
    const trend = JSON.parse(readFileSync(join(november!, 'trend.json'), 'utf8'));
    assert.deepEqual(
      trend.map((p: { period: string; verified: boolean }) => [p.period, p.verified]),
      [
        ['2026-10', true],
        ['2026-11', true],
      ],
    );
    assert.ok(html.includes('aria-label="Controls by status, period by period"'), 'trend chart in the report');
  });

  it('compares with a previous pack made from another catalog version: catalog and mapping changes are named', async (t) => {
    const work = tempDir(t);
    const out = join(work, 'out');
    const key = newKey(join(work, 'key.pem'));
    const first = await runCliInProcess(['run', '--out', out, '--no-pdf', '--period', '2026-10', '--signing-key', key]);
    assert.equal(first.code, 0, first.stderr);
    const [october] = packsUnder(out);
    // Make October's pack look as an older catalog would have made it: another version, WSAS-01 mapped to one control fewer.
    const resultFile = join(october!, 'result.json');
    const older = JSON.parse(readFileSync(resultFile, 'utf8'));
    older.catalog.version = '2026.10.0';
    older.catalog.digest = '0'.repeat(64);
    const wsas01 = older.controls.find((c: { id: string }) => c.id === 'WSAS-01');
    const dropped = wsas01.mappings['nist-sp-800-53-r5'].pop();
    writeFileSync(resultFile, `${JSON.stringify(older, null, 2)}\n`);
    for (const f of ['manifest.json', 'manifest.sig', 'public-key.pem']) rmSync(join(october!, f));
    assert.equal((await runCliInProcess(['sign', october!, '--signing-key', key])).code, 0);

    const second = await runCliInProcess(['run', '--out', out, '--no-pdf', '--period', '2026-11', '--signing-key', key], { SOURCE_DATE_EPOCH: '1796169600' });
    assert.equal(second.code, 0, second.stderr);
    const drift = JSON.parse(readFileSync(join(packsUnder(out)[1]!, 'drift.json'), 'utf8'));
    assert.equal(drift.state, 'compared');
    assert.equal(drift.catalogChanged, true);
    assert.match(drift.previous.catalog, /2026\.10\.0 \(000000000000\)$/);
    assert.deepEqual(
      drift.controls.filter((c: { mappingChanged: boolean }) => c.mappingChanged).map((c: { id: string }) => c.id),
      ['WSAS-01'],
      `WSAS-01 gained ${dropped.id} back`,
    );
    const md = await runCliInProcess(['diff', october!, packsUnder(out)[1]!]);
    assert.match(md.stdout, /Catalog changed: workspaces-appstream-data-protection 2026\.10\.0 \(000000000000\) → workspaces-appstream-data-protection 2026\.\d+\.\d+ /);
    assert.match(md.stdout, /\| WSAS-01 .* mapping changed \|/);
  });
});

describe('earlier packs and index.json are untrusted input', () => {
  it('charts escape everything and draw only whole non-negative counts', () => {
    const svg = stackedBars([{ label: '<h1>label</h1>', counts: { fail: '<h1>INJECTED</h1><a href="https://evil.example/">x</a>' as never, pass: -3, gap: 2.5, manual: 4 } }], { title: '<b>t</b>' });
    assert.ok(!/<h1|<a |<b>/.test(svg), svg);
    assert.ok(!svg.includes('INJECTED'), 'a count that is not a number is not drawn');
    assert.match(svg, /<title>Manual: attestation needed: 4<\/title>/);
  });

  it('drift and trend use only earlier packs that verify and are signed by a trusted key; a crafted index.json reaches nothing', async (t) => {
    const work = tempDir(t);
    const out = join(work, 'out');
    const org = join(out, 'example-corp-sample-estate');
    const ours = newKey(join(work, 'ours.pem'));
    const other = newKey(join(work, 'other.pem'));
    // September: our key. October: another key (a previous pack re-signed by someone else).
    const september = await runCliInProcess(['run', '--out', out, '--no-pdf', '--quiet', '--period', '2026-09', '--signing-key', ours]);
    assert.equal(september.code, 0, september.stderr);
    const october = await runCliInProcess(['run', '--out', out, '--no-pdf', '--quiet', '--period', '2026-10', '--signing-key', other]);
    assert.equal(october.code, 0, october.stderr);
    const [sepPack, octPack] = packsUnder(out);
    // August: a copy of September's pack whose result was edited afterwards (does not verify).
    const augPack = join(org, '2026-08', sepPack!.split('/').pop()!);
    mkdirSync(join(org, '2026-08'));
    cpSync(sepPack!, augPack, { recursive: true });
    writeFileSync(join(augPack, 'result.json'), `${readFileSync(join(augPack, 'result.json'), 'utf8')} `); // any edit: September's sample pack is all gaps (its evidence is from October)
    // index.json with markup in every field, pointing at the packs that are there.
    const markup = '<h1>INJECTED</h1><a href="https://evil.example/">click</a>';
    const crafted = (period: string, path: string) => ({ period, packId: markup, path, generatedAt: markup, controls: { fail: markup, pass: markup, [markup]: 1 } });
    writeFileSync(
      join(org, 'index.json'),
      JSON.stringify({
        organization: markup,
        packs: [
          crafted('2026-08', `2026-08/${augPack.split('/').pop()}`),
          crafted(`2026-08${markup}`, `2026-08/${augPack.split('/').pop()}`),
          crafted('2026-10', `2026-10/${octPack!.split('/').pop()}`),
        ],
      }),
    );

    const november = await runCliInProcess(['run', '--out', out, '--period', '2026-11', '--signing-key', ours], { SOURCE_DATE_EPOCH: '1796169600' });
    assert.equal(november.code, 0, november.stderr);
    const otherKey = fingerprintOf(other);
    assert.match(november.stderr, new RegExp(`^evidence-pack: previous pack example-corp-sample-estate/2026-10/pack-\\S+: signed by an untrusted key ${otherKey}: not used$`, 'm'));
    assert.match(november.stderr, /^evidence-pack: earlier pack example-corp-sample-estate\/2026-08\/pack-\S+: changed result\.json: not used in the trend$/m);
    assert.match(november.stderr, /index\.json: 3 entries are not a pack's \(period, packId, path, generatedAt, counts\); left out$/m);
    const novPack = packsUnder(out).find((p) => p.includes('/2026-11/'))!;
    const drift = JSON.parse(readFileSync(join(novPack, 'drift.json'), 'utf8'));
    assert.deepEqual([drift.state, drift.problems], ['previous-pack-refused', [`signed by an untrusted key ${otherKey}`]]);
    const trend = JSON.parse(readFileSync(join(novPack, 'trend.json'), 'utf8'));
    assert.deepEqual(
      trend.map((p: { period: string; verified: boolean; controls?: unknown }) => [p.period, p.verified, p.controls !== undefined]),
      [
        ['2026-08', false, false],
        ['2026-09', true, true],
        ['2026-10', false, false],
        ['2026-11', true, true],
      ],
      'figures only from verified, trusted packs',
    );
    // (the sample's evidence is from October, so September's pack is gaps: 12 controls, none failing)
    assert.deepEqual(trend[1].controls, JSON.parse(readFileSync(join(sepPack!, 'result.json'), 'utf8')).summary.controls, "September's counts come from its own signed result.json");
    assert.equal(trend[1].controls.gap, 12);

    const html = readFileSync(join(novPack, 'report.html'), 'utf8');
    assert.ok(!html.includes('INJECTED') && !html.includes('evil.example'), 'nothing of index.json reaches the report');
    assert.match(
      html,
      /Earlier packs not used, because they do not verify or are signed by a key this run does not trust: 2026-08 pack-\S+ \(changed result\.json\); 2026-10 pack-\S+ \(signed by an untrusted key sha256:[0-9a-f]{64}\)\./,
    );
    assert.match(html, /The pack of the previous period \(pack-\S+\) was not used \(signed by an untrusted key sha256:[0-9a-f]{64}\)/);
    if (existsSync(join(novPack, 'report.pdf'))) {
      const text = execFileSync('pdftotext', [join(novPack, 'report.pdf'), '-'], { encoding: 'utf8' });
      assert.ok(!text.includes('INJECTED') && !text.includes('evil.example'), 'nor the signed PDF');
    }

    // A truncated index.json: one line, the run goes on, the index is whole again. And a key listed in
    // trusted-keys is trusted: October's pack is compared.
    writeFileSync(join(org, 'index.json'), '{"organization": "example-corp-sample-estate", "packs": [');
    writeFileSync(join(work, 'trusted-keys.txt'), `${otherKey}\n`);
    const again = await runCliInProcess(['run', '--out', out, '--no-pdf', '--period', '2026-11', '--signing-key', ours, '--trusted-keys', join(work, 'trusted-keys.txt')], {
      SOURCE_DATE_EPOCH: '1796169660',
    });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /^evidence-pack: \S+index\.json: not valid JSON \(.*\); started afresh$/m);
    assert.ok(!/internal error/.test(again.stderr));
    const index = JSON.parse(readFileSync(join(org, 'index.json'), 'utf8'));
    // Started afresh, then whole again: the packs that verify are indexed anew (the edited August copy is not).
    assert.deepEqual(index.packs.map((p: { period: string }) => p.period).sort(), ['2026-09', '2026-10', '2026-11', '2026-11']);
    const latest = packsUnder(out)
      .filter((p) => p.includes('/2026-11/'))
      .at(-1)!;
    assert.equal(JSON.parse(readFileSync(join(latest, 'drift.json'), 'utf8')).state, 'compared');
  });
});
