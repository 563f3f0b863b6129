import { optionalField } from '../../fields.ts';
import type { Check } from '../../types.ts';

interface SseRule {
  applyServerSideEncryptionByDefault?: { sseAlgorithm?: string; kmsMasterKeyID?: string };
}

export const check: Check = {
  id: 's3-bucket-default-encryption',
  title: 'S3 bucket has default server-side encryption',
  service: 'S3',
  resourceTypes: ['AWS::S3::Bucket'],
  source: { kind: 'config' },
  remediation: 'Set default encryption on the bucket (SSE-S3 or SSE-KMS).',
  sameProperty: ['S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED'],
  evaluate(bucket) {
    const rules = optionalField(bucket, 'supplementary', 'ServerSideEncryptionConfiguration.rules') as SseRule[] | undefined;
    const sse = rules?.map((r) => r.applyServerSideEncryptionByDefault).find((d) => d?.sseAlgorithm);
    if (!sse) return { status: 'fail', message: 'no default encryption configuration recorded' };
    if (sse.sseAlgorithm === 'AES256') return { status: 'pass', message: 'default encryption SSE-S3 (AES-256, AWS-managed keys)' };
    return { status: 'pass', message: `default encryption ${sse.sseAlgorithm}${sse.kmsMasterKeyID ? ` with ${sse.kmsMasterKeyID}` : ' with the AWS-managed KMS key'}` };
  },
};
