import { apiResourceTypes } from '../../../evidence/read-service-apis.ts';
import { requireField } from '../../fields.ts';
import type { Check } from '../../types.ts';
import { keys, reportRow } from '../credential-report.ts';

export const check: Check = {
  id: 'iam-root-mfa',
  title: 'The root user of each account has an active MFA device',
  service: 'IAM',
  resourceTypes: [apiResourceTypes.iamCredentialReport],
  source: { kind: 'api', api: 'iam:GetCredentialReport' },
  scope: 'global',
  remediation: 'Sign in as the root user and assign an MFA device (a hardware key for accounts that hold regulated data); delete any root access key.',
  sameProperty: ['ROOT_ACCOUNT_MFA_ENABLED'],
  evaluate(report) {
    const users = requireField(report, 'configuration', 'users', 'object') as unknown as Parameters<typeof reportRow>[0]['users'];
    const generatedAt = requireField(report, 'configuration', 'generatedAt', 'string');
    const row = reportRow({ generatedAt, users }, { name: '<root_account>' }, 'the <root_account> row');
    const detail = `${keys(row)} (credential report ${generatedAt})`;
    return row.mfaActive ? { status: 'pass', message: `root user MFA active; ${detail}` } : { status: 'fail', message: `root user has no MFA device; ${detail}` };
  },
};
