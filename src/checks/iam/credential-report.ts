import type { Resource } from '../../evidence/types.ts';
import { apiResourceTypes, type CredentialReportRow } from '../../evidence/read-service-apis.ts';
import { MissingEvidence, type CheckContext } from '../types.ts';

/** The account's IAM credential report (iam:GetCredentialReport): where AWS states each user's MFA. */
export function credentialReport(ctx: CheckContext, account: string): { generatedAt: string; users: CredentialReportRow[] } {
  const report = ctx.findResources(account, 'global', apiResourceTypes.iamCredentialReport)[0];
  if (!report) throw new MissingEvidence(`the IAM credential report of account ${account} (iam:GetCredentialReport)`);
  return report.configuration as unknown as { generatedAt: string; users: CredentialReportRow[] };
}

export function reportRow(report: { generatedAt: string; users: CredentialReportRow[] }, r: Pick<Resource, 'arn' | 'name'>, what: string): CredentialReportRow {
  const row = report.users.find((u) => (r.arn && u.arn === r.arn) || u.user === r.name);
  if (!row) throw new MissingEvidence(`${what} in the credential report generated ${report.generatedAt}`);
  return row;
}

export const keys = (row: CredentialReportRow) => (row.activeAccessKeys ? `${row.activeAccessKeys} active access key(s)` : 'no active access key');
