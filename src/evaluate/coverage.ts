// Coverage: per check, account and region, what the evidence cannot show (a gap), or the absence of any
// resource the check applies to (not applicable, with the evidence of absence).
import type { Check } from '../checks/types.ts';
import { inventorySources } from '../evidence/read.ts';
import type { Gap, RecorderState, Snapshot } from '../evidence/types.ts';
import { absenceNotAtEnd, observationNotAtEnd, type PointInTime } from './point-in-time.ts';
import type { EvidenceItem, ItemStatus } from './result.ts';

export interface CoverageContext {
  snapshot: Snapshot;
  recorderFor(account: string, region: string): RecorderState | undefined;
  declaredGap(account: string, region: string, api: string): Gap | undefined;
  pointInTime?: PointInTime;
  /** The regions the check covers. */
  regions: Iterable<string>;
  /** How many resources of the account and region the check was applied to. */
  applicable(account: string, region: string): number;
  /** How many resources of the account and region were read. */
  resourcesIn(account: string, region: string): number;
  /** Takes back the check's items made for the account and region: an uncovered scope is a gap, not its resources' verdicts. */
  takeBack(account: string, region: string): void;
}

/** Why the evidence cannot show what a check needs in one account and region: a gap's message and the API it names. */
interface Uncovered {
  message: string;
  api: string;
}

/** The coverage items of one check over every account and region in scope. */
export function coverageItems(check: Check, ctx: CoverageContext): EvidenceItem[] {
  const items: EvidenceItem[] = [];
  const { snapshot } = ctx;
  for (const account of snapshot.meta.scope.accounts) {
    for (const region of ctx.regions) {
      const uncovered = check.source.kind === 'config' ? configUncovered(check, account, region, ctx) : serviceUncovered(check.source.api, check.source.alsoFrom ?? [], account, region, ctx);
      if (uncovered === 'nothing to cover') continue;
      if (uncovered) {
        items.push({ source: { kind: 'coverage', api: uncovered.api }, status: 'gap', account, region, message: uncovered.message, observedAt: snapshot.meta.collectedAt });
        if (ctx.applicable(account, region) > 0) ctx.takeBack(account, region);
        continue;
      }
      if (ctx.applicable(account, region) === 0) items.push(absenceItem(check, account, region, ctx));
    }
  }
  return items;
}

/** What AWS Config's evidence lacks for the check in the account and region: no recorder, not recording, no items, or types not recorded. */
function configUncovered(check: Check, account: string, region: string, ctx: CoverageContext): Uncovered | 'nothing to cover' | undefined {
  const recorder = ctx.recorderFor(account, region);
  const types = check.resourceTypes !== '*' ? check.resourceTypes : [];
  // An aggregator's word on an account and region it holds nothing current for (a source failed, or never reported).
  const unreported = () => ctx.declaredGap(account, region, 'config:DescribeConfigurationAggregatorSourcesStatus');
  if (!recorder) {
    if (region === 'global' && !ctx.resourcesIn(account, region)) return 'nothing to cover';
    const silent = unreported();
    if (silent) return { message: `no recorder state for ${account}/${region}: ${silent.reason}`, api: 'config:DescribeConfigurationAggregatorSourcesStatus' };
    return { message: `no AWS Config recorder in ${account}/${region}: configuration not recorded`, api: 'config:DescribeConfigurationRecorders' };
  }
  if (!recorder.recording) {
    return {
      message: `AWS Config recorder "${recorder.name}" is not recording in ${account}/${region}${recorder.lastStatus ? ` (last status ${recorder.lastStatus})` : ''}`,
      api: 'config:DescribeConfigurationRecorderStatus',
    };
  }
  const inventoried = ctx.snapshot.apiResponses.some((a) => a.account === account && (region === 'global' || a.region === region) && (inventorySources as readonly string[]).includes(a.api));
  if (!inventoried) {
    const declared = ctx.declaredGap(account, region, 'config:SelectResourceConfig') ?? unreported();
    return {
      message: `no configuration items for ${account}/${region}: neither a snapshot file nor a SelectResourceConfig response${declared ? ` (${declared.reason})` : ''}`,
      api: 'config:SelectResourceConfig',
    };
  }
  const unrecorded = recorder.allSupported ? [] : types.filter((t) => !recorder.resourceTypes.includes(t));
  if (unrecorded.length) return { message: `recorder "${recorder.name}" in ${account}/${region} does not record ${unrecorded.join(', ')}`, api: 'config:DescribeConfigurationRecorders' };
  return undefined;
}

/** A service API the check reads that gave no answer for the account and region. */
function serviceUncovered(api: string, alsoFrom: string[], account: string, region: string, ctx: CoverageContext): Uncovered | undefined {
  const apis = [api, ...alsoFrom];
  if (ctx.snapshot.apiResponses.some((a) => a.account === account && a.region === region && apis.includes(a.api))) return undefined;
  const declared = ctx.declaredGap(account, region, api);
  return { message: `no ${api} response for ${account}/${region}${declared ? `: ${declared.reason}` : ''}`, api };
}

/** No resource the check applies to in a covered account and region: not applicable, with what shows the absence (a gap when that is not the state at the period end). */
function absenceItem(check: Check, account: string, region: string, ctx: CoverageContext): EvidenceItem {
  const { snapshot, pointInTime } = ctx;
  const typed = check.resourceTypes !== '*';
  const recorder = ctx.recorderFor(account, region);
  const what = typed ? (check.resourceTypes as string[]).join(', ') : 'resources';
  // A delivered snapshot shows absence at its own time; history for the period, at the period end.
  const seenAt = recorder?.basis === 'delivered-snapshot' && recorder.lastStartTime ? recorder.lastStartTime : snapshot.meta.collectedAt;
  const notAtEnd = pointInTime && (check.source.kind === 'config' ? absenceNotAtEnd(seenAt, pointInTime) : observationNotAtEnd(`${check.source.api} answered`, snapshot.meta.collectedAt, pointInTime));
  const basis =
    check.source.kind !== 'config'
      ? `${check.source.api} answered with none`
      : recorder!.basis === 'aggregator'
        ? `${recorder!.name} ${recorder!.lastStatus}${recorder!.lastStartTime ? ` at ${recorder!.lastStartTime}` : ''} (whether the recorder runs, and which types it records, is not visible through an aggregator)`
        : recorder!.basis === 'delivered-snapshot'
          ? `${recorder!.name} (a delivered snapshot does not state which types the recorder records)`
          : `recorder "${recorder!.name}" recording ${recorder!.allSupported ? 'all supported types' : what}${recorder!.lastStartTime ? ` since ${recorder!.lastStartTime}` : ''}`;
  const absence = `0 ${what} in ${account}/${region}; ${basis}`;
  // Absence read from the period's configuration history is the absence at its end.
  const observedAt = check.source.kind !== 'config' ? snapshot.meta.collectedAt : pointInTime?.itemsAsOfEnd ? pointInTime.end : seenAt;
  const status: ItemStatus = notAtEnd ? 'gap' : 'not-applicable';
  return {
    source: { kind: 'coverage', api: check.source.kind === 'config' ? 'AWS Config snapshot' : check.source.api },
    status,
    account,
    region,
    message: notAtEnd ? `${notAtEnd}; as collected: ${absence}` : absence,
    observedAt,
  };
}
