import { apiResourceTypes } from '../../../evidence/read-service-apis.ts';
import type { Resource } from '../../../evidence/types.ts';
import { MissingEvidence, type Check, type CheckContext } from '../../types.ts';
import { check as bucketDefaultEncryption } from '../../s3/s3-bucket-default-encryption/check.ts';

// AppStream 2.0 creates one bucket per account and region for each feature, named by these prefixes.
const buckets = {
  'home folders': (region: string, account: string) => `appstream2-36fb080bb8-${region}-${account}`,
  'application settings': (region: string, account: string) => `appstream-app-settings-${region}-${account}-`,
};

/** The bucket's name as DescribeStacks states it (application settings), else AWS's naming convention. */
function bucketName(ctx: CheckContext, stack: Resource, feature: keyof typeof buckets): { name: string; exact: boolean } {
  const described = ctx.findResources(stack.account, stack.region, apiResourceTypes.appstreamStackSettings, (s) => s.id === stack.id)[0];
  const named = feature === 'application settings' ? (described?.configuration.ApplicationSettings as { S3BucketName?: string } | undefined)?.S3BucketName : undefined;
  return named ? { name: named, exact: true } : { name: buckets[feature](stack.region, stack.account), exact: false };
}

function findBucket(ctx: CheckContext, stack: Resource, feature: keyof typeof buckets): Resource {
  const { name, exact } = bucketName(ctx, stack, feature);
  const bucket = ctx.findResources(stack.account, stack.region, 'AWS::S3::Bucket', (b) => (exact ? b.id === name : b.id.startsWith(name)))[0];
  if (!bucket) throw new MissingEvidence(`the ${feature} bucket (${name}${exact ? '' : '…'}) in the configuration snapshot`);
  return bucket;
}

/** What the stack persists to S3. */
function persisted(stack: Resource): (keyof typeof buckets)[] {
  const connectors = (stack.configuration.StorageConnectors ?? []) as { ConnectorType?: string }[];
  const appSettings = stack.configuration.ApplicationSettings as { Enabled?: boolean } | undefined;
  const features: (keyof typeof buckets)[] = [];
  if (connectors.some((c) => c.ConnectorType === 'HOMEFOLDERS')) features.push('home folders');
  if (appSettings?.Enabled === true) features.push('application settings');
  return features;
}

export const check: Check = {
  id: 'appstream-persistence-encrypted',
  title: 'AppStream home folders and application settings persist to encrypted S3 buckets',
  service: 'AppStream 2.0',
  resourceTypes: ['AWS::AppStream::Stack'],
  source: { kind: 'config' },
  remediation: 'Restore default encryption on the AppStream persistence bucket; do not replace the AWS-managed key configuration with none.',
  // The persistence buckets: by AWS's naming convention, or named by a stack's DescribeStacks settings.
  retains(bucket, ctx) {
    if (bucket.type !== 'AWS::S3::Bucket') return false;
    if (Object.values(buckets).some((prefix) => bucket.id.startsWith(prefix(bucket.region, bucket.account)))) return true;
    return (
      ctx.findResources(
        bucket.account,
        bucket.region,
        apiResourceTypes.appstreamStackSettings,
        (s) => (s.configuration.ApplicationSettings as { S3BucketName?: string } | undefined)?.S3BucketName === bucket.id,
      ).length > 0
    );
  },
  looksUp: (stack) => persisted(stack).length > 0,
  evaluate(stack, ctx) {
    const features = persisted(stack);
    if (features.length === 0) return { status: 'not-applicable', message: 'stack persists neither home folders nor application settings to S3' };

    const parts: string[] = [];
    let failed = false;
    for (const feature of features) {
      const bucket = findBucket(ctx, stack, feature);
      const outcome = bucketDefaultEncryption.evaluate(bucket, ctx);
      failed ||= outcome.status !== 'pass';
      parts.push(`${feature} → s3://${bucket.id}: ${outcome.message}`);
    }
    return { status: failed ? 'fail' : 'pass', message: parts.join('; ') };
  },
};
