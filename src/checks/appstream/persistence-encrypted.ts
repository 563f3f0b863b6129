import type { Resource } from '../../evidence/types.ts';
import { MissingEvidence, type Check, type CheckContext } from '../types.ts';
import { bucketDefaultEncryption } from '../s3/bucket-default-encryption.ts';

// AppStream 2.0 creates one bucket per account and region for each feature, named by these prefixes.
const buckets = {
  'home folders': (region: string, account: string) => `appstream2-36fb080bb8-${region}-${account}`,
  'application settings': (region: string, account: string) => `appstream-app-settings-${region}-${account}-`,
};

function findBucket(ctx: CheckContext, stack: Resource, prefix: string): Resource | undefined {
  return ctx.findResources(stack.account, stack.region, 'AWS::S3::Bucket', (b) => b.id.startsWith(prefix))[0];
}

export const appstreamPersistenceEncrypted: Check = {
  id: 'appstream-persistence-encrypted',
  title: 'AppStream home folders and application settings persist to encrypted S3 buckets',
  service: 'AppStream 2.0',
  resourceTypes: ['AWS::AppStream::Stack'],
  source: { kind: 'config' },
  remediation: 'Restore default encryption on the AppStream persistence bucket; do not replace the AWS-managed key configuration with none.',
  evaluate(stack, ctx) {
    const connectors = (stack.configuration.StorageConnectors ?? []) as { ConnectorType?: string }[];
    const appSettings = stack.configuration.ApplicationSettings as { Enabled?: boolean } | undefined;
    const features: (keyof typeof buckets)[] = [];
    if (connectors.some((c) => c.ConnectorType === 'HOMEFOLDERS')) features.push('home folders');
    if (appSettings?.Enabled === true) features.push('application settings');
    if (features.length === 0) return { status: 'not-applicable', message: 'stack persists neither home folders nor application settings to S3' };

    const parts: string[] = [];
    let failed = false;
    for (const feature of features) {
      const bucket = findBucket(ctx, stack, buckets[feature](stack.region, stack.account));
      if (!bucket) throw new MissingEvidence(`the ${feature} bucket (${buckets[feature](stack.region, stack.account)}…) in the configuration snapshot`);
      const outcome = bucketDefaultEncryption.evaluate(bucket, ctx);
      failed ||= outcome.status !== 'pass';
      parts.push(`${feature} → s3://${bucket.id}: ${outcome.message}`);
    }
    return { status: failed ? 'fail' : 'pass', message: parts.join('; ') };
  },
};
