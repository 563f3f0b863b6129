import { apiResourceTypes } from '../../../evidence/read-service-apis.ts';
import { requireField } from '../../fields.ts';
import type { Check } from '../../types.ts';

export const check: Check = {
  id: 'workspaces-directory-fips-endpoint',
  title: 'WorkSpaces directory streams with FIPS_VALIDATED endpoint encryption',
  service: 'WorkSpaces',
  resourceTypes: [apiResourceTypes.workspacesDirectory],
  source: { kind: 'api', api: 'workspaces:DescribeWorkspaceDirectories' },
  remediation: 'Call ModifyEndpointEncryptionMode with EndpointEncryptionMode=FIPS_VALIDATED for the directory.',
  evaluate(dir) {
    const mode = requireField(dir, 'configuration', 'EndpointEncryptionMode', 'string');
    return mode === 'FIPS_VALIDATED' ? { status: 'pass', message: 'endpoint encryption mode FIPS_VALIDATED' } : { status: 'fail', message: `endpoint encryption mode ${mode}, not FIPS_VALIDATED` };
  },
};
