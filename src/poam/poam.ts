// The plan of action and milestones (POA&M) of a pack: every open weakness of result.json, remembered from
// the previous period's verified pack (its poam.json), so a weakness keeps its id and first detection date
// month after month and is closed, with the pack that showed it fixed, once it no longer fails.
// A failing or waived item is a weakness at once; an evidence gap only when it persists: a gap first seen here is
// pending (poam.json's pendingGaps, signed with the pack), and enters the POA&M, dated from the pack that first
// showed it, when the next period's pack shows it again.
import { createHash } from 'node:crypto';
import { controlItemBatches } from '../evaluate/read-result.ts';
import type { EvidenceItem, Result, WaiverResult } from '../evaluate/result.ts';
import { originalRisk, riskRatings, riskRule, scheduledCompletion, type RiskRating } from './risk.ts';

export const poamSchemaVersion = 'evidence-pack/poam@1';
export const poamFile = 'poam.json';

export interface Deviation {
  waiver: string;
  state: 'active' | 'expired';
  owner: string;
  reason: string;
  ticket: string;
  expires: string;
}

export type PoamStatus = 'open' | 'risk-accepted' | 'closed';

export interface PoamItem {
  /** EP- and 12 hex digits of what the weakness is: its rule or check, account, region and resource. */
  id: string;
  /** open; risk-accepted (failing under an active waiver: on the open sheet, with its deviation); closed. */
  status: PoamStatus;
  /** What this pack saw: a failing item, an evidence gap, a waived failing item, or nothing (fixed). */
  finding: 'fail' | 'gap' | 'waived' | 'fixed';
  /** Catalog controls whose evidence holds the weakness, and the NIST SP 800-53 controls they map to. */
  controls: string[];
  nist: string[];
  name: string;
  description: string;
  detector: string;
  sourceIdentifier: string;
  asset: string;
  account: string;
  region: string;
  resource?: { type: string; id: string; arn?: string };
  remediation: string;
  risk: RiskRating;
  detected: { date: string; packId: string };
  scheduledCompletion: string;
  statusDate: string;
  closed?: { date: string; packId: string };
  deviation?: Deviation;
  /** Paths inside the pack: the controls' items files and the evidence files the items came from. */
  supportingDocuments: string[];
  milestoneChanges: string[];
  overdue: boolean;
  comments: string;
}

export type PreviousPoam =
  | { state: 'carried'; packId: string; period: string; doc: PoamDocument }
  | { state: 'no-previous-pack'; period?: string }
  | { state: 'no-poam-in-pack'; packId: string; period: string }
  | { state: 'previous-pack-refused'; packId: string; period: string; problems: string[] };

/** An evidence gap this pack shows that is not (yet) a POA&M item: it becomes one if the next period's pack shows it too. */
export interface PendingGap {
  id: string;
  /** The pack that first showed the gap: the item's original detection date once it enters the POA&M. */
  firstSeen: { date: string; packId: string };
  name: string;
  sourceIdentifier: string;
  asset: string;
  account: string;
  region: string;
  controls: string[];
}

export interface PoamCounts {
  open: number;
  riskAccepted: number;
  overdue: number;
  /** Open items that entered the POA&M with this pack: first detected by it, or promoted from the previous pack's pending gaps. */
  newThisPeriod: number;
  closedThisPeriod: number;
  closed: number;
  /** Evidence gaps seen first by this pack, not items (pendingGaps). */
  pending: number;
  /** Open items that were pending gaps in the previous pack and entered the POA&M in this one. */
  promotedThisPeriod: number;
}

export interface PoamDocument {
  schema: typeof poamSchemaVersion;
  packId: string;
  generatedAt: string;
  organization: string;
  period?: { label: string; to: string };
  /** Where the remembered items came from; the document itself is not repeated. */
  previous: Exclude<PreviousPoam, { state: 'carried' }> | { state: 'carried'; packId: string; period: string };
  riskRule: string;
  counts: PoamCounts;
  /** Open and risk-accepted items, oldest detection first (High risk first among equals), then closed items, latest closure first. */
  items: PoamItem[];
  /** Evidence gaps first seen by this pack (none in packs made before gaps waited a period), by id. */
  pendingGaps: PendingGap[];
}

const statusRank: Record<EvidenceItem['status'], number> = { fail: 0, gap: 1, waived: 2, pass: 3, 'not-applicable': 4 };
/** Lines of a weakness's description drawn from its items' messages; the rest are counted. */
const maxMessages = 3;

function sourceKey(s: EvidenceItem['source']): string {
  return s.kind === 'check' ? `check:${s.id}` : s.kind === 'config-rule' ? `config-rule:${s.rule}` : `coverage:${s.api}`;
}

/** The weakness id: the same rule or check, account, region and resource give the same id in every pack. */
export function weaknessId(item: Pick<EvidenceItem, 'source' | 'account' | 'region' | 'resource'>): string {
  const resource = item.resource ? `${item.resource.type}/${item.resource.id}` : '';
  const h = createHash('sha256')
    .update(['evidence-pack-poam', sourceKey(item.source), item.account, item.region, resource].join('\0'))
    .digest('hex');
  return `EP-${h.slice(0, 12).toUpperCase()}`;
}

function describeSource(s: EvidenceItem['source'], tool: Result['tool']): { name: string; detector: string; identifier: string } {
  switch (s.kind) {
    case 'check':
      return { name: s.title, detector: `${tool.name} ${tool.version} built-in check`, identifier: s.id };
    case 'config-rule':
      return { name: `AWS Config rule ${s.rule} not satisfied`, detector: `AWS Config rule ${s.ruleName}${s.conformancePack ? ` (conformance pack ${s.conformancePack})` : ''}`, identifier: s.rule };
    case 'coverage':
      return { name: `Evidence missing: ${s.api}`, detector: `${tool.name} ${tool.version} evidence coverage`, identifier: s.api };
  }
}

interface Seen {
  item: EvidenceItem;
  finding: 'fail' | 'gap' | 'waived';
  controls: Set<string>;
  nist: Set<string>;
  messages: Set<string>;
  more: number;
  documents: Set<string>;
  remediation: string;
  waiver?: EvidenceItem['waiver'];
}

/** The weaknesses result.json holds now: every failing, gap and waived item, one per id, read from the items files. */
/** The framework whose control ids a POA&M item's impacted controls are: the one the pack's baselines select from. */
export function impactedControlsFramework(result: Pick<Result, 'frameworks'>): string | undefined {
  return result.frameworks.find((f) => f.kind === 'baseline')?.of;
}

async function currentWeaknesses(result: Result, packDir: string): Promise<Map<string, Seen>> {
  const seen = new Map<string, Seen>();
  const framework = impactedControlsFramework(result);
  for (const c of result.controls) {
    if (c.counts.fail + c.counts.gap + c.counts.waived === 0) continue;
    for await (const batch of controlItemBatches(packDir, c)) {
      for (const item of batch) {
        if (item.status !== 'fail' && item.status !== 'gap' && item.status !== 'waived') continue;
        const id = weaknessId(item);
        let s = seen.get(id);
        if (!s) seen.set(id, (s = { item, finding: item.status, controls: new Set(), nist: new Set(), messages: new Set(), more: 0, documents: new Set(), remediation: c.remediation }));
        if (statusRank[item.status] < statusRank[s.finding]) s.finding = item.status;
        if (item.waiver && (!s.waiver || item.waiver.state === 'expired')) s.waiver = item.waiver;
        s.controls.add(c.id);
        for (const m of (framework && c.mappings[framework]) || []) s.nist.add(m.id);
        if (s.messages.size < maxMessages) s.messages.add(item.message);
        else if (!s.messages.has(item.message)) s.more++;
        for (const f of c.items ?? []) s.documents.add(f.file);
        if (item.origin) s.documents.add(item.origin.file);
      }
    }
  }
  return seen;
}

function deviationOf(waiver: EvidenceItem['waiver'], waivers: WaiverResult[]): Deviation | undefined {
  const w = waiver && waivers.find((x) => x.id === waiver.id);
  return w && { waiver: w.id, state: w.state, owner: w.owner, reason: w.reason, ticket: w.ticket, expires: w.expires };
}

const day = (iso: string) => iso.slice(0, 10);

function inScope(result: Result, account: string, region: string): boolean {
  const { accounts, regions } = result.evidence.scope;
  return accounts.includes(account) && (region === 'global' || regions.includes(region));
}

/**
 * result.json (its items read from packDir) and the previous period's POA&M → this pack's POA&M.
 * packId and generatedAt name this pack: a weakness first seen here is detected by it, one gone is closed by it.
 */
export async function buildPoam(result: Result, packDir: string, packId: string, previous: PreviousPoam): Promise<PoamDocument> {
  const now = result.generatedAt;
  const periodEnd = result.period?.to ?? now;
  const before = new Map((previous.state === 'carried' ? previous.doc.items : []).map((i) => [i.id, i]));
  const watched = new Map((previous.state === 'carried' ? (previous.doc.pendingGaps ?? []) : []).map((g) => [g.id, g]));
  const items: PoamItem[] = [];
  const pendingGaps: PendingGap[] = [];
  const promoted = new Set<string>();
  const overdue = (status: PoamStatus, scheduled: string) => status === 'open' && scheduled < periodEnd;

  for (const [id, s] of await currentWeaknesses(result, packDir)) {
    const prev = before.get(id);
    const firstSeen = watched.get(id)?.firstSeen;
    const src = describeSource(s.item.source, result.tool);
    const r = s.item.resource;
    const asset = r?.arn ?? (r ? `${s.item.account}/${s.item.region}/${r.type}/${r.id}` : `${s.item.account}/${s.item.region}`);
    if (s.finding === 'gap' && !firstSeen && (!prev || prev.status === 'closed')) {
      pendingGaps.push({ id, firstSeen: { date: now, packId }, name: src.name, sourceIdentifier: src.identifier, asset, account: s.item.account, region: s.item.region, controls: [...s.controls] });
      continue;
    }
    const risk = originalRisk(s.item.source);
    const detected = prev?.detected ?? firstSeen ?? { date: now, packId };
    const status: PoamStatus = s.finding === 'waived' ? 'risk-accepted' : 'open';
    const deviation = deviationOf(s.waiver, result.waivers);
    const changes = [...(prev?.milestoneChanges ?? [])];
    if (firstSeen && (!prev || prev.status === 'closed')) promoted.add(id);
    if (firstSeen && !prev) {
      changes.push(
        `Entered the POA&M ${day(now)} by ${packId}: an evidence gap since ${day(firstSeen.date)} (${firstSeen.packId})${s.finding === 'gap' ? ', shown by a second consecutive pack' : `, now ${s.finding === 'fail' ? 'failing' : 'waived'}`}`,
      );
    }
    if (prev?.status === 'closed') changes.push(`Reopened ${day(now)} by ${packId}: ${s.finding === 'gap' ? 'an evidence gap' : 'failing'} again after closure by ${prev.closed?.packId}`);
    else if (prev?.status === 'risk-accepted' && status === 'open')
      changes.push(
        `Reopened ${day(now)} by ${packId}: ${deviation?.state === 'expired' ? `waiver ${deviation.waiver} expired on ${deviation.expires}` : `waiver ${prev.deviation?.waiver ?? ''} no longer covers it`}`,
      );
    else if (prev?.status === 'open' && status === 'risk-accepted') changes.push(`Risk accepted ${day(now)} by ${packId}: waiver ${deviation?.waiver} until ${deviation?.expires}`);
    const scheduled = scheduledCompletion(detected.date, risk);
    const comments = [
      s.finding === 'gap' ? 'Evidence gap: the property could not be established (a gap is never a pass).' : '',
      deviation?.state === 'expired' ? `Waiver ${deviation.waiver} expired on ${deviation.expires}: the item fails again.` : '',
      `Catalog controls: ${[...s.controls].join(', ')}.`,
    ]
      .filter(Boolean)
      .join(' ');
    items.push({
      id,
      status,
      finding: s.finding,
      controls: [...s.controls],
      nist: [...s.nist].sort(),
      name: src.name,
      description: [...s.messages].join('; ') + (s.more ? `; and ${s.more} more` : ''),
      detector: src.detector,
      sourceIdentifier: src.identifier,
      asset,
      account: s.item.account,
      region: s.item.region,
      ...(r ? { resource: { type: r.type, id: r.id, ...(r.arn ? { arn: r.arn } : {}) } } : {}),
      remediation: s.remediation,
      risk,
      detected,
      scheduledCompletion: scheduled,
      statusDate: prev && prev.status === status ? prev.statusDate : now,
      ...(deviation ? { deviation } : {}),
      supportingDocuments: [...s.documents].sort(),
      milestoneChanges: changes,
      overdue: overdue(status, scheduled),
      comments,
    });
  }

  const current = new Set(items.map((i) => i.id));
  for (const prev of before.values()) {
    if (current.has(prev.id)) continue;
    if (prev.status === 'closed') items.push({ ...prev, overdue: false });
    else if (!inScope(result, prev.account, prev.region)) {
      items.push({
        ...prev,
        overdue: overdue(prev.status, prev.scheduledCompletion),
        comments: `Not assessed by ${packId}: ${prev.account}/${prev.region} is outside this collection's scope; carried open from ${previous.state === 'carried' ? previous.packId : ''}.`,
      });
    } else {
      items.push({
        ...prev,
        status: 'closed',
        finding: 'fixed',
        overdue: false,
        statusDate: now,
        closed: { date: now, packId },
        milestoneChanges: [...prev.milestoneChanges, `Closed ${day(now)} by ${packId}: no longer failing`],
      });
    }
  }

  items.sort(
    (a, b) =>
      (a.status === 'closed' ? 1 : 0) - (b.status === 'closed' ? 1 : 0) ||
      (a.status === 'closed' ? b.closed!.date.localeCompare(a.closed!.date) : a.detected.date.localeCompare(b.detected.date)) ||
      riskRatings.indexOf(a.risk) - riskRatings.indexOf(b.risk) ||
      a.id.localeCompare(b.id),
  );
  const open = items.filter((i) => i.status !== 'closed');
  const closed = items.filter((i) => i.status === 'closed');
  return {
    schema: poamSchemaVersion,
    packId,
    generatedAt: now,
    organization: result.organization,
    ...(result.period ? { period: { label: result.period.label, to: result.period.to } } : {}),
    previous: previous.state === 'carried' ? { state: 'carried', packId: previous.packId, period: previous.period } : previous,
    riskRule,
    counts: {
      open: open.length,
      riskAccepted: open.filter((i) => i.status === 'risk-accepted').length,
      overdue: open.filter((i) => i.overdue).length,
      newThisPeriod: open.filter((i) => i.detected.packId === packId || promoted.has(i.id)).length,
      closedThisPeriod: closed.filter((i) => i.closed?.packId === packId).length,
      closed: closed.length,
      pending: pendingGaps.length,
      promotedThisPeriod: open.filter((i) => promoted.has(i.id)).length,
    },
    items,
    pendingGaps: pendingGaps.sort((a, b) => a.id.localeCompare(b.id)),
  };
}
