import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parsePeriod, periodFromDates, previousPeriod, resolvePeriod } from '../src/period/period.ts';
import { packsUnder, runCli, tempDir } from './helpers.ts';

describe('reporting periods', () => {
  it('months of 28 to 31 days, leap February, quarters', () => {
    assert.deepEqual(parsePeriod('2026-02'), { label: '2026-02', from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', tz: 'UTC' });
    assert.equal(parsePeriod('2028-02').to, '2028-03-01T00:00:00.000Z');
    const days = (p: { from: string; to: string }) => (Date.parse(p.to) - Date.parse(p.from)) / 86_400_000;
    assert.deepEqual(['2026-02', '2028-02', '2026-04', '2026-10'].map((m) => days(parsePeriod(m))), [28, 29, 30, 31]);
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

  it('defaults to the previous full month of the run\'s time, in the zone', () => {
    assert.equal(resolvePeriod({}, '2026-11-23T10:00:00.000Z').label, '2026-10');
    assert.equal(resolvePeriod({}, '2026-01-05T10:00:00.000Z').label, '2025-12');
    assert.equal(resolvePeriod({ tz: 'Pacific/Auckland' }, '2026-10-31T12:00:00.000Z').label, '2026-10', 'already 1 Nov in Auckland');
    assert.throws(() => resolvePeriod({ period: '2026-13' }, '2026-11-23T10:00:00.000Z'), /--period 2026-13: expected YYYY-MM, YYYY-Qn or previous-month/);
    assert.throws(() => resolvePeriod({ tz: 'Mars/Olympus' }, '2026-11-23T10:00:00.000Z'), /--tz Mars\/Olympus: not an IANA time zone/);
  });

  it('places packs by organization and period, indexes them, and compares with the previous period\'s pack', async (t) => {
    const out = join(tempDir(t), 'out');
    const first = await runCli(['run', '--out', out, '--no-pdf', '--period', '2026-10']);
    assert.equal(first.code, 0, first.stderr);
    const second = await runCli(['run', '--out', out, '--no-pdf', '--period', '2026-11'], { SOURCE_DATE_EPOCH: '1796169600' });
    assert.equal(second.code, 0, second.stderr);
    const [october, november] = packsUnder(out);
    assert.match(october!, /\/example-corp-sample-estate\/2026-10\/pack-/);
    assert.match(november!, /\/example-corp-sample-estate\/2026-11\/pack-/);
    const index = JSON.parse(readFileSync(join(out, 'example-corp-sample-estate', 'index.json'), 'utf8'));
    assert.deepEqual(index.packs.map((p: { period: string }) => p.period), ['2026-10', '2026-11']);
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
    assert.deepEqual(trend.map((p: { period: string; verified: boolean }) => [p.period, p.verified]), [['2026-10', true], ['2026-11', true]]);
    assert.ok(html.includes('aria-label="Controls by status, period by period"'), 'trend chart in the report');
  });

  it('compares with a previous pack made from another catalog version: catalog and mapping changes are named', async (t) => {
    const work = tempDir(t);
    const out = join(work, 'out');
    const key = join(work, 'key.pem');
    writeFileSync(key, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const first = await runCli(['run', '--out', out, '--no-pdf', '--period', '2026-10', '--signing-key', key]);
    assert.equal(first.code, 0, first.stderr);
    const [october] = packsUnder(out);
    // Make October's pack look as an older catalog would have made it: another version, WSAS-01 mapped to one control fewer.
    const resultFile = join(october!, 'result.json');
    const older = JSON.parse(readFileSync(resultFile, 'utf8'));
    older.catalog.version = '2026.10.0';
    older.catalog.digest = '0'.repeat(64);
    const wsas01 = older.controls.find((c: { id: string }) => c.id === 'WSAS-01');
    const dropped = wsas01.mappings.nist.pop();
    writeFileSync(resultFile, `${JSON.stringify(older, null, 2)}\n`);
    for (const f of ['manifest.json', 'manifest.sig', 'public-key.pem']) rmSync(join(october!, f));
    assert.equal((await runCli(['sign', october!, '--signing-key', key])).code, 0);

    const second = await runCli(['run', '--out', out, '--no-pdf', '--period', '2026-11', '--signing-key', key], { SOURCE_DATE_EPOCH: '1796169600' });
    assert.equal(second.code, 0, second.stderr);
    const drift = JSON.parse(readFileSync(join(packsUnder(out)[1]!, 'drift.json'), 'utf8'));
    assert.equal(drift.state, 'compared');
    assert.equal(drift.catalogChanged, true);
    assert.match(drift.previous.catalog, /2026\.10\.0 \(000000000000\)$/);
    assert.deepEqual(drift.controls.filter((c: { mappingChanged: boolean }) => c.mappingChanged).map((c: { id: string }) => c.id), ['WSAS-01'], `WSAS-01 gained ${dropped.id} back`);
    const md = await runCli(['diff', october!, packsUnder(out)[1]!]);
    assert.match(md.stdout, /Catalog changed: workspaces-appstream-data-protection 2026\.10\.0 \(000000000000\) → workspaces-appstream-data-protection 2026\.11\.\d+ /);
    assert.match(md.stdout, /\| WSAS-01 .* mapping changed \|/);
  });
});
