import type { Resource } from '../../evidence/types.ts';
import { everyRegion, MissingEvidence, type Check, type CheckContext } from '../types.ts';

const trailType = 'AWS::CloudTrail::Trail';

/** Whether one trail records management events in every region: yes, no (why), or not shown by the evidence (which field). */
type Verdict = { is: 'yes' } | { is: 'no'; why: string } | { is: 'unknown'; field: string };

interface EventSelector { includeManagementEvents?: boolean; readWriteType?: string; excludeManagementEventSources?: string[] }
interface AdvancedSelector { fieldSelectors?: { field?: string; equals?: string[] }[] }

/** Management events, read and write, none excluded: the default selectors, or custom ones that keep them. */
function managementEvents(trail: Resource): Verdict {
  const c = trail.configuration;
  if (c.hasCustomEventSelectors === false) return { is: 'yes' };
  if (Array.isArray(c.eventSelectors)) {
    const all = (c.eventSelectors as EventSelector[]).some((s) => s.includeManagementEvents === true && (s.readWriteType ?? 'All') === 'All' && !(s.excludeManagementEventSources ?? []).length);
    return all ? { is: 'yes' } : { is: 'no', why: 'event selectors leave out read or write management events' };
  }
  if (Array.isArray(c.advancedEventSelectors)) {
    const all = (c.advancedEventSelectors as AdvancedSelector[]).some((s) => {
      const fields = s.fieldSelectors ?? [];
      return fields.some((f) => f.field === 'eventCategory' && f.equals?.includes('Management')) && !fields.some((f) => f.field === 'readOnly' || f.field === 'eventSource');
    });
    return all ? { is: 'yes' } : { is: 'no', why: 'advanced event selectors leave out read or write management events' };
  }
  return { is: 'unknown', field: `configuration.eventSelectors of trail ${trail.id} (the trail has custom event selectors)` };
}

function verdict(trail: Resource): Verdict {
  const c = trail.configuration;
  if (typeof c.isMultiRegionTrail !== 'boolean') return { is: 'unknown', field: `configuration.isMultiRegionTrail of trail ${trail.id}` };
  if (!c.isMultiRegionTrail) return { is: 'no', why: `single-region trail (records ${trail.region} only)` };
  const events = managementEvents(trail);
  if (events.is !== 'yes') return events;
  if (c.isLogging === false) return { is: 'no', why: 'multi-region trail that is not logging' };
  if (c.isLogging !== true) return { is: 'unknown', field: `configuration.isLogging of trail ${trail.id} (AWS Config does not record whether a trail is logging: CloudTrail GetTrailStatus)` };
  return { is: 'yes' };
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
export const cloudtrailMultiRegionLogging: Check = {
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
    const own = verdict(trail);
    if (own.is === 'yes') return { status: 'pass', message: `logging multi-region trail with all management events: records API activity in every region of ${trail.account}` };
    const judged = trailsOf(ctx, trail).map((t) => ({ t, v: t.key === trail.key ? own : verdict(t) }));
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
