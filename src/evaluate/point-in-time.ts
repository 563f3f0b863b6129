// The point-in-time rule: a status for a period rests on evidence of the state at the period end.
// A configuration item describes the state from its capture until the collection saw it current (or,
// read from configuration history for the period, the state at the end). Any other observation (a
// rule result, a service API read, an absence) describes the moment it was made. Evidence of a later
// state is not evidence for the period; evidence older than the age limit at the end is stale.
import type { Period } from '../core/period.ts';
import { configurationItemApis } from '../evidence/read.ts';
import type { Resource, SnapshotMeta } from '../evidence/types.ts';

export interface PointInTime {
  /** The period end (exclusive), UTC ISO. */
  end: string;
  /** Observations before this are stale at the end. */
  staleBefore: string;
  maxAgeDays: number;
  /** When the collection saw the configuration items current. */
  collectedAt: string;
  /** The collection read configuration items and their absence as of this period's end (configuration history). */
  itemsAsOfEnd: boolean;
}

export function pointInTimeFor(period: Period | undefined, maxAgeDays: number, meta: SnapshotMeta): PointInTime | undefined {
  if (!period) return undefined;
  return {
    end: period.to,
    staleBefore: new Date(Date.parse(period.to) - maxAgeDays * 86_400_000).toISOString(),
    maxAgeDays,
    collectedAt: meta.collectedAt,
    itemsAsOfEnd: meta.asOf?.to === period.to,
  };
}

/** What to collect instead, by kind of evidence: configuration items have a history; other reads only a present. */
const remedies = {
  item: 'read the state at the end with `collect --period` (configuration history) or `collect --from-files … --period` (delivered snapshots)',
  read: 'AWS keeps only the current state of this: collect it before the period end (on its last day)',
} as const;

const afterEnd = (what: string, at: string, p: PointInTime, remedy: keyof typeof remedies) =>
  `${what} at ${at}, after the period end ${p.end}: not evidence of the state at the end; ${remedies[remedy]}`;
const stale = (what: string, at: string, p: PointInTime) => `${what} at ${at}, more than ${p.maxAgeDays} days before the period end ${p.end} (stale)`;

/** Why a configuration item or service API record is not evidence of the state at the period end, or undefined when it is. */
export function resourceNotAtEnd(r: Pick<Resource, 'capturedAt' | 'origin'>, p: PointInTime): string | undefined {
  if (configurationItemApis.has(r.origin.api)) {
    if (r.capturedAt > p.end) return afterEnd('configuration item captured', r.capturedAt, p, 'item');
    // Captured before the end and still current when collected: the state from its capture to the collection.
    if (r.origin.api !== 'config:GetResourceConfigHistory' && !p.itemsAsOfEnd && p.collectedAt < p.staleBefore) return stale('configuration items collected', p.collectedAt, p);
    return undefined;
  }
  return observationNotAtEnd('read from the service API', r.capturedAt, p);
}

/** Why an observation made at `at` (a rule result, an API read, an absence) is not evidence of the state at the end. */
export function observationNotAtEnd(what: string, at: string, p: PointInTime, remedy: keyof typeof remedies = 'read'): string | undefined {
  if (at > p.end) return afterEnd(what, at, p, remedy);
  if (at < p.staleBefore) return stale(what, at, p);
  return undefined;
}

/** Absence of configuration items, observed at `at`: as of the end when the collection read the period's history. */
export function absenceNotAtEnd(at: string, p: PointInTime): string | undefined {
  return p.itemsAsOfEnd ? undefined : observationNotAtEnd('absence of configuration items observed', at, p, 'item');
}
