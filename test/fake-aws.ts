// A fake AWS endpoint for tests: one HTTP server on 127.0.0.1 that speaks the protocols the real
// SDK clients use (AWS JSON 1.1 for Config, WorkSpaces and CloudTrail, REST-JSON for Macie, Query/XML for STS),
// pages like AWS does, counts calls, and injects throttling and AccessDenied on request.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRegion {
  recording?: boolean;
  rules?: { name: string; identifier: string }[];
  evaluations?: Record<string, object[]>;
  /** Configuration items in the advanced-query shape (serialised to JSON strings per row). */
  resources?: object[];
  directories?: object[];
  macie?: 'ENABLED' | 'PAUSED';
  /** Conformance packs: name → the rule names they hold. */
  packs?: Record<string, string[]>;
  /** LookupEvents results (each with CloudTrailEvent as a JSON string). */
  events?: object[];
  /** Configuration history by "resourceType|resourceId": items with configurationItemCaptureTime in epoch seconds. */
  history?: Record<string, { configurationItemCaptureTime: number }[]>;
  /** ListDiscoveredResources: resources AWS Config has seen, deleted ones with their deletion time (epoch seconds). */
  discovered?: { resourceType: string; resourceId: string; resourceDeletionTime?: number }[];
  /** Each rule's verdict in DescribeComplianceByConfigRule, where it should not follow from its evaluations. */
  ruleVerdicts?: Record<string, string>;
  /** AppStream DescribeStacks results. */
  stacks?: object[];
  /** The IAM credential report (CSV) of the account, answered in the region the IAM client signs for; null: none exists. Default: the root user with MFA. */
  credentialReport?: string | null;
  /** CloudTrail trails homed in the region: DescribeTrails' fields, plus the GetTrailStatus answer (default: logging) and custom GetEventSelectors (default: all management events). */
  trails?: FakeTrail[];
}

export interface FakeTrail {
  Name: string;
  IsMultiRegionTrail: boolean;
  status?: object;
  selectors?: object;
}

export interface FakeAggregator {
  sources: { SourceId: string; SourceType: 'ACCOUNT' | 'ORGANIZATION'; AwsRegion: string; LastUpdateStatus: 'SUCCEEDED' | 'FAILED' | 'OUTDATED'; LastErrorCode?: string; LastErrorMessage?: string }[];
  /** Configuration items of every source (each with accountId and awsRegion). */
  resources: object[];
  rules: { name: string; account: string; region: string }[];
  /** Evaluation results by "account/region/rule" (each with AccountId and AwsRegion, as AWS returns them). */
  evaluations: Record<string, object[]>;
}

export interface FakeAwsOptions {
  account: string;
  regions: Record<string, FakeRegion>;
  /** AWS Config aggregators (in every region of `regions`), by name. */
  aggregators?: Record<string, FakeAggregator>;
  /** S3 buckets: key → object bytes (path-style requests). */
  s3?: Record<string, Record<string, Buffer>>;
  /** Member accounts reached with sts:AssumeRole: their service data by region. Accounts not listed deny AssumeRole. */
  members?: Record<string, Record<string, FakeRegion>>;
  /** Throttle the first N calls of an operation in a region ("region|service.Operation"). */
  throttle?: Record<string, number>;
  /** Answer AccessDenied for these "region|Service.Operation" keys. */
  deny?: string[];
  /** Answer every STS call with this error. */
  stsError?: string;
  /** Answer every call after the first N (STS included) with ExpiredTokenException: credentials that expire mid-collection. */
  expireAfter?: number;
  /**
   * Member-role credentials that expire: each AssumeRole issues new ones (a new session token) whose Expiration is a
   * minute after issue, inside the SDK's five-minute refresh window, and each set answers ExpiredToken once it has
   * signed this many calls. Default: one set per account, good until 2099.
   */
  memberCredentialUses?: number;
  /** Never answer calls to these "region|service.Operation" keys (until close): a collection caught mid-way. */
  hold?: string[];
}

export interface FakeAws {
  url: string;
  /** Calls per "region|service.Operation". */
  calls: Map<string, number>;
  /** Calls refused as malformed (a pagination token not issued for that very request, a page size above the maximum), as counted in `calls`. */
  rejected: string[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, contentType = 'application/x-amz-json-1.1') => {
  res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': 'fake-request' });
  res.end(JSON.stringify(body));
};

/** A request's parameters in one form whatever their order: keys sorted, absent values left out. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined && o[k] !== null)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

// Pagination tokens as AWS hands them out: opaque, and good only for the request that produced them (the
// caller, region, operation and every parameter but the token). A token sent with other parameters, or made up, is refused.
const tokenMac = (request: string, offset: number) => createHmac('sha256', 'fake-aws-pagination').update(`${request}\n${offset}`).digest('base64url');
const issueToken = (request: string, offset: number) => Buffer.from(JSON.stringify({ offset, mac: tokenMac(request, offset) })).toString('base64');
function tokenOffset(request: string, token: unknown): number | undefined {
  try {
    const { offset, mac } = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8'));
    return Number.isInteger(offset) && offset > 0 && mac === tokenMac(request, offset) ? offset : undefined;
  } catch {
    return undefined;
  }
}

/** One page of items from where the token says, and the token for the next page, bound to `request`. */
function page<T>(items: T[], request: string, token: unknown, size: number): { items: T[]; next?: string } {
  const start = token === undefined || token === null ? 0 : tokenOffset(request, token);
  if (start === undefined)
    throw new RejectedCall(
      'InvalidNextTokenException',
      'The specified next token is invalid. Specify the nextToken string that was returned in the previous response to get the next page of results.',
    );
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? issueToken(request, end) : undefined };
}

const trailArn = (region: string, account: string, name: string) => `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
/** The time trail statuses are given at (2026-11-18, the collection tests' clock). */
const epochNow = 1795000000;

/** A call AWS refuses as malformed (HTTP 400). */
class RejectedCall extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startFakeAws(opts: FakeAwsOptions): Promise<FakeAws> {
  const calls = new Map<string, number>();
  const rejected: string[] = [];
  let answered = 0;
  let issued = 0;
  /** Calls signed with each member session token that can expire. */
  const memberTokenUses = new Map<string, number>();

  const handle = (req: IncomingMessage, body: string, res: ServerResponse) => {
    const auth = req.headers.authorization ?? '';
    const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(auth);
    if (!scope) return json(res, 403, { __type: 'MissingAuthenticationTokenException', message: 'unsigned request' });
    const [, region, signingService] = scope as unknown as [string, string, string];
    if (signingService === 's3') return s3(req, res);
    const target = String(req.headers['x-amz-target'] ?? '');
    // AWS Query protocol (STS, IAM): a form body naming the Action, answered in XML.
    const isQuery = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const operation = target
      ? `${signingService}.${target.split('.').pop()}`
      : isQuery
        ? `${signingService}.${new URLSearchParams(body).get('Action')}`
        : `${signingService}.${req.method} ${req.url?.split('?')[0]}`;
    const key = `${region}|${operation}`;
    // Calls made with credentials from AssumeRole read that member account's data, and are counted as "<account>:<key>".
    const member = /Credential=ASIAFAKE(\d{12})\//.exec(auth)?.[1];
    const counted = member ? `${member}:${key}` : key;
    calls.set(counted, (calls.get(counted) ?? 0) + 1);
    if (opts.hold?.includes(key)) return;
    const expiredToken = () => {
      const message = 'The security token included in the request is expired';
      if (isQuery) {
        res.writeHead(403, { 'content-type': 'text/xml' });
        return res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>${message}</Message></Error><RequestId>x</RequestId></ErrorResponse>`);
      }
      if (operation.startsWith('macie2.') || operation.startsWith('account.')) {
        res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'ExpiredTokenException' });
        return res.end(JSON.stringify({ message }));
      }
      return json(res, 400, { __type: 'ExpiredTokenException', message });
    };
    if (opts.expireAfter !== undefined && ++answered > opts.expireAfter) return expiredToken();

    if (member && opts.memberCredentialUses !== undefined) {
      const token = String(req.headers['x-amz-security-token'] ?? '');
      const uses = (memberTokenUses.get(token) ?? 0) + 1;
      memberTokenUses.set(token, uses);
      if (uses > opts.memberCredentialUses) return expiredToken();
    }

    if (operation === 'sts.AssumeRole') {
      const roleArn = new URLSearchParams(body).get('RoleArn') ?? '';
      const member = /^arn:aws:iam::(\d{12}):role\//.exec(roleArn)?.[1];
      if (!member || !opts.members?.[member]) {
        res.writeHead(403, { 'content-type': 'text/xml' });
        return res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error><RequestId>x</RequestId></ErrorResponse>`,
        );
      }
      const expiring = opts.memberCredentialUses !== undefined;
      const [session, expiration] = expiring ? [`member-session-${++issued}`, new Date(Date.now() + 60_000).toISOString()] : ['member-session', '2099-01-01T00:00:00Z'];
      res.writeHead(200, { 'content-type': 'text/xml' });
      return res.end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAFAKE${member}</AccessKeyId><SecretAccessKey>member-secret</SecretAccessKey><SessionToken>${session}</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>${roleArn}/evidence-pack</Arn><AssumedRoleId>AROAFAKE:evidence-pack</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    }
    if (operation.startsWith('sts.')) {
      if (opts.stsError) {
        res.writeHead(403, { 'content-type': 'text/xml' });
        return res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>${opts.stsError}</Code><Message>The security token included in the request is expired</Message></Error><RequestId>x</RequestId></ErrorResponse>`,
        );
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      return res.end(
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::${opts.account}:assumed-role/EvidenceCollector/compliance</Arn><UserId>AROAFAKE:compliance</UserId><Account>${opts.account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
    }
    const isMacie = operation.startsWith('macie2.') || operation.startsWith('account.');
    const error = (status: number, type: string, message: string) =>
      isQuery
        ? (res.writeHead(status === 400 && type.includes('AccessDenied') ? 403 : status, { 'content-type': 'text/xml' }),
          res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${type.replace(/Exception$/, '')}</Code><Message>${message}</Message></Error><RequestId>x</RequestId></ErrorResponse>`))
        : isMacie
          ? (res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type }), res.end(JSON.stringify({ message })))
          : json(res, status, { __type: type, message });
    if ((opts.throttle?.[key] ?? 0) >= calls.get(key)!) return error(400, 'ThrottlingException', 'Rate exceeded');
    if (opts.deny?.includes(key)) return error(isMacie ? 403 : 400, 'AccessDeniedException', `User is not authorized to perform ${operation} in ${region}`);
    const data = member ? opts.members?.[member]?.[region] : opts.regions[region];
    if (!data) return error(400, 'UnrecognizedClientException', `The security token included in the request is invalid (region ${region} is not enabled)`);
    const input = body && !isMacie && !isQuery ? JSON.parse(body) : {};
    const iamXml = (action: string, result: string) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></${action}Response>`,
      );
    };

    /** A page of this request's items: the token read from `tokenField`, bound to every other parameter. */
    const pageOf = <T>(items: T[], tokenField: string, size: number) => page(items, `${counted}\n${canonical({ ...input, [tokenField]: undefined })}`, input[tokenField], size);
    /** The page size asked for in `field` (default when absent or 0), refused above the API's maximum as AWS does. */
    const sizeOf = (field: string, byDefault: number, max: number): number => {
      const asked = input[field];
      if (asked > max)
        throw new RejectedCall(
          'ValidationException',
          `1 validation error detected: Value '${asked}' at '${field[0]!.toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
        );
      return asked || byDefault;
    };
    const answer = () => {
      switch (operation) {
        case 'config.DescribeConfigurationRecorders':
          return json(res, 200, {
            ConfigurationRecorders: [
              { name: 'default', roleARN: `arn:aws:iam::${opts.account}:role/config`, recordingGroup: { allSupported: true, includeGlobalResourceTypes: true, resourceTypes: [] } },
            ],
          });
        case 'config.DescribeConfigurationRecorderStatus':
          return json(res, 200, {
            ConfigurationRecordersStatus: [{ name: 'default', recording: data.recording ?? true, lastStatus: data.recording === false ? 'FAILURE' : 'SUCCESS', lastStartTime: 1730000000 }],
          });
        case 'config.DescribeConfigRules': {
          const p = pageOf(data.rules ?? [], 'NextToken', 25);
          return json(res, 200, {
            ConfigRules: p.items.map((r) => ({ ConfigRuleName: r.name, Source: { Owner: 'AWS', SourceIdentifier: r.identifier }, ConfigRuleState: 'ACTIVE' })),
            NextToken: p.next,
          });
        }
        case 'config.DescribeConformancePacks':
          return json(res, 200, {
            ConformancePackDetails: Object.keys(data.packs ?? {}).map((n) => ({
              ConformancePackName: n,
              ConformancePackArn: `arn:aws:config:${region}:${opts.account}:conformance-pack/${n}`,
              ConformancePackId: `conformance-pack-${n.length}`,
            })),
          });
        case 'config.DescribeConformancePackCompliance':
          return json(res, 200, {
            ConformancePackName: input.ConformancePackName,
            ConformancePackRuleComplianceList: (data.packs?.[input.ConformancePackName] ?? []).map((r) => ({ ConfigRuleName: r, ComplianceType: 'NON_COMPLIANT', Controls: [] })),
          });
        case 'config.DescribeComplianceByConfigRule': {
          const verdict = (rule: string) => {
            const types = ((data.evaluations?.[rule] ?? []) as { ComplianceType?: string }[]).map((e) => e.ComplianceType);
            return data.ruleVerdicts?.[rule] ?? (types.includes('NON_COMPLIANT') ? 'NON_COMPLIANT' : types.includes('COMPLIANT') ? 'COMPLIANT' : 'INSUFFICIENT_DATA');
          };
          const p = pageOf(data.rules ?? [], 'NextToken', 25);
          return json(res, 200, { ComplianceByConfigRules: p.items.map((r) => ({ ConfigRuleName: r.name, Compliance: { ComplianceType: verdict(r.name) } })), NextToken: p.next });
        }
        case 'config.GetComplianceDetailsByConfigRule': {
          // As AWS does: NOT_APPLICABLE only when asked for by name.
          const wanted = (r: { ComplianceType?: string }) => (input.ComplianceTypes?.length ? input.ComplianceTypes.includes(r.ComplianceType) : r.ComplianceType !== 'NOT_APPLICABLE');
          const p = pageOf(((data.evaluations?.[input.ConfigRuleName] ?? []) as { ComplianceType?: string }[]).filter(wanted), 'NextToken', sizeOf('Limit', 10, 100));
          return json(res, 200, { EvaluationResults: p.items, NextToken: p.next });
        }
        case 'config.SelectResourceConfig': {
          const p = pageOf(data.resources ?? [], 'NextToken', sizeOf('Limit', 100, 100));
          return json(res, 200, { Results: p.items.map((r) => JSON.stringify(r)), QueryInfo: { SelectFields: [{ Name: 'resourceId' }] }, NextToken: p.next });
        }
        case 'config.GetResourceConfigHistory': {
          const all = data.history?.[`${input.resourceType}|${input.resourceId}`];
          if (!all) return error(400, 'ResourceNotDiscoveredException', `Resource ${input.resourceId} of resourceType:${input.resourceType} is unknown or has not been discovered`);
          const inRange = all
            .filter(
              (i) => (input.earlierTime === undefined || i.configurationItemCaptureTime >= input.earlierTime) && (input.laterTime === undefined || i.configurationItemCaptureTime <= input.laterTime),
            )
            .sort((a, b) => b.configurationItemCaptureTime - a.configurationItemCaptureTime);
          const p = pageOf(inRange, 'nextToken', sizeOf('limit', 10, 100));
          return json(res, 200, { configurationItems: p.items, nextToken: p.next });
        }
        case 'config.ListDiscoveredResources': {
          const all = (data.discovered ?? []).filter((r) => r.resourceType === input.resourceType && (input.includeDeletedResources || r.resourceDeletionTime === undefined));
          const p = pageOf(all, 'nextToken', sizeOf('limit', 100, 100));
          return json(res, 200, { resourceIdentifiers: p.items, nextToken: p.next });
        }
        case 'workspaces.DescribeWorkspaceDirectories': {
          const p = pageOf(data.directories ?? [], 'NextToken', 25);
          return json(res, 200, { Directories: p.items, NextToken: p.next });
        }
        case 'cloudtrail.LookupEvents': {
          const p = pageOf(data.events ?? [], 'NextToken', sizeOf('MaxResults', 50, 50));
          return json(res, 200, { Events: p.items, NextToken: p.next });
        }
        case 'config.DescribeConfigurationAggregators': {
          const names: string[] = input.ConfigurationAggregatorNames ?? Object.keys(opts.aggregators ?? {});
          const missing = names.find((n) => !opts.aggregators?.[n]);
          if (missing) return error(400, 'NoSuchConfigurationAggregatorException', `The configuration aggregator does not exist. Check the configuration aggregator name and try again.`);
          return json(res, 200, {
            ConfigurationAggregators: names.map((n) => ({
              ConfigurationAggregatorName: n,
              ConfigurationAggregatorArn: `arn:aws:config:${region}:${opts.account}:config-aggregator/config-aggregator-${n}`,
              OrganizationAggregationSource: { RoleArn: `arn:aws:iam::${opts.account}:role/aggregator`, AllAwsRegions: true },
            })),
          });
        }
        case 'config.DescribeConfigurationAggregatorSourcesStatus':
        case 'config.SelectAggregateResourceConfig':
        case 'config.DescribeAggregateComplianceByConfigRules':
        case 'config.GetAggregateComplianceDetailsByConfigRule': {
          const agg = opts.aggregators?.[input.ConfigurationAggregatorName];
          if (!agg) return error(400, 'NoSuchConfigurationAggregatorException', 'The configuration aggregator does not exist.');
          if (operation.endsWith('SourcesStatus')) {
            const p = pageOf(agg.sources, 'NextToken', sizeOf('Limit', 100, 100));
            return json(res, 200, { AggregatedSourceStatusList: p.items.map((x) => ({ ...x, LastUpdateTime: 1795000000 })), NextToken: p.next });
          }
          if (operation.endsWith('SelectAggregateResourceConfig')) {
            const p = pageOf(agg.resources, 'NextToken', sizeOf('Limit', 25, 100));
            return json(res, 200, { Results: p.items.map((r) => JSON.stringify(r)), QueryInfo: { SelectFields: [{ Name: 'resourceId' }] }, NextToken: p.next });
          }
          if (operation.endsWith('ByConfigRules')) {
            const p = pageOf(agg.rules, 'NextToken', sizeOf('Limit', 1000, 1000));
            return json(res, 200, {
              AggregateComplianceByConfigRules: p.items.map((r) => ({ ConfigRuleName: r.name, AccountId: r.account, AwsRegion: r.region, Compliance: { ComplianceType: 'NON_COMPLIANT' } })),
              NextToken: p.next,
            });
          }
          const p = pageOf(agg.evaluations[`${input.AccountId}/${input.AwsRegion}/${input.ConfigRuleName}`] ?? [], 'NextToken', sizeOf('Limit', 50, 100));
          return json(res, 200, { AggregateEvaluationResults: p.items, NextToken: p.next });
        }
        case 'cloudtrail.DescribeTrails': {
          // As AWS does: the region's trails, and the shadows of the account's multi-region trails homed elsewhere unless includeShadowTrails is false. Not paginated.
          const account = member ?? opts.account;
          const regions = (member ? opts.members![member]! : opts.regions) as Record<string, FakeRegion>;
          const homed = Object.entries(regions).flatMap(([home, d]) => (d.trails ?? []).map((t) => ({ t, home })));
          const listed = homed.filter(({ t, home }) => home === region || (input.includeShadowTrails !== false && t.IsMultiRegionTrail));
          return json(res, 200, {
            trailList: listed.map(({ t, home }) => ({
              Name: t.Name,
              TrailARN: trailArn(home, account, t.Name),
              HomeRegion: home,
              IsMultiRegionTrail: t.IsMultiRegionTrail,
              S3BucketName: `trail-logs-${account}`,
              HasCustomEventSelectors: Boolean(t.selectors),
              IsOrganizationTrail: false,
            })),
          });
        }
        case 'cloudtrail.GetTrailStatus':
        case 'cloudtrail.GetEventSelectors': {
          const account = member ?? opts.account;
          const asked = String(operation.endsWith('Status') ? input.Name : input.TrailName);
          const t = (data.trails ?? []).find((x) => asked === x.Name || asked === trailArn(region, account, x.Name));
          if (!t) return error(400, 'TrailNotFoundException', `Unknown trail: ${asked} for the user: ${account}`);
          if (operation.endsWith('Status')) return json(res, 200, t.status ?? { IsLogging: true, LatestDeliveryTime: epochNow - 600, StartLoggingTime: epochNow - 86400 * 30 });
          return json(res, 200, {
            TrailARN: trailArn(region, account, t.Name),
            ...(t.selectors ?? { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] }),
          });
        }
        case 'appstream.DescribeStacks': {
          const p = pageOf(data.stacks ?? [], 'NextToken', 10);
          return json(res, 200, { Stacks: p.items, NextToken: p.next });
        }
        case 'iam.GenerateCredentialReport':
          // IAM answers STARTED first and COMPLETE once the report is ready.
          return iamXml(
            'GenerateCredentialReport',
            `<State>${calls.get(counted)! > 1 ? 'COMPLETE' : 'STARTED'}</State><Description>No report exists. Starting a new report generation task</Description>`,
          );
        case 'iam.GetCredentialReport': {
          const report =
            data.credentialReport === undefined
              ? `user,arn,user_creation_time,password_enabled,mfa_active,access_key_1_active,access_key_2_active\n<root_account>,arn:aws:iam::${member ?? opts.account}:root,2020-01-01T00:00:00+00:00,not_supported,true,false,false`
              : data.credentialReport;
          if (report === null) return error(410, 'ReportNotPresent', 'Credential report not present');
          return iamXml('GetCredentialReport', `<Content>${Buffer.from(report).toString('base64')}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-10-31T23:50:12Z</GeneratedTime>`);
        }
        case 'account.POST /listRegions':
          return json(res, 200, { Regions: Object.keys(opts.regions).map((r) => ({ RegionName: r, RegionOptStatus: 'ENABLED_BY_DEFAULT' })) }, 'application/json');
        case 'macie2.GET /macie':
          if (!data.macie) return error(403, 'AccessDeniedException', 'Macie is not enabled');
          return json(res, 200, { status: data.macie, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' }, 'application/json');
        default:
          return error(400, 'UnknownOperationException', operation);
      }
    };
    try {
      return answer();
    } catch (e) {
      if (!(e instanceof RejectedCall)) throw e;
      rejected.push(counted);
      return error(400, e.type, e.message);
    }
  };

  const xml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  function s3(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const objects = opts.s3?.[bucket ?? ''];
    const op = key ? 's3.GetObject' : 's3.ListObjectsV2';
    calls.set(op, (calls.get(op) ?? 0) + 1);
    const fail = (status: number, code: string) => {
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(`<Error><Code>${code}</Code><Message>${code}</Message></Error>`);
    };
    if (!objects) return fail(404, 'NoSuchBucket');
    if (opts.deny?.includes(`${op} ${key}`)) return fail(403, 'AccessDenied');
    if (key) {
      const body = objects[key];
      if (!body) return fail(404, 'NoSuchKey');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
      return res.end(body);
    }
    const prefix = url.searchParams.get('prefix') ?? '';
    const keys = Object.keys(objects)
      .filter((k) => k.startsWith(prefix))
      .sort();
    const params = Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'continuation-token'));
    let p: ReturnType<typeof page<string>>;
    try {
      p = page(keys, `${op}\n${bucket}\n${canonical(params)}`, url.searchParams.get('continuation-token') ?? undefined, Number(url.searchParams.get('max-keys') ?? 1000));
    } catch (e) {
      if (!(e instanceof RejectedCall)) throw e;
      rejected.push(op);
      return fail(400, 'InvalidArgument');
    }
    res.writeHead(200, { 'content-type': 'application/xml' });
    return res.end(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${p.items.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>${p.next ? 'true' : 'false'}</IsTruncated>${p.items.map((k) => `<Contents><Key>${xml(k)}</Key><LastModified>2026-11-01T00:00:00.000Z</LastModified><ETag>"x"</ETag><Size>${objects[k]!.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`).join('')}${p.next ? `<NextContinuationToken>${p.next}</NextContinuationToken>` : ''}</ListBucketResult>`,
    );
  }

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    rejected,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Environment for a child process whose SDK clients must reach only the fake endpoint. */
export function fakeAwsEnv(url: string): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: 'AKIDFAKEFORTESTS0001',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-for-tests',
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/**
 * A configuration item as SelectResourceConfig and SelectAggregateResourceConfig return it (the configuration an
 * object, the capture time ISO text), captured 2026-11-18; `extra` replaces or adds fields.
 */
export function configurationItem(account: string, region: string, type: string, id: string, configuration: object, extra: Record<string, unknown> = {}) {
  return {
    resourceId: id,
    resourceName: id,
    resourceType: type,
    accountId: account,
    awsRegion: region,
    arn: `arn:aws:${type.split('::')[1]!.toLowerCase()}:${region}:${account}:${id}`,
    configuration,
    supplementaryConfiguration: {},
    tags: [],
    relationships: [],
    configurationItemCaptureTime: '2026-11-18T10:00:00.000Z',
    configurationItemStatus: 'OK',
    configurationStateId: '1',
    ...extra,
  };
}

/**
 * A WorkSpace in us-east-1 as GetResourceConfigHistory returns it: the configuration JSON text, the capture time in
 * epoch seconds; encrypted volumes name a KMS key.
 */
export function workspaceHistoryItem(account: string, id: string, encrypted: boolean, captured: string, status = 'OK') {
  const at = Date.parse(captured) / 1000;
  return {
    resourceId: id,
    resourceName: id,
    resourceType: 'AWS::WorkSpaces::Workspace',
    accountId: account,
    awsRegion: 'us-east-1',
    arn: `arn:aws:workspaces:us-east-1:${account}:workspace/${id}`,
    configuration: JSON.stringify({
      WorkspaceId: id,
      RootVolumeEncryptionEnabled: encrypted,
      UserVolumeEncryptionEnabled: encrypted,
      ...(encrypted ? { VolumeEncryptionKey: `arn:aws:kms:us-east-1:${account}:key/k1` } : {}),
    }),
    supplementaryConfiguration: {},
    tags: {},
    relationships: [],
    configurationItemCaptureTime: at,
    configurationItemStatus: status,
    configurationStateId: String(at),
  };
}

/** The same item as an advanced query returns it today: the configuration an object, the capture time ISO text. */
export function asSelectedItem(item: ReturnType<typeof workspaceHistoryItem>) {
  return {
    ...item,
    configuration: JSON.parse(item.configuration) as object,
    configurationItemCaptureTime: new Date(item.configurationItemCaptureTime * 1000).toISOString(),
    tags: [],
  };
}
