import { apiResourceTypes } from '../../evidence/read.ts';
import { requireField } from '../fields.ts';
import type { Check } from '../types.ts';

export const macieEnabled: Check = {
  id: 'macie-enabled',
  title: 'Amazon Macie is enabled in the account and region',
  service: 'Macie',
  resourceTypes: [apiResourceTypes.macieSession],
  source: { kind: 'api', api: 'macie2:GetMacieSession' },
  remediation: 'Enable Amazon Macie (EnableMacie) or resume it (UpdateMacieSession status=ENABLED).',
  sameProperty: ['MACIE_STATUS_CHECK'],
  evaluate(session) {
    const status = requireField(session, 'configuration', 'status', 'string');
    return status === 'ENABLED'
      ? { status: 'pass', message: 'Macie session ENABLED' }
      : { status: 'fail', message: `Macie session ${status}` };
  },
};
