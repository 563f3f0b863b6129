// Readers of CloudTrail's responses: a sample of events (for TLS versions and FIPS endpoints), a summary of
// delivered log files, the trails, and each trail's logging status and event selectors.
import { compileSchema } from '../../core/data-file.ts';
import { InputError } from '../../core/errors.ts';
import { TlsSummaryBuilder, type TrailEvent } from '../cloudtrail-summary.ts';
import { pages } from '../config-items.ts';
import { isoTime } from '../json-file.ts';
import { apiResourceTypes } from '../read-service-apis.ts';
import { cloudtrailLogFilesSchema, describeTrailsSchema, eventSelectorsSchema, lookupEventsSchema, trailStatusSchema } from '../schemas.ts';
import { serviceResponse } from './service-records.ts';
import type { ApiFile, OperationReader, ReaderContext } from './types.ts';

const validate = {
  lookupEvents: compileSchema<any>(lookupEventsSchema),
  logFiles: compileSchema<any>(cloudtrailLogFilesSchema),
  trails: compileSchema<any>(describeTrailsSchema),
  trailStatus: compileSchema<any>(trailStatusSchema),
  eventSelectors: compileSchema<any>(eventSelectorsSchema),
};

async function lookupEvents(ctx: ReaderContext, file: ApiFile): Promise<void> {
  const { record, everyPage } = serviceResponse(ctx, file);
  const shown = ctx.shown(file.rel);
  const all = pages(await ctx.read(file.rel, 'aws-response'));
  everyPage(all, validate.lookupEvents);
  const summary = new TlsSummaryBuilder();
  all.forEach((page, p) =>
    page.Events.forEach((e: any, i: number) => {
      let detail: TrailEvent;
      try {
        detail = JSON.parse(e.CloudTrailEvent);
      } catch {
        throw new InputError(shown, `[${p}].Events[${i}].CloudTrailEvent`, 'not JSON');
      }
      summary.add({ ...detail, eventSource: e.EventSource, eventName: e.EventName, eventTime: isoTime(e.EventTime, shown, `[${p}].Events[${i}].EventTime`) });
    }),
  );
  record(apiResourceTypes.cloudtrailEventSample, `${file.account}/${file.region}`, { ...summary.build({ kind: 'lookup-events-sample' }) }, '');
}

async function logFiles(ctx: ReaderContext, file: ApiFile): Promise<void> {
  const { record } = serviceResponse(ctx, file);
  const doc = await ctx.read<any>(file.rel, 'cloudtrail-log-summary', validate.logFiles);
  record(apiResourceTypes.cloudtrailEventSample, `${file.account}/${file.region}`, { ...doc.summary, basis: { kind: 'log-files', files: doc.files.length } }, '/summary');
}

async function describeTrails(ctx: ReaderContext, file: ApiFile): Promise<void> {
  serviceResponse(ctx, file);
  await ctx.read(file.rel, 'aws-response', validate.trails);
}

async function trailStatus(ctx: ReaderContext, file: ApiFile): Promise<void> {
  const { record } = serviceResponse(ctx, file);
  const shown = ctx.shown(file.rel);
  const trail = trailName(file.rest, shown);
  const doc = await ctx.read<any>(file.rel, 'aws-response', validate.trailStatus);
  const times = Object.fromEntries(['LatestDeliveryTime', 'StartLoggingTime', 'StopLoggingTime'].filter((f) => doc[f] !== undefined).map((f) => [f, isoTime(doc[f], shown, f)]));
  record(apiResourceTypes.cloudtrailTrailStatus, trail, { ...doc, ...times }, '', { name: trail });
}

async function eventSelectors(ctx: ReaderContext, file: ApiFile): Promise<void> {
  const { record } = serviceResponse(ctx, file);
  const trail = trailName(file.rest, ctx.shown(file.rel));
  const doc = await ctx.read<any>(file.rel, 'aws-response', validate.eventSelectors);
  record(apiResourceTypes.cloudtrailEventSelectors, trail, doc, '', { name: trail, ...(doc.TrailARN ? { arn: doc.TrailARN } : {}) });
}

/** The trail a per-trail file is named after (URI-encoded as the collector writes it). */
function trailName(encoded: string, file: string): string {
  try {
    const name = decodeURIComponent(encoded);
    if (name) return name;
  } catch {
    /* reported below */
  }
  throw new InputError(file, undefined, 'the file name is not a trail name (cloudtrail/<operation>/<trail name>.json)');
}

const cloudtrail = (operation: string, after: OperationReader['after'], read: OperationReader['read']): OperationReader => ({ service: 'cloudtrail', operation, after, read });

export const cloudtrailReaders: OperationReader[] = [
  cloudtrail('LookupEvents', 'nothing', lookupEvents),
  cloudtrail('LogFiles', 'nothing', logFiles),
  cloudtrail('DescribeTrails', 'nothing', describeTrails),
  // Answered once per trail, saved as GetTrailStatus/<trail name, URI-encoded>.json.
  cloudtrail('GetTrailStatus', 'one-name', trailStatus),
  cloudtrail('GetEventSelectors', 'one-name', eventSelectors),
];
