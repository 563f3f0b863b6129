// Readers for the responses of services whose evidence AWS Config does not hold (WorkSpaces
// directories, the Macie session, CloudTrail's TLS details and each trail's logging status and event
// selectors, the IAM credential report, AppStream stack settings). Each turns one saved response into records the checks read like resources.
import { parse as parseCsv } from 'csv-parse/sync';
import { InputError } from '../errors.ts';
import { compileSchema } from '../data-file.ts';
import { pages, resourceKey } from './config-items.ts';
import { isMacieNotEnabled } from './macie-session.ts';
import { TlsSummaryBuilder, type TrailEvent } from './cloudtrail-summary.ts';
import { isoTime } from './json-file.ts';
import { cloudtrailLogFilesSchema, credentialReportSchema, describeStacksSchema, describeTrailsSchema, eventSelectorsSchema, lookupEventsSchema, macieSessionSchema, trailStatusSchema, workspaceDirectoriesSchema } from './schemas.ts';
import type { Resource, Snapshot } from './types.ts';

/** Record types read from service APIs, because AWS Config does not record them (or not all of it). */
export const apiResourceTypes = {
  workspacesDirectory: 'AWS::WorkSpaces::Directory',
  macieSession: 'AWS::Macie::Session',
  cloudtrailEventSample: 'AWS::CloudTrail::EventSample',
  iamCredentialReport: 'AWS::IAM::CredentialReport',
  /** DescribeStacks: what AWS Config's stack item lacks, such as the application-settings bucket's name. */
  appstreamStackSettings: 'AWS::AppStream::StackSettings',
  /** GetTrailStatus of one trail (id: its name), in its home region: whether it is logging, which AWS Config does not record. */
  cloudtrailTrailStatus: 'AWS::CloudTrail::TrailStatus',
  /** GetEventSelectors of one trail (id: its name), in its home region: AWS Config records only whether they are custom. */
  cloudtrailEventSelectors: 'AWS::CloudTrail::EventSelectors',
} as const;

/**
 * Records that complement AWS Config's items rather than stand for resources of their own: checks
 * that look at every resource ('*') skip them, so one stack or user is never reported twice.
 */
export const complementaryRecordTypes: ReadonlySet<string> = new Set([apiResourceTypes.iamCredentialReport, apiResourceTypes.appstreamStackSettings, apiResourceTypes.cloudtrailTrailStatus, apiResourceTypes.cloudtrailEventSelectors]);

/** The service/operation pairs read here, as they appear in aws/<account>/<region>/<service>/<operation>.json. */
export const serviceApis = ['workspaces:DescribeWorkspaceDirectories', 'cloudtrail:LookupEvents', 'cloudtrail:LogFiles', 'cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors', 'macie2:GetMacieSession', 'iam:GetCredentialReport', 'appstream:DescribeStacks'] as const;

/** Operations answered once per trail, saved as <service>/<operation>/<trail name, URI-encoded>.json. */
const perTrail: ReadonlySet<string> = new Set(['cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors']);

export interface ServiceReadContext {
  snapshot: Snapshot;
  read: <T>(rel: string, kind: string, validate?: any) => Promise<T>;
  shown: (rel: string) => string;
  addResource: (r: Resource) => void;
}

const validate = {
  directories: compileSchema<any>(workspaceDirectoriesSchema),
  macie: compileSchema<any>(macieSessionSchema),
  lookupEvents: compileSchema<any>(lookupEventsSchema),
  credentialReport: compileSchema<any>(credentialReportSchema),
  stacks: compileSchema<any>(describeStacksSchema),
  logFiles: compileSchema<any>(cloudtrailLogFilesSchema),
  trails: compileSchema<any>(describeTrailsSchema),
  trailStatus: compileSchema<any>(trailStatusSchema),
  eventSelectors: compileSchema<any>(eventSelectorsSchema),
};

/** Columns of the credential report a check reads; AWS documents them, and a report without them is not one. */
const credentialReportColumns = ['user', 'arn', 'user_creation_time', 'password_enabled', 'mfa_active', 'access_key_1_active', 'access_key_2_active'];

export interface CredentialReportRow {
  user: string;
  arn: string;
  createdAt: string;
  /** "true", "false", or "not_supported" (the root user's row). */
  passwordEnabled: string;
  mfaActive: boolean;
  activeAccessKeys: number;
}

/** Reads one service response file; false when the service/operation is not one of these. */
export async function readServiceResponse(ctx: ServiceReadContext, rel: string, account: string, region: string, service: string, file: string): Promise<boolean> {
  const [operation, target, ...deeper] = file.split('/') as [string, string | undefined];
  const api = `${service}:${operation}`;
  if (!(serviceApis as readonly string[]).includes(api) || deeper.length || (target !== undefined) !== perTrail.has(api)) return false;
  const { snapshot, read, shown, addResource } = ctx;
  const collectedAt = snapshot.meta.collectedAt;
  const record = (type: string, id: string, configuration: Record<string, unknown>, pointer: string, extra: Partial<Resource> = {}) => addResource({
    key: resourceKey(account, region, type, id), account, region, type, id,
    tags: {}, configuration, supplementary: {}, capturedAt: collectedAt, status: 'OK',
    origin: { file: rel, pointer, api }, ...extra,
  });
  const everyPage = (all: any[], check: (page: any) => boolean) => all.forEach((page, p) => {
    if (!check(page)) throw new InputError(shown(rel), all.length > 1 ? `[${p}]` : undefined, `not a ${operation} response`);
  });
  snapshot.apiResponses.push({ account, region, api, file: rel });

  if (api === 'workspaces:DescribeWorkspaceDirectories') {
    const all = pages(await read(rel, 'aws-response'));
    everyPage(all, validate.directories);
    all.flatMap((page) => page.Directories).forEach((d: any, i: number) =>
      record(apiResourceTypes.workspacesDirectory, d.DirectoryId, d, `/Directories/${i}`, { name: d.DirectoryName ?? d.Alias }));
  } else if (api === 'cloudtrail:LookupEvents') {
    const all = pages(await read(rel, 'aws-response'));
    everyPage(all, validate.lookupEvents);
    const summary = new TlsSummaryBuilder();
    all.forEach((page, p) => page.Events.forEach((e: any, i: number) => {
      let detail: TrailEvent;
      try {
        detail = JSON.parse(e.CloudTrailEvent);
      } catch {
        throw new InputError(shown(rel), `[${p}].Events[${i}].CloudTrailEvent`, 'not JSON');
      }
      summary.add({ ...detail, eventSource: e.EventSource, eventName: e.EventName, eventTime: isoTime(e.EventTime, shown(rel), `[${p}].Events[${i}].EventTime`) });
    }));
    record(apiResourceTypes.cloudtrailEventSample, `${account}/${region}`, { ...summary.build({ kind: 'lookup-events-sample' }) }, '');
  } else if (api === 'cloudtrail:LogFiles') {
    const doc = await read<any>(rel, 'cloudtrail-log-summary', validate.logFiles);
    record(apiResourceTypes.cloudtrailEventSample, `${account}/${region}`, { ...doc.summary, basis: { kind: 'log-files', files: doc.files.length } }, '/summary');
  } else if (api === 'cloudtrail:DescribeTrails') {
    await read(rel, 'aws-response', validate.trails);
  } else if (api === 'cloudtrail:GetTrailStatus') {
    const trail = trailName(target!, shown(rel));
    const doc = await read<any>(rel, 'aws-response', validate.trailStatus);
    const times = Object.fromEntries(['LatestDeliveryTime', 'StartLoggingTime', 'StopLoggingTime'].filter((f) => doc[f] !== undefined).map((f) => [f, isoTime(doc[f], shown(rel), f)]));
    record(apiResourceTypes.cloudtrailTrailStatus, trail, { ...doc, ...times }, '', { name: trail });
  } else if (api === 'cloudtrail:GetEventSelectors') {
    const trail = trailName(target!, shown(rel));
    const doc = await read<any>(rel, 'aws-response', validate.eventSelectors);
    record(apiResourceTypes.cloudtrailEventSelectors, trail, doc, '', { name: trail, ...(doc.TrailARN ? { arn: doc.TrailARN } : {}) });
  } else if (api === 'macie2:GetMacieSession') {
    const doc = await read<any>(rel, 'aws-response', validate.macie);
    // An error kept as the response is evidence only when it is Macie saying it is not enabled.
    if (doc.Error && !isMacieNotEnabled(doc.Error.Code, doc.Error.Message)) {
      throw new InputError(shown(rel), 'Error', `${doc.Error.Code}: ${doc.Error.Message} is not an answer about the account; a failed call is a gap in snapshot.json, not a response`);
    }
    record(apiResourceTypes.macieSession, `${account}/${region}`, doc, doc.Error ? '/Error' : '');
  } else if (api === 'iam:GetCredentialReport') {
    if (region !== 'global') throw new InputError(shown(rel), undefined, 'the IAM credential report is account-wide: keep it under aws/<account>/global/iam/');
    const doc = await read<any>(rel, 'aws-response', validate.credentialReport);
    const rows = credentialReportRows(doc.Content, shown(rel));
    const generatedAt = isoTime(doc.GeneratedTime, shown(rel), 'GeneratedTime');
    // The evidence is as old as the report IAM generated, not the time it was fetched.
    record(apiResourceTypes.iamCredentialReport, account, { generatedAt, users: rows }, '/Content', { capturedAt: generatedAt });
  } else if (api === 'appstream:DescribeStacks') {
    const all = pages(await read(rel, 'aws-response'));
    everyPage(all, validate.stacks);
    all.flatMap((page) => page.Stacks).forEach((s: any, i: number) =>
      record(apiResourceTypes.appstreamStackSettings, s.Name, s, `/Stacks/${i}`, { name: s.Name, arn: s.Arn }));
  }
  return true;
}

/** The trail a per-trail file is named after (URI-encoded as the collector writes it). */
function trailName(encoded: string, file: string): string {
  try {
    const name = decodeURIComponent(encoded);
    if (name) return name;
  } catch { /* reported below */ }
  throw new InputError(file, undefined, 'the file name is not a trail name (cloudtrail/<operation>/<trail name>.json)');
}

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
      user: r.user!, arn: r.arn!, createdAt: r.user_creation_time!,
      passwordEnabled: r.password_enabled!,
      mfaActive: r.mfa_active === 'true',
      activeAccessKeys: [r.access_key_1_active, r.access_key_2_active].filter((v) => v === 'true').length,
    };
  });
}
