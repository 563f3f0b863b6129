// result.json → everything the templates show. Decisions (ordering, roll-ups, wording of statuses)
// live here; templates only lay them out.
import type { BaselineStatus, ControlResult, ControlStatus, EvidenceItem, Result } from '../evaluate/result.ts';
import { controlStatuses, itemStatuses, listedOthers } from '../evaluate/result.ts';
import { stackedBars } from './charts.ts';
import type { DriftRecord } from '../period/drift.ts';
import type { TrendPoint } from '../period/trend.ts';
import type { KsiReport } from '../evaluate/ksi.ts';
import { ksiView } from './ksi-view.ts';
import type { InventorySummary } from '../inventory/write.ts';
import { inventoryView } from '../inventory/view.ts';
import type { PoamDocument } from '../poam/poam.ts';
import { poamView } from './poam-view.ts';
import { statusInfo, statusOrder } from './status.ts';
import { samplingMethod, samplingNote, type PackSampling } from '../sampling/report-view.ts';

export interface PackContext {
  packId: string;
  /** Absent when rendering outside a run, before the key is known. */
  signer?: { fingerprint: string; label: string; managed: boolean };
  /** The certificate whose signature report.pdf carries. */
  pdfCertificate?: { subject: string; demo: boolean };
  branding?: { logo?: string; accent?: string };
  drift?: DriftRecord;
  trend?: TrendPoint[];
  /** The KSI roll-up (ksi.json) and UCM, when rendered with the KSI catalog (catalogs/ksi/). */
  ksi?: KsiReport;
  /** Resources by type and account (inventory.csv and inventory.xlsx list them). */
  inventory?: InventorySummary;
  poam?: PoamDocument;
  /** Populations and default samples written with the reports (absent: the first passing items are listed). */
  sampling?: PackSampling;
}

const ownerLabel = { aws: 'AWS', customer: 'Customer', shared: 'Shared' } as const;
const assessmentLabel = { automated: 'Automated (AWS data)', manual: 'Manual attestation', inherited: 'Inherited from AWS' } as const;

function statusView(s: BaselineStatus) {
  return { status: s, label: statusInfo[s].label, colour: statusInfo[s].colour };
}

function sourceLabel(item: EvidenceItem): { label: string; detail?: string } {
  switch (item.source.kind) {
    case 'check':
      return { label: `Check ${item.source.id}` };
    case 'config-rule':
      return {
        label: `Config rule ${item.source.rule}`,
        detail: `${item.source.ruleName}${item.source.conformancePack ? ` (conformance pack ${item.source.conformancePack})` : ''}${item.source.identifiedBy ? '; identified by its name (aggregator)' : ''}`,
      };
    case 'coverage':
      return { label: `Coverage ${item.source.api}` };
  }
}

/** Evidence files are numbered F1…Fn in the appendix; items cite them by number to stay readable. */
type FileRefs = Map<string, string>;

function itemView(item: EvidenceItem, refs: FileRefs) {
  const source = sourceLabel(item);
  return {
    ...item,
    statusView: statusView(item.status),
    sourceLabel: source.label,
    sourceDetail: source.detail,
    originRef: item.origin ? `${refs.get(item.origin.file) ?? item.origin.file}${item.origin.pointer ? ` ${item.origin.pointer}` : ''}` : undefined,
    resourceLabel: item.resource ? `${item.resource.name && item.resource.name !== item.resource.id ? `${item.resource.name} (${item.resource.id})` : item.resource.id}` : '(scope)',
    resourceType: item.resource?.type ?? '',
  };
}

const itemOrder: Record<EvidenceItem['status'], number> = { fail: 0, gap: 1, waived: 2, pass: 3, 'not-applicable': 4 };

/** Stands in a control's evidence rows in a report rendered with deferred rows; escaped text can never match it. */
export const rowsMarker = (controlId: string) => `<!--evidence-rows:${controlId}-->`;

export type ItemView = ReturnType<typeof itemView>;

/** A control's rows, made a batch at a time while the report is written. */
export interface DeferredRows {
  items: EvidenceItem[];
  view(item: EvidenceItem): ItemView;
}

/** A control's mapping edges, one line a framework it maps to, tagged with the views that hold them. */
function mappingViews(c: ControlResult, frameworks: Result['frameworks']) {
  return frameworks
    .filter((f) => f.kind === 'framework' && c.mappings[f.id]?.length)
    .map((f) => {
      const mapped = c.mappings[f.id]!;
      const tags = frameworks.filter((v) => v.tag && mapped.some((m) => m.in?.includes(v.id))).map((v) => v.tag!);
      return { label: f.label, ids: mapped.map((m) => m.id).join(', '), tags };
    });
}

function controlView(c: ControlResult, refs: FileRefs, frameworks: Result['frameworks'], deferred?: Map<string, DeferredRows>, sampling?: PackSampling) {
  const sorted = [...c.evidence].sort((a, b) => itemOrder[a.status] - itemOrder[b.status]);
  const listedInFull = (i: EvidenceItem) => i.status === 'fail' || i.status === 'gap' || i.status === 'waived';
  const others = sorted.filter((i) => !listedInFull(i));
  // With a population, exceptions are listed up to a bound and passing items are its sample; without, the first few others.
  const note = samplingNote(c, sampling?.get(c.id));
  const problems = sorted.filter(listedInFull).slice(0, note?.exceptionsListed);
  // Not-applicable items are the evidence of absence: the first few are shown beside the sample.
  const shown = note ? [...note.sampleItems, ...others.filter((i) => i.status === 'not-applicable').slice(0, listedOthers)] : others.slice(0, listedOthers);
  const listed = [...problems, ...shown];
  deferred?.set(rowsMarker(c.id), { items: listed, view: (i) => itemView(i, refs) });
  const items = deferred ? [] : listed.map((i) => itemView(i, refs));
  const omitted = note ? 0 : c.counts.pass + c.counts['not-applicable'] - shown.length;
  return {
    ...(deferred ? { rowsMarker: rowsMarker(c.id) } : {}),
    omitted,
    population: note?.population,
    listing: note && { ...note.listing, notApplicableListed: shown.length - note.sampleItems.length },
    ...c,
    anchor: `control-${c.id}`,
    statusView: statusView(c.status),
    ownerLabel: ownerLabel[c.responsibility.owner],
    assessmentLabel: assessmentLabel[c.assessment],
    items,
    hasItems: listed.length > 0,
    mappingViews: mappingViews(c, frameworks),
  };
}

/** Every framework, baseline and view of the pack, in report order: counts, and rows by family where the data has families. */
function frameworksView(result: Result) {
  const labelOf = new Map(result.frameworks.map((f) => [f.id, f.label]));
  return result.frameworks.map((b) => {
    const families = new Map<string, typeof b.rows>();
    for (const row of b.rows) (families.get(row.family) ?? families.set(row.family, []).get(row.family)!).push(row);
    const counts: Partial<Record<BaselineStatus, number>> = {};
    for (const row of b.rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
    return {
      ...b,
      listsAll: b.list === 'all',
      total: b.rows.length,
      assessed: b.rows.filter((r) => r.status !== 'not-assessed').length,
      byRulesOnly: b.rows.filter((r) => r.via.length === 0 && (r.rules ?? []).length > 0).length,
      countsView: (Object.keys(statusInfo) as BaselineStatus[]).filter((s) => counts[s]).map((s) => ({ ...statusView(s), count: counts[s] })),
      families: [...families.entries()].map(([family, rows]) => ({
        family,
        assessed: rows.filter((r) => r.status !== 'not-assessed').length,
        rows: rows.map((r) => ({
          ...r,
          statusView: statusView(r.status),
          viaLinks: r.via.map((id) => ({ id, anchor: `control-${id}` })),
          // Packs made before rule evidence reached the baseline have no rules on their rows.
          ruleViews: (r.rules ?? []).map((x) => ({ ...x, statusView: statusView(x.status) })),
          inheritViews: (r.inherits ?? []).map((x) => ({ ...x, frameworkLabel: labelOf.get(x.framework) ?? x.framework, statusView: statusView(x.status) })),
          sourcesText: (r.sources ?? []).join('; '),
        })),
      })),
    };
  });
}

interface ContentsEntry {
  anchor: string;
  heading: string;
  page?: number;
  statusView?: ReturnType<typeof statusView>;
  children?: ContentsEntry[];
}

/** Sections of the report as the contents list shows them: anchor, heading text, and sub-entries. */
function contentsView(
  controls: { anchor: string; id: string; title: string; statusView: ReturnType<typeof statusView> }[],
  pages: ReadonlyMap<string, number> | undefined,
  hasDrift: boolean,
  has: { ksi?: string; inventory?: boolean; poam?: boolean } = {},
): ContentsEntry[] {
  const entry = (anchor: string, heading: string): ContentsEntry => ({ anchor, heading, page: pages?.get(anchor) });
  return [
    entry('summary', 'Executive summary'),
    { ...entry('controls', 'Controls and evidence'), children: controls.map((c) => ({ ...entry(c.anchor, `${c.id} ${c.title}`), statusView: c.statusView })) },
    ...(hasDrift ? [entry('drift', 'Changes since the previous period')] : []),
    ...(has.poam ? [entry('poam', 'Plan of action and milestones')] : []),
    ...(has.inventory ? [entry('inventory', 'System inventory')] : []),
    entry('frameworks', 'Framework views'),
    ...(has.ksi ? [entry('ksi', has.ksi)] : []),
    entry('responsibility', 'Shared responsibility matrix'),
    entry('gaps', 'Evidence gaps and disagreements'),
    entry('assurance', 'Attestations and waivers'),
    entry('method', 'Method and chain of custody'),
  ];
}

/** Page numbers for the contents: the PDF outline's headings matched to the contents' headings. */
export function pagesFromOutline(view: ReportView, outline: { title: string; page: number }[]): Map<string, number> {
  const norm = (s: string) => s.replace(/\s+/g, '');
  const byTitle = new Map<string, number>();
  for (const o of outline) if (!byTitle.has(norm(o.title))) byTitle.set(norm(o.title), o.page);
  const pages = new Map<string, number>();
  for (const e of view.contents.flatMap((c) => [c, ...(c.children ?? [])])) {
    const page = byTitle.get(norm(e.heading));
    if (page) pages.set(e.anchor, page);
  }
  return pages;
}

/** Only earlier packs that verified and have a trusted signer are drawn; the others are named, without counts. */
function trendView(trend?: TrendPoint[]) {
  const used = (trend ?? []).flatMap((p) => (p.verified ? [p] : []));
  const notUsed = (trend ?? []).flatMap((p) => (p.verified ? [] : [`${p.period} ${p.packId} (${p.notUsed})`]));
  if (used.length < 2 && !notUsed.length) return undefined;
  return {
    chart:
      used.length > 1
        ? stackedBars(
            used.map((p) => ({ label: p.period, counts: p.controls })),
            { title: 'Controls by status, period by period' },
          )
        : undefined,
    notUsed: notUsed.join('; '),
  };
}

/** Changes since the previous period's pack, for the report: notable items listed (capped), counts always. */
function driftView(drift?: DriftRecord) {
  if (!drift) return undefined;
  if (drift.state !== 'compared')
    return {
      state: drift.state,
      previousPeriod: drift.previousPeriod,
      previousPack: 'previousPack' in drift ? drift.previousPack : undefined,
      problems: 'problems' in drift ? drift.problems.join(', ') : undefined,
    };
  const notable = ['regressed', 'new-failing', 'waiver-expired', 'new-gap', 'fixed'] as const;
  const listed = 60;
  const items = drift.items.filter((i) => (notable as readonly string[]).includes(i.change));
  return {
    state: drift.state,
    compared: true,
    previousPeriod: drift.previousPeriod,
    previousPack: drift.previousPack,
    counts: drift.counts,
    newlyInScope: drift.resources.newlyInScope.length,
    gone: drift.resources.gone.length,
    catalogChanged: drift.catalogChanged,
    controls: drift.controls.filter((c) => c.change !== 'unchanged' || c.mappingChanged),
    items: items.slice(0, listed),
    omitted: Math.max(0, items.length - listed),
  };
}

function count<T>(items: T[], status: (t: T) => ControlStatus): Partial<Record<ControlStatus, number>> {
  const counts: Partial<Record<ControlStatus, number>> = {};
  for (const i of items) counts[status(i)] = (counts[status(i)] ?? 0) + 1;
  return counts;
}

function byService(result: Result) {
  const services = [...new Set(result.controls.flatMap((c) => c.services))].sort();
  return services.map((s) => ({
    label: s,
    counts: count(
      result.controls.filter((c) => c.services.includes(s)),
      (c) => c.status,
    ),
  }));
}

function byFramework(result: Result) {
  return result.frameworks
    .filter((f) => f.kind !== 'view')
    .map((f) => ({
      label: f.label,
      counts: count(
        f.rows.filter((r) => r.status !== 'not-assessed'),
        (r) => r.status as ControlStatus,
      ),
    }));
}

/**
 * `deferred`: each control's evidence rows are left out of the view, a marker in their place, and put
 * into the map to be rendered a batch at a time (a large estate's rows would not fit in memory as one string).
 */
export function buildReportView(result: Result, pack: PackContext, pages?: ReadonlyMap<string, number>, deferred?: Map<string, DeferredRows>) {
  const files = result.evidence.files.map((f, i) => ({ ...f, ref: `F${i + 1}` }));
  const refs: FileRefs = new Map(files.map((f) => [f.path, f.ref]));
  const controls = [...result.controls]
    .sort((a, b) => statusOrder.indexOf(a.status) - statusOrder.indexOf(b.status) || a.id.localeCompare(b.id))
    .map((c) => controlView(c, refs, result.frameworks, deferred, pack.sampling));
  const byOwner = (['customer', 'shared', 'aws'] as const).map((owner) => {
    const counts: Partial<Record<ControlStatus, number>> = {};
    for (const c of result.controls) if (c.responsibility.owner === owner) counts[c.status] = (counts[c.status] ?? 0) + 1;
    return { label: ownerLabel[owner], counts };
  });
  const evidenceCounts = result.summary.evidence;
  const summaryRows = statusOrder.map((s) => ({ ...statusView(s), count: result.summary.controls[s] })).filter((r) => r.count > 0);
  return {
    title: `Evidence pack: ${result.catalog.title}`,
    organization: result.organization,
    packId: pack.packId,
    signer: pack.signer,
    pdfCertificate: pack.pdfCertificate,
    branding: pack.branding ?? {},
    period: result.period && { ...result.period, lastDay: new Date(new Date(result.period.to).getTime() - 1).toISOString() },
    drift: driftView(pack.drift),
    trend: trendView(pack.trend),
    poam: poamView(pack.poam),
    generatedAt: result.generatedAt,
    tool: result.tool,
    catalog: result.catalog,
    evidence: result.evidence,
    files,
    listedPassingItems: listedOthers,
    sampling: pack.sampling && samplingMethod(),
    accounts: result.evidence.scope.accounts.join(', '),
    regions: result.evidence.scope.regions.join(', '),
    summaryRows,
    totals: {
      controls: result.controls.length,
      resources: result.summary.resources,
      evidenceItems: Object.values(evidenceCounts).reduce((a, b) => a + b, 0),
      evidence: evidenceCounts,
      gaps: result.gaps.length,
      disagreements: result.controls.reduce((n, c) => n + c.disagreements.length, 0),
    },
    charts: {
      byStatus: stackedBars([{ label: 'All controls', counts: result.summary.controls }], { title: 'Controls by status' }),
      byOwner: stackedBars(byOwner, { title: 'Controls by responsibility' }),
      byService: stackedBars(byService(result), { title: 'Controls by service' }),
      byFramework: stackedBars(byFramework(result), { title: 'Framework controls by status (assessed ones)' }),
    },
    contents: contentsView(controls, pages, pack.drift !== undefined, { ksi: pack.ksi?.source.title, inventory: pack.inventory !== undefined, poam: pack.poam !== undefined }),
    inventory: inventoryView(pack.inventory),
    paged: pages !== undefined,
    topFailing: controls
      .filter((c) => c.status === 'fail')
      .map((c) => ({ id: c.id, anchor: c.anchor, title: c.title, failing: c.counts.fail }))
      .sort((a, b) => b.failing - a.failing),
    controls,
    frameworks: frameworksView(result),
    attestations: result.attestations.map((a) => ({ ...a, anchor: `control-${a.control}` })),
    waivers: result.waivers,
    manualNeeded: result.controls.filter((c) => c.status === 'manual' && !c.attestations.some((a) => a.state === 'valid')).length,
    mappingSources: result.mappingSources,
    ksi: ksiView(pack.ksi),
    disagreements: result.controls.flatMap((c) => c.disagreements.map((d) => ({ control: c.id, anchor: `control-${c.id}`, text: d }))),
    gaps: result.gaps,
    unmappedRules: (result.unmappedRules ?? []).map((r) => ({
      ...r,
      resultsText:
        itemStatuses
          .filter((s) => r.results[s] > 0)
          .map((s) => `${r.results[s]} ${statusInfo[s].label.toLowerCase()}`)
          .join(', ') || 'no results',
    })),
    recorders: result.evidence.recorders,
    statusLegend: controlStatuses.map((s) => statusView(s)),
  };
}

export type ReportView = ReturnType<typeof buildReportView>;

/** Which sections a printed part holds; absent: the whole report. */
export interface PrintPart {
  front?: boolean;
  controls?: boolean;
  back?: boolean;
  continued?: boolean;
}

export type PrintView = ReportView & {
  part: PrintPart;
  /** Link targets this part holds. */
  holds: string[];
  /**
   * The other parts' link targets, as empty elements: Chromium only makes a link whose target is in
   * the same document, and the merge points each at the part that holds it.
   */
  printStubs: string[];
};

/**
 * A report listing more than maxRows evidence rows, cut into parts Chromium prints one by one: the
 * front matter, the controls in runs of at most maxRows rows (a long control continues in the next
 * part, saying which rows it holds), and the rest. undefined when one print will do.
 */
export function splitForPrint(view: ReportView, maxRows: number): PrintView[] | undefined {
  const headerWeight = 5; // a control's heading and facts take about as much room as five rows
  const total = view.controls.reduce((n, c) => n + c.items.length + headerWeight, 0);
  if (total <= maxRows) return undefined;
  type Control = ReportView['controls'][number] & { continued?: { from: number; to: number; of: number } };
  const parts: Omit<PrintView, 'printStubs'>[] = [{ ...view, part: { front: true }, holds: ['summary'] }];
  let run: Control[] = [];
  let used = 0;
  const flush = () => {
    const first = parts.length === 1;
    if (run.length)
      parts.push({ ...view, controls: run, part: { controls: true, continued: !first }, holds: [...(first ? ['controls'] : []), ...run.filter((c) => !c.continued).map((c) => c.anchor)] });
    run = [];
    used = 0;
  };
  for (const c of view.controls) {
    let from = 0;
    do {
      if (used + headerWeight >= maxRows) flush();
      const take = Math.min(c.items.length - from, maxRows - used - headerWeight);
      const last = from + take >= c.items.length;
      run.push({
        ...c,
        items: c.items.slice(from, from + take),
        hasItems: take > 0,
        omitted: last ? c.omitted : 0,
        listing: last ? c.listing : undefined,
        ...(from > 0 ? { continued: { from: from + 1, to: from + take, of: c.items.length } } : {}),
      });
      used += take + headerWeight;
      from += take;
      if (!last) flush();
    } while (from < c.items.length);
  }
  flush();
  parts.push({
    ...view,
    part: { back: true },
    holds: [
      ...(view.drift ? ['drift'] : []),
      ...(view.poam ? ['poam'] : []),
      ...(view.inventory ? ['inventory'] : []),
      'frameworks',
      ...(view.ksi ? ['ksi'] : []),
      'responsibility',
      'gaps',
      'assurance',
      'method',
    ],
  });
  const all = parts.flatMap((p) => p.holds);
  return parts.map((p) => ({ ...p, printStubs: all.filter((a) => !p.holds.includes(a)) }));
}
