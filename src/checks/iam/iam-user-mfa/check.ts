import type { Check } from '../../types.ts';
import { credentialReport, keys, reportRow } from '../credential-report.ts';

export const check: Check = {
  id: 'iam-user-mfa',
  title: 'Every IAM user has an active MFA device',
  service: 'IAM',
  resourceTypes: ['AWS::IAM::User'],
  source: { kind: 'config' },
  scope: 'global',
  remediation: "Assign an MFA device to the user (IAM console, Security credentials), or replace a machine user's access keys with a role.",
  sameProperty: ['IAM_USER_MFA_ENABLED'],
  evaluate(user, ctx) {
    const report = credentialReport(ctx, user.account);
    const row = reportRow(report, user, `IAM user ${user.name ?? user.id}`);
    const console = row.passwordEnabled === 'true' ? 'console password enabled' : 'no console password';
    const when = `credential report ${report.generatedAt}`;
    return row.mfaActive ? { status: 'pass', message: `MFA device active; ${console}, ${keys(row)} (${when})` } : { status: 'fail', message: `no MFA device; ${console}, ${keys(row)} (${when})` };
  },
};
