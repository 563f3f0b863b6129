import { requireField } from '../../fields.ts';
import type { Check } from '../../types.ts';

export const check: Check = {
  id: 'cloudtrail-log-file-validation',
  title: 'CloudTrail log file integrity validation is enabled',
  service: 'CloudTrail',
  resourceTypes: ['AWS::CloudTrail::Trail'],
  source: { kind: 'config' },
  remediation: 'Update the trail with --enable-log-file-validation.',
  sameProperty: ['CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED'],
  evaluate(trail) {
    return requireField(trail, 'configuration', 'logFileValidationEnabled', 'boolean')
      ? { status: 'pass', message: 'log file validation enabled' }
      : { status: 'fail', message: 'log file validation disabled' };
  },
};
