import { apiResourceTypes } from '../../../evidence/read-service-apis.ts';
import { isMacieNotEnabled } from '../../../evidence/macie-session.ts';
import { optionalField, requireField } from '../../fields.ts';
import { MissingEvidence, type Check } from '../../types.ts';

export const check: Check = {
  id: 'macie-enabled',
  title: 'Amazon Macie is enabled in the account and region',
  service: 'Macie',
  resourceTypes: [apiResourceTypes.macieSession],
  source: { kind: 'api', api: 'macie2:GetMacieSession' },
  remediation: 'Enable Amazon Macie (EnableMacie) or resume it (UpdateMacieSession status=ENABLED).',
  sameProperty: ['MACIE_STATUS_CHECK'],
  evaluate(session) {
    const error = optionalField(session, 'configuration', 'Error') as { Code?: unknown; Message?: unknown; HttpStatusCode?: unknown } | undefined;
    if (error) {
      // Only Macie's own "not enabled" answer is a fact; any other error decides nothing.
      if (!isMacieNotEnabled(error.Code, error.Message)) throw new MissingEvidence('configuration.status');
      return {
        status: 'fail',
        message: `Macie is not enabled: GetMacieSession answered ${error.Code} "${error.Message}"${typeof error.HttpStatusCode === 'number' ? ` (HTTP ${error.HttpStatusCode})` : ''}`,
      };
    }
    const status = requireField(session, 'configuration', 'status', 'string');
    return status === 'ENABLED' ? { status: 'pass', message: 'Macie session ENABLED' } : { status: 'fail', message: `Macie session ${status}` };
  },
};
