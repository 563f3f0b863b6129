import { apiResourceTypes } from '../../../evidence/read-service-apis.ts';
import type { Resource } from '../../../evidence/types.ts';
import { everyRegion, MissingEvidence, type Check, type CheckContext } from '../../types.ts';

const trailType = 'AWS::CloudTrail::Trail';

/** Whether one trail records management events in every region: yes, no (why), or not shown by the evidence (which field). */
type Verdict = { is: 'yes'; how: string } | { is: 'no'; why: string } | { is: 'unknown'; field: string };

// GetEventSelectors' shapes (the API's own field names).
interface EventSelector {
  IncludeManagementEvents?: boolean;
  ReadWriteType?: string;
  ExcludeManagementEventSources?: string[];
}
interface AdvancedSelector {
  FieldSelectors?: { Field?: string; Equals?: string[] }[];
}

const nameOf = (trail: Resource) => (typeof trail.configuration.name === 'string' ? trail.configuration.name : trail.id);
const homeOf = (trail: Resource) => (typeof trail.configuration.homeRegion === 'string' ? trail.configuration.homeRegion : trail.region);
/** The trail's record of a CloudTrail API read (GetTrailStatus, GetEventSelectors): made in its home region, named after it. */
const readOf = (ctx: CheckContext, trail: Resource, type: string) => ctx.findResources(trail.account, homeOf(trail), type, (r) => r.id === nameOf(trail))[0];
const notRead = (api: string, trail: Resource, why = '') => `the CloudTrail ${api} response for trail ${nameOf(trail)} (${trail.account}/${homeOf(trail)})${why}`;

/**
 * Management events, read and write, none excluded. A trail without custom selectors logs them all: "By default,
 * trails created without specific event selectors will be configured to log all read and write management events"
 * (AWS CloudTrail API Reference, EventSelector; also
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudtrail-trail-eventselector.html).
 */
function managementEvents(ctx: CheckContext, trail: Resource): Verdict {
  const read = readOf(ctx, trail, apiResourceTypes.cloudtrailEventSelectors);
  if (!read) {
    if (trail.configuration.hasCustomEventSelectors === false) return { is: 'yes', how: 'default event selectors' };
    return { is: 'unknown', field: notRead('GetEventSelectors', trail, ' (AWS Config records only that the trail has custom event selectors)') };
  }
  const basic = (read.configuration.EventSelectors ?? []) as EventSelector[];
  const advanced = (read.configuration.AdvancedEventSelectors ?? []) as AdvancedSelector[];
  if (basic.length) {
    const kinds = new Set(basic.filter((s) => s.IncludeManagementEvents === true && !(s.ExcludeManagementEventSources ?? []).length).map((s) => s.ReadWriteType ?? 'All'));
    const all = kinds.has('All') || (kinds.has('ReadOnly') && kinds.has('WriteOnly'));
    return all ? { is: 'yes', how: 'event selectors with all management events' } : { is: 'no', why: 'event selectors leave out read or write management events' };
  }
  if (advanced.length) {
    const all = advanced.some((s) => {
      const fields = s.FieldSelectors ?? [];
      return fields.some((f) => f.Field === 'eventCategory' && f.Equals?.includes('Management')) && !fields.some((f) => f.Field === 'readOnly' || f.Field === 'eventSource');
    });
    return all ? { is: 'yes', how: 'advanced event selectors with all management events' } : { is: 'no', why: 'advanced event selectors leave out read or write management events' };
  }
  return { is: 'yes', how: 'no custom event selectors (the default: all management events)' };
}

function verdict(trail: Resource, ctx: CheckContext): Verdict {
  const c = trail.configuration;
  if (typeof c.isMultiRegionTrail !== 'boolean') return { is: 'unknown', field: `configuration.isMultiRegionTrail of trail ${trail.id}` };
  if (!c.isMultiRegionTrail) return { is: 'no', why: `single-region trail (records ${trail.region} only)` };
  const events = managementEvents(ctx, trail);
  if (events.is !== 'yes') return events;
  // AWS Config does not record whether a trail is logging: CloudTrail's GetTrailStatus does.
  const status = readOf(ctx, trail, apiResourceTypes.cloudtrailTrailStatus)?.configuration;
  if (!status) return { is: 'unknown', field: notRead('GetTrailStatus', trail, ' (AWS Config does not record whether a trail is logging)') };
  if (status.IsLogging !== true) return { is: 'no', why: `multi-region trail that is not logging${status.StopLoggingTime ? ` (stopped ${status.StopLoggingTime})` : ''}` };
  const delivered = status.LatestDeliveryTime ? `, latest delivery ${status.LatestDeliveryTime}` : '';
  const error = status.LatestDeliveryError ? `, latest delivery error ${status.LatestDeliveryError}` : '';
  return { is: 'yes', how: `logging${status.StartLoggingTime ? ` since ${status.StartLoggingTime}` : ''}${delivered}${error}; ${events.how}` };
}

/** Trails a failure names (an account may hold thousands). */
const listedTrails = 10;
const where = (t: Resource) => `${t.id} (${t.region})`;
/** The account's trails in a stable order: the first one stands for the account when it has none that qualifies. */
function trailsOf(ctx: CheckContext, trail: Resource): Resource[] {
  const trails = ctx.findResources(trail.account, everyRegion, trailType);
  return (trails.some((t) => t.key === trail.key) ? trails : [...trails, trail]).sort((a, b) => a.region.localeCompare(b.region) || a.id.localeCompare(b.id));
}

/**
 * The property belongs to the account: one logging multi-region trail with management events records every
 * region. Other trails are context, never failures of it; without such a trail the account fails once.
 */
export const check: Check = {
  id: 'cloudtrail-multi-region-logging',
  title: 'A logging multi-region CloudTrail trail records management events in every region of the account',
  service: 'CloudTrail',
  resourceTypes: [trailType],
  source: { kind: 'config' },
  remediation: 'Create (or update) one trail with --is-multi-region-trail that logs all management events, and start logging on it (or use an organization trail).',
  sameProperty: ['MULTI_REGION_CLOUD_TRAIL_ENABLED'],
  // Every trail of the account is looked at, in whichever region it is recorded.
  retains: (candidate) => candidate.type === trailType,
  evaluate(trail, ctx) {
    const own = verdict(trail, ctx);
    if (own.is === 'yes') return { status: 'pass', message: `logging multi-region trail with all management events (${own.how}): records API activity in every region of ${trail.account}` };
    const judged = trailsOf(ctx, trail).map((t) => ({ t, v: t.key === trail.key ? own : verdict(t, ctx) }));
    const qualifying = judged.find((j) => j.v.is === 'yes');
    const why = own.is === 'no' ? own.why : 'whether this trail qualifies is not in the evidence';
    if (qualifying) return { status: 'not-applicable', message: `${why}; not a failure: trail ${where(qualifying.t)} records every region of ${trail.account}` };
    if (own.is === 'unknown') throw new MissingEvidence(own.field);
    const open = judged.find((j) => j.v.is === 'unknown');
    if (open) return { status: 'not-applicable', message: `${why}; whether ${trail.account} records every region rests on trail ${where(open.t)}` };
    const first = judged[0]!.t;
    if (first.key !== trail.key) return { status: 'not-applicable', message: `${why}; ${trail.account} has no logging multi-region trail: reported once, on trail ${where(first)}` };
    const named = judged.slice(0, listedTrails).map((j) => `${where(j.t)}: ${j.v.is === 'no' ? j.v.why : 'undetermined'}`);
    const found = `${named.join('; ')}${judged.length > listedTrails ? `; and ${judged.length - listedTrails} more` : ''}`;
    return { status: 'fail', message: `no logging multi-region trail with all management events in ${trail.account}; found ${judged.length} trail(s): ${found}` };
  },
};
