// Synthetic estates for benchmarks and scale tests: configuration items across the catalog's resource
// types, rule results, a share of failures and planted sensitive tags, written as AWS delivers snapshot
// files (gzipped JSON). Deterministic from the seed. Usage:
//   npm run gen -- --items 100000 --accounts 4 --regions 2 --out /tmp/estate [--seed 1]
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';

export interface GenerateOptions {
  items: number;
  accounts: number;
  regions: number;
  out: string;
  seed: number;
  /** Share of resources made non-compliant (default 0.1). */ failRate?: number;
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const allRegions = ['us-east-1', 'eu-west-1', 'us-west-2', 'eu-central-1', 'ap-southeast-2', 'ca-central-1'];
const captured = '2026-10-31T23:00:00.000Z';

const tlsOnlyPolicy = (bucket: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });

type Maker = (id: string, fail: boolean, r: () => number) => { type: string; name: string; configuration: object; supplementary?: object };

const makers: { weight: number; make: Maker }[] = [
  {
    weight: 40,
    make: (id, fail) => ({
      type: 'AWS::S3::Bucket',
      name: `bucket-${id}`,
      configuration: { name: `bucket-${id}` },
      supplementary: fail
        ? {}
        : { ServerSideEncryptionConfiguration: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] }, BucketPolicy: { policyText: tlsOnlyPolicy(`bucket-${id}`) } },
    }),
  },
  {
    weight: 15,
    make: (id, fail) => ({
      type: 'AWS::KMS::Key',
      name: id,
      configuration: { keyId: id, keyManager: 'CUSTOMER', keyState: 'Enabled', keySpec: 'SYMMETRIC_DEFAULT' },
      supplementary: { KeyRotationStatus: !fail },
    }),
  },
  {
    weight: 15,
    make: (id, fail) => ({
      type: 'AWS::WorkSpaces::Workspace',
      name: `ws-${id}`,
      configuration: { Id: `ws-${id}`, RootVolumeEncryptionEnabled: !fail, UserVolumeEncryptionEnabled: true, VolumeEncryptionKey: 'arn:aws:kms:us-east-1:111111111111:key/k' },
    }),
  },
  { weight: 10, make: (id) => ({ type: 'AWS::IAM::User', name: `user-${id}`, configuration: { userName: `user-${id}`, userId: `AIDA${id}` } }) },
  {
    weight: 8,
    make: (id, fail) => ({
      type: 'AWS::AppStream::Stack',
      name: `stack-${id}`,
      configuration: {
        Name: `stack-${id}`,
        StorageConnectors: [],
        ApplicationSettings: { Enabled: false },
        FeedbackURL: fail ? `https://svc:pw${id}@feedback.example.net/` : 'https://feedback.example.net/',
      },
    }),
  },
  {
    weight: 6,
    make: (id) => ({ type: 'AWS::AppStream::Fleet', name: `fleet-${id}`, configuration: { Name: `fleet-${id}`, VpcConfig: { SubnetIds: ['subnet-1'] }, EnableDefaultInternetAccess: false } }),
  },
  { weight: 5, make: (id) => ({ type: 'AWS::WorkSpaces::ConnectionAlias', name: `alias-${id}`, configuration: { AliasId: `wsca-${id}`, ConnectionString: `desktop-${id}.example.com` } }) },
  {
    weight: 1,
    make: (id, fail) => ({
      type: 'AWS::CloudTrail::Trail',
      name: `trail-${id}`,
      configuration: { name: `trail-${id}`, isMultiRegionTrail: !fail, logFileValidationEnabled: true, kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/k' },
    }),
  },
];
const totalWeight = makers.reduce((n, m) => n + m.weight, 0);

function pick(r: () => number): Maker {
  let x = r() * totalWeight;
  for (const m of makers) if ((x -= m.weight) < 0) return m.make;
  return makers[0]!.make;
}

async function writeGzipJson(file: string, head: string, items: Iterable<string>, tail: string): Promise<void> {
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(file);
  gzip.pipe(out);
  const write = async (s: string) => {
    if (!gzip.write(s)) await once(gzip, 'drain');
  };
  await write(head);
  let first = true;
  for (const item of items) {
    await write(first ? item : `,${item}`);
    first = false;
  }
  await write(tail);
  gzip.end();
  await once(out, 'finish');
}

export async function generateEstate(opts: GenerateOptions): Promise<{ files: number; items: number }> {
  const r = prng(opts.seed);
  const accounts = Array.from({ length: opts.accounts }, (_, i) => String(100000000000 + i * 11111));
  const regions = allRegions.slice(0, opts.regions);
  const perScope = Math.ceil(opts.items / (accounts.length * regions.length));
  let made = 0;
  let files = 0;
  await mkdir(join(opts.out, 'config-snapshots'), { recursive: true });
  for (const account of accounts) {
    for (const region of regions) {
      const count = Math.min(perScope, opts.items - made);
      const base = join(opts.out, 'aws', account, region);
      const ruleName = 'iam-user-mfa-enabled';
      const evaluations: object[] = [];
      function* items(): Generator<string> {
        for (let i = 0; i < count; i++) {
          const id = `${account.slice(-4)}${region.slice(0, 2)}${String(made + i).padStart(8, '0')}`;
          const fail = r() < (opts.failRate ?? 0.1);
          const m = pick(r)(id, fail, r);
          const global = m.type === 'AWS::IAM::User';
          if (global && region !== regions[0]) {
            i--;
            continue;
          }
          const tags: Record<string, string> = { CostCenter: String(1000 + Math.floor(r() * 9000)) };
          if (r() < 0.005) tags.Owner = `owner.${id}@example.com`;
          if (global)
            evaluations.push({
              EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: ruleName, ResourceType: m.type, ResourceId: `AIDA${id}` } },
              ComplianceType: fail ? 'NON_COMPLIANT' : 'COMPLIANT',
              ResultRecordedTime: captured,
            });
          yield JSON.stringify({
            configurationItemVersion: '1.3',
            configurationItemCaptureTime: captured,
            configurationStateId: made + i,
            awsAccountId: account,
            configurationItemStatus: 'OK',
            resourceType: m.type,
            resourceId: global ? `AIDA${id}` : id,
            resourceName: m.name,
            ARN: `arn:aws:${m.type.split('::')[1]!.toLowerCase()}:${global ? '' : region}:${account}:${id}`,
            awsRegion: global ? 'global' : region,
            availabilityZone: 'Regional',
            tags,
            relationships: [],
            configuration: m.configuration,
            supplementaryConfiguration: m.supplementary ?? {},
          });
        }
      }
      await writeGzipJson(
        join(opts.out, 'config-snapshots', `${account}_Config_${region}_ConfigSnapshot_20261031T230000Z_gen-${files}.json.gz`),
        `{"fileVersion":"1.0","configSnapshotId":"gen-${files}","configurationItems":[`,
        items(),
        ']}',
      );
      made += count;
      files++;
      await mkdir(join(base, 'config'), { recursive: true });
      await mkdir(join(base, 'workspaces'), { recursive: true });
      await mkdir(join(base, 'macie2'), { recursive: true });
      await writeFile(
        join(base, 'config', 'DescribeConfigurationRecorders.json'),
        JSON.stringify({ ConfigurationRecorders: [{ name: 'default', recordingGroup: { allSupported: true, includeGlobalResourceTypes: region === regions[0], resourceTypes: [] } }] }),
      );
      await writeFile(
        join(base, 'config', 'DescribeConfigurationRecorderStatus.json'),
        JSON.stringify({ ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'SUCCESS' }] }),
      );
      await writeFile(
        join(base, 'workspaces', 'DescribeWorkspaceDirectories.json'),
        JSON.stringify({ Directories: [{ DirectoryId: `d-${account.slice(-8)}aa`, EndpointEncryptionMode: r() < 0.5 ? 'FIPS_VALIDATED' : 'STANDARD_TLS' }] }),
      );
      await writeFile(join(base, 'macie2', 'GetMacieSession.json'), JSON.stringify({ status: 'ENABLED' }));
      if (evaluations.length) {
        await mkdir(join(base, 'config', 'GetComplianceDetailsByConfigRule'), { recursive: true });
        await writeFile(
          join(base, 'config', 'DescribeConfigRules.json'),
          JSON.stringify({ ConfigRules: [{ ConfigRuleName: ruleName, Source: { Owner: 'AWS', SourceIdentifier: 'IAM_USER_MFA_ENABLED' } }] }),
        );
        await writeFile(join(base, 'config', 'GetComplianceDetailsByConfigRule', `${ruleName}.json`), JSON.stringify({ EvaluationResults: evaluations }));
      }
    }
  }
  await writeFile(
    join(opts.out, 'snapshot.json'),
    JSON.stringify(
      {
        schema: 'evidence-pack/snapshot@1',
        snapshotId: `generated-${opts.items}-${opts.seed}`,
        organization: 'Synthetic Corp (generated estate)',
        collectedAt: '2026-10-31T23:30:00.000Z',
        collector: { method: 'files', description: `generated: ${opts.items} items, seed ${opts.seed}`, identity: null },
        scope: { accounts, regions },
        gaps: [],
      },
      null,
      2,
    ),
  );
  return { files, items: made };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const outIndex = process.argv.indexOf('--out');
  if (outIndex < 0) {
    process.stderr.write('usage: npm run gen -- --items N [--accounts A] [--regions R] [--seed S] --out DIR\n');
    process.exit(2);
  }
  const opts = { items: arg('items', 10000), accounts: arg('accounts', 2), regions: arg('regions', 2), seed: arg('seed', 1), out: process.argv[outIndex + 1]! };
  const t = performance.now();
  const done = await generateEstate(opts);
  process.stdout.write(`generated ${done.items} configuration items in ${done.files} snapshot files into ${opts.out} (${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
}
