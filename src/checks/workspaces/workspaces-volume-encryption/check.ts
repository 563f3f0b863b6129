import { optionalField, requireField } from '../../fields.ts';
import type { Check } from '../../types.ts';

export const check: Check = {
  id: 'workspaces-volume-encryption',
  title: 'WorkSpace root and user volumes are encrypted with a KMS key',
  service: 'WorkSpaces',
  resourceTypes: ['AWS::WorkSpaces::Workspace'],
  source: { kind: 'config' },
  remediation: 'Re-create the WorkSpace with root and user volume encryption and a customer managed KMS key; encryption cannot be enabled in place.',
  evaluate(ws) {
    const root = requireField(ws, 'configuration', 'RootVolumeEncryptionEnabled', 'boolean');
    const user = requireField(ws, 'configuration', 'UserVolumeEncryptionEnabled', 'boolean');
    const key = optionalField(ws, 'configuration', 'VolumeEncryptionKey');
    const unencrypted = [!root && 'root', !user && 'user'].filter(Boolean);
    if (unencrypted.length > 0) return { status: 'fail', message: `${unencrypted.join(' and ')} volume${unencrypted.length > 1 ? 's' : ''} not encrypted` };
    if (typeof key !== 'string' || key === '') return { status: 'fail', message: 'volumes marked encrypted but no KMS key is recorded' };
    return { status: 'pass', message: `root and user volumes encrypted with KMS key ${key}` };
  },
};
