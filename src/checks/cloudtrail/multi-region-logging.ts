import { requireField } from '../fields.ts';
import type { Check } from '../types.ts';

export const cloudtrailMultiRegionLogging: Check = {
  id: 'cloudtrail-multi-region-logging',
  title: 'CloudTrail trail records API activity in every region',
  service: 'CloudTrail',
  resourceTypes: ['AWS::CloudTrail::Trail'],
  source: { kind: 'config' },
  remediation: 'Update the trail with --is-multi-region-trail (or use an organization trail).',
  sameProperty: ['MULTI_REGION_CLOUD_TRAIL_ENABLED'],
  evaluate(trail) {
    const multi = requireField(trail, 'configuration', 'isMultiRegionTrail', 'boolean');
    return multi
      ? { status: 'pass', message: 'multi-region trail' }
      : { status: 'fail', message: 'trail records only its home region' };
  },
};
