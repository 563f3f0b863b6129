import { optionalField } from '../../fields.ts';
import type { Check } from '../../types.ts';

export const check: Check = {
  id: 'cloudtrail-kms-encryption',
  title: 'CloudTrail logs are encrypted with a KMS key (SSE-KMS)',
  service: 'CloudTrail',
  resourceTypes: ['AWS::CloudTrail::Trail'],
  source: { kind: 'config' },
  remediation: 'Update the trail with --kms-key-id to encrypt log files with SSE-KMS.',
  sameProperty: ['CLOUD_TRAIL_ENCRYPTION_ENABLED'],
  evaluate(trail) {
    // AWS Config omits kmsKeyId when the trail is not KMS-encrypted, so absence is the answer.
    const key = optionalField(trail, 'configuration', 'kmsKeyId');
    return typeof key === 'string' && key !== '' ? { status: 'pass', message: `logs encrypted with ${key}` } : { status: 'fail', message: 'no KMS key: logs use S3-managed encryption only' };
  },
};
