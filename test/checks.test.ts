import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checks, checksById } from '../src/checks/index.ts';
import { MissingEvidence, type CheckContext } from '../src/checks/types.ts';
import { TlsSummaryBuilder, type TrailEvent } from '../src/evidence/cloudtrail-summary.ts';
import { resourceFromConfigurationItem } from '../src/evidence/config-items.ts';
import { apiResourceTypes } from '../src/evidence/read.ts';
import type { Resource } from '../src/evidence/types.ts';
import { referenceDir, sampleDir } from './helpers.ts';

const sampleItems: any[] = readdirSync(join(sampleDir, 'config-snapshots')).flatMap((f) => JSON.parse(readFileSync(join(sampleDir, 'config-snapshots', f), 'utf8')).configurationItems);

/** A sample configuration item (AWS's delivered shape), deep-copied and changed by `edit`. */
function ci(resourceId: string, edit: (ci: any) => void = () => {}): Resource {
  const item = structuredClone(sampleItems.find((i) => i.resourceId === resourceId));
  assert.ok(item, resourceId);
  edit(item);
  return resourceFromConfigurationItem(item, { file: 'test', pointer: '', api: 'test' }, 'test', 'ci');
}

function apiRecord(type: string, configuration: Record<string, unknown>): Resource {
  return { key: 'k', account: '111111111111', region: 'us-east-1', type, id: 'x', tags: {}, configuration, supplementary: {}, capturedAt: '2026-10-31T00:00:00Z', status: 'OK', origin: { file: 't', pointer: '', api: 't' } };
}

/** A CloudTrail record as the reader makes it: events summarised, one a minute from 2026-10-01. */
function trailRecord(events: TrailEvent[]): Resource {
  const builder = new TlsSummaryBuilder();
  events.forEach((e, i) => builder.add({ ...e, eventTime: new Date(Date.UTC(2026, 9, 1, 0, i)).toISOString().replace('.000', '') }));
  return apiRecord(apiResourceTypes.cloudtrailEventSample, { ...builder.build({ kind: 'lookup-events-sample' }) });
}

const noLookups: CheckContext = { findResources: () => [] };
const run = (id: string, r: Resource, ctx: CheckContext = noLookups) => checksById.get(id)!.evaluate(r, ctx);
const missing = (id: string, r: Resource, field: RegExp) => assert.throws(() => run(id, r), (e: unknown) => e instanceof MissingEvidence && field.test(e.field));

/** AWS's own example configuration items (aws-config-rdk), where the shared reference is present. */
const rdk = (file: string) => join(referenceDir, 'aws/samples/rdk-example-ci', file);
const rdkNote = 'needs ../shared/reference (present in CI and for developers, absent in a user clone)';

describe('checks', () => {
  it('have unique ids and one file each', () => {
    assert.equal(checksById.size, checks.length);
    assert.deepEqual(checks.map((c) => c.id).sort(), [
      'appstream-fleet-network-isolation', 'appstream-persistence-encrypted', 'cloudtrail-fips-endpoints', 'cloudtrail-kms-encryption', 'cloudtrail-log-file-validation',
      'cloudtrail-multi-region-logging', 'cloudtrail-tls-version', 'credentials-in-urls', 'iam-root-mfa', 'iam-user-mfa', 'kms-key-rotation', 'macie-enabled', 's3-bucket-default-encryption', 's3-bucket-tls-only', 'sensitive-data-in-tags-and-names',
      'workspaces-directory-fips-endpoint', 'workspaces-volume-encryption',
    ]);
  });

  it('workspaces-volume-encryption', () => {
    assert.equal(run('workspaces-volume-encryption', ci('ws-f2k9x7m1q')).status, 'pass');
    assert.match(run('workspaces-volume-encryption', ci('ws-f2k9x7m1q')).message, /key\/0c1b7a4e/);
    assert.deepEqual(run('workspaces-volume-encryption', ci('ws-b8n3p5r2t')), { status: 'fail', message: 'root volume not encrypted' });
    assert.equal(run('workspaces-volume-encryption', ci('ws-f2k9x7m1q', (c) => delete c.configuration.VolumeEncryptionKey)).status, 'fail');
    missing('workspaces-volume-encryption', ci('ws-f2k9x7m1q', (c) => delete c.configuration.UserVolumeEncryptionEnabled), /UserVolumeEncryptionEnabled/);
    // The API shape carries configuration as a JSON string.
    const apiShape = ci('ws-b8n3p5r2t', (c) => { c.configuration = JSON.stringify(c.configuration); c.accountId = c.awsAccountId; delete c.awsAccountId; });
    assert.equal(run('workspaces-volume-encryption', apiShape).status, 'fail');
  });

  it('workspaces-directory-fips-endpoint', () => {
    const t = apiResourceTypes.workspacesDirectory;
    assert.equal(run('workspaces-directory-fips-endpoint', apiRecord(t, { DirectoryId: 'd-1', EndpointEncryptionMode: 'FIPS_VALIDATED' })).status, 'pass');
    assert.equal(run('workspaces-directory-fips-endpoint', apiRecord(t, { DirectoryId: 'd-1', EndpointEncryptionMode: 'STANDARD_TLS' })).status, 'fail');
    missing('workspaces-directory-fips-endpoint', apiRecord(t, { DirectoryId: 'd-1' }), /EndpointEncryptionMode/);
  });

  it('appstream-persistence-encrypted', () => {
    const buckets = sampleItems.filter((i) => i.resourceType === 'AWS::S3::Bucket').map((b) => ci(b.resourceId));
    const ctx = (list: Resource[]): CheckContext => ({ findResources: (a, r, type, p = () => true) => list.filter((b) => b.account === a && b.region === r && b.type === type && p(b)) });
    assert.equal(run('appstream-persistence-encrypted', ci('analyst-stack'), ctx(buckets)).status, 'pass');
    const unencrypted = buckets.map((b) => (b.id.startsWith('appstream2-') ? { ...b, supplementary: {} } : b));
    const failing = run('appstream-persistence-encrypted', ci('analyst-stack'), ctx(unencrypted));
    assert.equal(failing.status, 'fail');
    assert.match(failing.message, /home folders → s3:\/\/appstream2-36fb080bb8-us-east-1-111111111111: no default encryption/);
    assert.equal(run('appstream-persistence-encrypted', ci('dev-stack'), ctx(buckets)).status, 'not-applicable');
    assert.throws(() => run('appstream-persistence-encrypted', ci('analyst-stack'), ctx([])), MissingEvidence);
    // DescribeStacks names the application-settings bucket: that exact bucket is the one judged.
    const settings = (bucket: string) => ({ ...apiRecord(apiResourceTypes.appstreamStackSettings, { Name: 'analyst-stack', ApplicationSettings: { Enabled: true, S3BucketName: bucket } }), id: 'analyst-stack' });
    const named = run('appstream-persistence-encrypted', ci('analyst-stack'), ctx([...buckets, settings('appstream-app-settings-us-east-1-111111111111-k2j4h6')]));
    assert.match(named.message, /application settings → s3:\/\/appstream-app-settings-us-east-1-111111111111-k2j4h6: default encryption/);
    assert.throws(() => run('appstream-persistence-encrypted', ci('analyst-stack'), ctx([...buckets, settings('other-bucket')])), (e: unknown) => e instanceof MissingEvidence && /\(other-bucket\) in the configuration snapshot/.test(e.field));
  });

  it('appstream-fleet-network-isolation on AWS::AppStream::Fleet items', () => {
    assert.equal(run('appstream-fleet-network-isolation', ci('analyst-fleet')).status, 'pass');
    const open = run('appstream-fleet-network-isolation', ci('dev-fleet'));
    assert.equal(open.status, 'fail');
    assert.match(open.message, /^not in a VPC; default internet access on:/);
    const inVpcButOpen = run('appstream-fleet-network-isolation', ci('analyst-fleet', (c) => { c.configuration.EnableDefaultInternetAccess = true; }));
    assert.match(inVpcButOpen.message, /^default internet access on: fleet in 2 subnet\(s\)/);
    missing('appstream-fleet-network-isolation', ci('analyst-fleet', (c) => delete c.configuration.EnableDefaultInternetAccess), /EnableDefaultInternetAccess/);
  });

  it('iam-user-mfa and iam-root-mfa read the credential report', () => {
    const row = (user: string, arn: string, passwordEnabled: string, mfaActive: boolean, activeAccessKeys = 0) => ({ user, arn, createdAt: '2024-01-01T00:00:00+00:00', passwordEnabled, mfaActive, activeAccessKeys });
    const report = (...users: ReturnType<typeof row>[]) => ({ ...apiRecord(apiResourceTypes.iamCredentialReport, { generatedAt: '2026-10-31T23:50:12.000Z', users }), region: 'global', id: '111111111111' });
    const ctx = (r: Resource[]): CheckContext => ({ findResources: (a, region, type) => r.filter((x) => x.account === a && x.region === region && x.type === type) });
    const alice = ci('AIDAQ3EGRKZ7ALICE0001');
    const withMfa = report(row('alice.admin', 'arn:aws:iam::111111111111:user/alice.admin', 'true', true));
    assert.deepEqual(checksById.get('iam-user-mfa')!.evaluate(alice, ctx([withMfa])), { status: 'pass', message: 'MFA device active; console password enabled, no active access key (credential report 2026-10-31T23:50:12.000Z)' });
    const without = report(row('alice.admin', 'arn:aws:iam::111111111111:user/alice.admin', 'false', false, 2));
    assert.match(checksById.get('iam-user-mfa')!.evaluate(alice, ctx([without])).message, /^no MFA device; no console password, 2 active access key/);
    assert.throws(() => checksById.get('iam-user-mfa')!.evaluate(alice, ctx([])), (e: unknown) => e instanceof MissingEvidence && /credential report of account 111111111111/.test(e.field));
    assert.throws(() => checksById.get('iam-user-mfa')!.evaluate(alice, ctx([report()])), (e: unknown) => e instanceof MissingEvidence && /IAM user alice\.admin in the credential report generated/.test(e.field));
    const root = (mfa: boolean) => report(row('<root_account>', 'arn:aws:iam::111111111111:root', 'not_supported', mfa));
    assert.equal(run('iam-root-mfa', root(true)).status, 'pass');
    assert.match(run('iam-root-mfa', root(false)).message, /^root user has no MFA device/);
    missing('iam-root-mfa', report(), /<root_account> row/);
  });

  it('cloudtrail-fips-endpoints', () => {
    const sample = (region: string, hosts: (string | undefined)[]) => ({ ...trailRecord(hosts.map((host) => ({ eventSource: 'kms.amazonaws.com', userAgent: 'aws-sdk-js/3', tlsDetails: host ? { tlsVersion: 'TLSv1.3', clientProvidedHostHeader: host } : undefined }))), region });
    assert.equal(run('cloudtrail-fips-endpoints', sample('us-east-1', ['kms-fips.us-east-1.amazonaws.com', 's3-fips.dualstack.us-east-1.amazonaws.com', undefined])).status, 'pass');
    const standard = run('cloudtrail-fips-endpoints', sample('us-west-2', ['kms-fips.us-west-2.amazonaws.com', 'kms.us-west-2.amazonaws.com', 'kms.us-west-2.amazonaws.com']));
    assert.equal(standard.status, 'fail');
    assert.match(standard.message, /^2 of 3 call\(s\) with a host header went to non-FIPS endpoints \(3 events sampled .*\): kms\.us-west-2\.amazonaws\.com by "aws-sdk-js\/3" \(2\)$/);
    assert.match(run('cloudtrail-fips-endpoints', sample('eu-west-1', ['kms.eu-west-1.amazonaws.com'])).message, /no FIPS endpoints in eu-west-1/);
    assert.equal(run('cloudtrail-fips-endpoints', sample('us-gov-west-1', ['kms.us-gov-west-1.amazonaws.com'])).status, 'not-applicable');
    assert.equal(run('cloudtrail-fips-endpoints', sample('ca-central-1', [undefined])).status, 'not-applicable');
    assert.equal(run('cloudtrail-fips-endpoints', sample('us-east-1', ['fipsy.us-east-1.amazonaws.com'])).status, 'fail', 'a name that merely contains "fips" is not a FIPS endpoint');
    missing('cloudtrail-fips-endpoints', apiRecord(apiResourceTypes.cloudtrailEventSample, {}), /configuration\.hostHeaders/);
  });

  it('cloudtrail checks on the sample and on AWS\'s example item', { skip: existsSync(rdk('AWS_Cloudtrail_Trail.json')) ? false : rdkNote }, () => {
    const aws = JSON.parse(readFileSync(rdk('AWS_Cloudtrail_Trail.json'), 'utf8'));
    const trail = resourceFromConfigurationItem(aws, { file: 'rdk', pointer: '', api: 'rdk' }, 'rdk', 'ci');
    // AWS's example trail has custom event selectors, which its configuration item does not carry, nor whether it is logging.
    missing('cloudtrail-multi-region-logging', trail, /^the CloudTrail GetEventSelectors response for trail APJCCloudTrail \(212591712841\/ap-southeast-1\)/);
    assert.equal(run('cloudtrail-log-file-validation', trail).status, 'pass');
    assert.equal(run('cloudtrail-kms-encryption', trail).status, 'fail', 'AWS example trail has no kmsKeyId');
    assert.equal(run('cloudtrail-kms-encryption', ci('org-audit-trail')).status, 'pass');
    assert.match(run('cloudtrail-multi-region-logging', ci('dev-trail')).message, /^no logging multi-region trail .* in 222222222222; found 1 trail\(s\): dev-trail \(us-east-1\): single-region trail/);
    missing('cloudtrail-multi-region-logging', ci('org-audit-trail'), /^the CloudTrail GetTrailStatus response for trail org-audit-trail \(111111111111\/us-east-1\)/);
    assert.equal(run('cloudtrail-log-file-validation', ci('dev-trail')).status, 'fail');
    missing('cloudtrail-multi-region-logging', ci('dev-trail', (c) => delete c.configuration.isMultiRegionTrail), /isMultiRegionTrail/);
  });

  it('s3-bucket-default-encryption', { skip: existsSync(rdk('AWS_S3_Bucket.json')) ? false : rdkNote }, () => {
    const aws = JSON.parse(readFileSync(rdk('AWS_S3_Bucket.json'), 'utf8'));
    assert.equal(run('s3-bucket-default-encryption', resourceFromConfigurationItem(aws, { file: 'rdk', pointer: '', api: 'rdk' }, 'rdk', 'ci')).status, 'fail', 'the 2019 example predates default encryption');
    assert.match(run('s3-bucket-default-encryption', ci('appstream2-36fb080bb8-us-east-1-111111111111')).message, /SSE-S3/);
    assert.match(run('s3-bucket-default-encryption', ci('audit-logs-111111111111')).message, /aws:kms with arn:aws:kms/);
    assert.equal(run('s3-bucket-default-encryption', ci('legacy-exports-2019')).status, 'fail');
  });

  it('s3-bucket-tls-only', { skip: existsSync(rdk('AWS_S3_Bucket.json')) ? false : rdkNote }, () => {
    const aws = JSON.parse(readFileSync(rdk('AWS_S3_Bucket.json'), 'utf8'));
    const example = run('s3-bucket-tls-only', resourceFromConfigurationItem(aws, { file: 'rdk', pointer: '', api: 'rdk' }, 'rdk', 'ci'));
    assert.deepEqual(example, { status: 'pass', message: 'policy denies requests without TLS (aws:SecureTransport false)' }, 'AWS example bucket has the SecureTransport deny');
    assert.equal(run('s3-bucket-tls-only', ci('audit-logs-111111111111')).status, 'pass');
    assert.equal(run('s3-bucket-tls-only', ci('legacy-exports-2019')).status, 'fail');
    const allow = ci('audit-logs-111111111111', (c) => { c.supplementaryConfiguration.BucketPolicy.policyText = JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: 's3:GetObject' } }); });
    assert.match(run('s3-bucket-tls-only', allow).message, /no statement denying/);
    const tls12 = ci('audit-logs-111111111111', (c) => { c.supplementaryConfiguration.BucketPolicy.policyText = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: ['s3:*'], Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } }] }); });
    assert.match(run('s3-bucket-tls-only', tls12).message, /below TLS 1\.2/);
  });

  it('kms-key-rotation', { skip: existsSync(rdk('AWS_KMS_Key.json')) ? false : rdkNote }, () => {
    const aws = JSON.parse(readFileSync(rdk('AWS_KMS_Key.json'), 'utf8'));
    assert.equal(run('kms-key-rotation', resourceFromConfigurationItem(aws, { file: 'rdk', pointer: '', api: 'rdk' }, 'rdk', 'ci')).status, 'not-applicable', 'AWS managed key');
    assert.equal(run('kms-key-rotation', ci('0c1b7a4e-3f21-4d5a-9a0e-5b6c7d8e9f01')).status, 'pass');
    assert.equal(run('kms-key-rotation', ci('3a4b5c6d-7e8f-4a1b-9c2d-0e1f2a3b4c5d')).status, 'fail');
    missing('kms-key-rotation', ci('9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b'), /supplementaryConfiguration\.KeyRotationStatus/);
  });

  it('cloudtrail-tls-version', () => {
    const sample = (versions: (string | undefined)[]) => trailRecord(versions.map((v) => ({ eventSource: 'workspaces.amazonaws.com', eventName: 'DescribeWorkspaces', userAgent: 'aws-cli/1.16.0', tlsDetails: v ? { tlsVersion: v } : undefined })));
    assert.equal(run('cloudtrail-tls-version', sample(['TLSv1.2', 'TLSv1.3', undefined])).status, 'pass');
    const old = run('cloudtrail-tls-version', sample(['TLSv1.2', 'TLSv1.1', 'TLSv1']));
    assert.equal(old.status, 'fail');
    assert.match(old.message, /^2 call\(s\) below TLS 1\.2 \(TLSv1 1, TLSv1\.1 1, TLSv1\.2 1; 3 events sampled 2026-10-01T00:00:00Z to 2026-10-01T00:02:00Z\): workspaces\.amazonaws\.com DescribeWorkspaces by "aws-cli\/1\.16\.0"/);
    assert.equal(run('cloudtrail-tls-version', sample([undefined])).status, 'not-applicable');
    missing('cloudtrail-tls-version', apiRecord(apiResourceTypes.cloudtrailEventSample, {}), /configuration\.tlsVersions/);
    // Log files: the same summary, whatever the number of events, with the files it stands for.
    const builder = new TlsSummaryBuilder();
    for (let i = 0; i < 100_000; i++) builder.add({ eventTime: '2026-10-02T00:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', userAgent: `client-${Math.floor(i / 1000)}`, tlsDetails: { tlsVersion: i % 1000 ? 'TLSv1.3' : 'TLSv1.1' } });
    const summary = builder.build({ kind: 'log-files', files: 12 });
    assert.equal(summary.belowTls12.length, 20, '100 clients below TLS 1.2: the 20 first groups kept, the count stays exact');
    assert.match(run('cloudtrail-tls-version', apiRecord(apiResourceTypes.cloudtrailEventSample, { ...summary })).message, /^100 call\(s\) below TLS 1\.2 \(TLSv1\.1 100, TLSv1\.3 99900; 100000 events in 12 CloudTrail log file\(s\) 2026-10-02T00:00:00Z to 2026-10-02T00:00:00Z\)/);
  });

  it('macie-enabled', () => {
    assert.equal(run('macie-enabled', apiRecord(apiResourceTypes.macieSession, { status: 'ENABLED' })).status, 'pass');
    assert.equal(run('macie-enabled', apiRecord(apiResourceTypes.macieSession, { status: 'PAUSED' })).status, 'fail');
    // Macie's answer where it is off is a fact (fail); another error kept in its place decides nothing (gap).
    const off = run('macie-enabled', apiRecord(apiResourceTypes.macieSession, { Error: { Code: 'AccessDeniedException', Message: 'Macie is not enabled.', HttpStatusCode: 403 } }));
    assert.deepEqual(off, { status: 'fail', message: 'Macie is not enabled: GetMacieSession answered AccessDeniedException "Macie is not enabled." (HTTP 403)' });
    missing('macie-enabled', apiRecord(apiResourceTypes.macieSession, { Error: { Code: 'AccessDeniedException', Message: 'User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: macie2:GetMacieSession' } }), /^configuration\.status$/);
  });

  it('sensitive-data-in-tags-and-names reports with the value masked', () => {
    const owner = run('sensitive-data-in-tags-and-names', ci('ws-f2k9x7m1q'));
    assert.equal(owner.status, 'fail');
    assert.match(owner.message, /^tag "Owner" holds email: \[REDACTED email #[0-9a-f]{8}\]$/);
    assert.ok(!owner.message.includes('jane.doe'));
    assert.match(run('sensitive-data-in-tags-and-names', ci('ws-c4d6f8h0j')).message, /tag "Name" holds secret-assignment: temp desk pw=\[REDACTED/);
    assert.equal(run('sensitive-data-in-tags-and-names', ci('ws-b8n3p5r2t')).status, 'pass');
    const key = run('sensitive-data-in-tags-and-names', ci('ws-b8n3p5r2t', (c) => { c.tags.Deployer = 'AKIAIOSFODNN7EXAMPLE'; }));
    assert.match(key.message, /aws-access-key-id/);
  });

  it('credentials-in-urls', () => {
    const stack = run('credentials-in-urls', ci('analyst-stack'));
    assert.equal(stack.status, 'fail');
    assert.match(stack.message, /configuration\.FeedbackURL: https:\/\/\[REDACTED url-credentials #[0-9a-f]{8}\]@feedback\.example\.net\/submit/);
    assert.ok(!stack.message.includes('Hunter2'));
    assert.equal(run('credentials-in-urls', ci('dev-stack')).status, 'pass');
    assert.equal(run('credentials-in-urls', ci('dev-stack', (c) => { c.configuration.RedirectURL = 'https://dev.example.com/?access_token=abc123'; })).status, 'fail');
  });
});
