import { requireField } from '../../fields.ts';
import type { Check } from '../../types.ts';

export const check: Check = {
  id: 'kms-key-rotation',
  title: 'Customer managed symmetric KMS keys rotate automatically',
  service: 'KMS',
  resourceTypes: ['AWS::KMS::Key'],
  source: { kind: 'config' },
  remediation: 'Enable automatic key rotation (EnableKeyRotation) on the key.',
  sameProperty: ['CMK_BACKING_KEY_ROTATION_ENABLED'],
  evaluate(key) {
    const manager = requireField(key, 'configuration', 'keyManager', 'string');
    if (manager === 'AWS') return { status: 'not-applicable', message: 'AWS managed key: AWS rotates it' };
    const spec = (key.configuration.keySpec ?? key.configuration.customerMasterKeySpec) as string | undefined;
    if (spec && spec !== 'SYMMETRIC_DEFAULT') return { status: 'not-applicable', message: `${spec} key: automatic rotation applies to symmetric keys only` };
    if (requireField(key, 'configuration', 'keyState', 'string') !== 'Enabled') return { status: 'not-applicable', message: 'key is not enabled' };
    return requireField(key, 'supplementary', 'KeyRotationStatus', 'boolean') ? { status: 'pass', message: 'automatic rotation enabled' } : { status: 'fail', message: 'automatic rotation disabled' };
  },
};
