// The report's POA&M section: counts and the oldest open items, bounded; poam.csv holds every item.
import { poamOutputs } from './poam-outputs.ts';
import type { PoamDocument } from '../poam/poam.ts';
import { remediationDays } from '../poam/risk.ts';

/** Open items the report lists, oldest detection first. */
export const listedPoamItems = 25;

export function poamView(doc?: PoamDocument) {
  if (!doc) return undefined;
  const open = doc.items.filter((i) => i.status !== 'closed');
  const closedNow = doc.items.filter((i) => i.closed?.packId === doc.packId);
  const row = (i: PoamDocument['items'][number]) => ({
    id: i.id,
    name: i.name,
    asset: i.asset,
    controls: i.nist.join(', '),
    risk: i.risk,
    status: i.status,
    overdue: i.overdue,
    detected: i.detected.date,
    detectedBy: i.detected.packId,
    scheduled: i.scheduledCompletion,
    closed: i.closed?.date,
    deviation: i.deviation?.waiver,
  });
  return {
    counts: doc.counts,
    previous: doc.previous,
    carried: doc.previous.state === 'carried',
    /** Packs made before gaps waited a period have no pending count. */
    pending: doc.counts.pending ?? 0,
    promoted: doc.counts.promotedThisPeriod ?? 0,
    items: open.slice(0, listedPoamItems).map(row),
    omitted: Math.max(0, open.length - listedPoamItems),
    closedNow: closedNow.slice(0, listedPoamItems).map(row),
    closedOmitted: Math.max(0, closedNow.length - listedPoamItems),
    files: poamOutputs,
    riskRule: doc.riskRule,
    windows: remediationDays,
  };
}
