// Readers of IAM's responses: the account's credential report (each user's password, MFA and access keys).
import { parse as parseCsv } from 'csv-parse/sync';
import { compileSchema } from '../../core/data-file.ts';
import { InputError } from '../../core/errors.ts';
import { isoTime } from '../json-file.ts';
import { apiResourceTypes, type CredentialReportRow } from '../read-service-apis.ts';
import { credentialReportSchema } from '../schemas.ts';
import { serviceResponse } from './service-records.ts';
import type { OperationReader } from './types.ts';

const validReport = compileSchema<any>(credentialReportSchema);

/** Columns of the credential report a check reads; AWS documents them, and a report without them is not one. */
const credentialReportColumns = ['user', 'arn', 'user_creation_time', 'password_enabled', 'mfa_active', 'access_key_1_active', 'access_key_2_active'];

export const iamReaders: OperationReader[] = [
  {
    service: 'iam',
    operation: 'GetCredentialReport',
    after: 'nothing',
    async read(ctx, file) {
      const { record } = serviceResponse(ctx, file);
      const shown = ctx.shown(file.rel);
      if (file.region !== 'global') throw new InputError(shown, undefined, 'the IAM credential report is account-wide: keep it under aws/<account>/global/iam/');
      const doc = await ctx.read<any>(file.rel, 'aws-response', validReport);
      const rows = credentialReportRows(doc.Content, shown);
      const generatedAt = isoTime(doc.GeneratedTime, shown, 'GeneratedTime');
      // The evidence is as old as the report IAM generated, not the time it was fetched.
      record(apiResourceTypes.iamCredentialReport, file.account, { generatedAt, users: rows }, '/Content', { capturedAt: generatedAt });
    },
  },
];

/** The CSV AWS generates (base64 in the API response), one row per IAM user plus <root_account>. */
function credentialReportRows(content: string, file: string): CredentialReportRow[] {
  const text = Buffer.from(content, 'base64').toString('utf8');
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true });
  } catch (e) {
    throw new InputError(file, 'Content', `not a CSV credential report (${(e as Error).message.split('\n')[0]})`);
  }
  const header = text.split(/\r?\n/, 1)[0]!.split(',');
  const missing = credentialReportColumns.filter((c) => !header.includes(c));
  if (missing.length) throw new InputError(file, 'Content', `credential report lacks column(s) ${missing.join(', ')}`);
  return rows.map((r, i) => {
    if (!/^(true|false)$/.test(r.mfa_active!)) throw new InputError(file, `Content row ${i + 2} mfa_active`, `"${r.mfa_active}" is not true or false`);
    return {
      user: r.user!,
      arn: r.arn!,
      createdAt: r.user_creation_time!,
      passwordEnabled: r.password_enabled!,
      mfaActive: r.mfa_active === 'true',
      activeAccessKeys: [r.access_key_1_active, r.access_key_2_active].filter((v) => v === 'true').length,
    };
  });
}
