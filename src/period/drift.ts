// Drift between two packs' results: what changed for each control, evidence item and resource.
import { markdownText } from '../core/markdown-text.ts';
import { controlItemBatches, resultResourceBatches } from '../evaluate/read-result.ts';
import { statusOrder, type BaselineStatus, type ControlStatus, type EvidenceItem, type ItemStatus, type Result } from '../evaluate/result.ts';
import { poamChanges, poamChangesLine, readPoamOf, type PoamChanges } from '../poam/changes.ts';

export const driftFile = 'drift.json';

/** drift.json: what `run` records of the previous period's pack (src/pack/earlier-packs.ts) and the report shows. */
export type DriftRecord =
  | ({ state: 'compared'; previousPack: string; previousPeriod: string } & Drift)
  | { state: 'no-previous-pack'; previousPeriod: string }
  | { state: 'previous-pack-refused'; previousPack: string; previousPeriod: string; problems: string[] };

export type ItemChange = 'regressed' | 'fixed' | 'new-failing' | 'new-gap' | 'waiver-expired' | 'new' | 'gone' | 'unchanged' | 'changed';

export interface ItemDrift {
  control: string;
  key: string;
  change: ItemChange;
  before?: ItemStatus;
  after?: ItemStatus;
  account: string;
  region: string;
  resource?: string;
  source: string;
  message?: string;
}

export interface ControlDrift {
  id: string;
  title: string;
  before?: ControlStatus;
  after?: ControlStatus;
  change: 'new' | 'gone' | 'fixed' | 'regressed' | 'changed' | 'unchanged';
  mappingChanged: boolean;
}

/** One framework's (or baseline's, or view's) controls whose status changed between the packs. */
export interface FrameworkDrift {
  id: string;
  label: string;
  /** In one pack only. */
  presence?: 'new' | 'gone';
  changes: { id: string; before?: BaselineStatus; after?: BaselineStatus; change: ControlDrift['change'] }[];
}

export interface Drift {
  previous: { generatedAt: string; catalog: string; collectedAt: string };
  current: { generatedAt: string; catalog: string; collectedAt: string };
  catalogChanged: boolean;
  controls: ControlDrift[];
  /** Per framework of either pack, in the current pack's order: the controls whose status changed. */
  frameworks: FrameworkDrift[];
  /** Every item whose status changed, appeared or went (unchanged items are only counted). */
  items: ItemDrift[];
  resources: { newlyInScope: string[]; gone: string[] };
  counts: Record<ItemChange, number>;
  /** POA&M items new and closed since the previous pack, when the current pack has a POA&M. */
  poam?: PoamChanges;
}

const bad = new Set<ItemStatus>(['fail', 'gap']);
/** Higher is worse: the report's precedence (fail, gap, manual, waived, pass, inherited, not applicable). */
const severity = (s: ControlStatus) => statusOrder.length - statusOrder.indexOf(s);

/**
 * What judged the item. A rule is named by its deployed name, not its managed-rule identifier: a rule and
 * its conformance-pack copy share the identifier, and AWS names the copy "<rule>-conformance-pack-<id>".
 * A rule name is unique in its account and region, and every result format has carried it.
 */
function sourceKey(i: EvidenceItem): string {
  return i.source.kind === 'check' ? `check:${i.source.id}` : i.source.kind === 'config-rule' ? `rule:${i.source.ruleName}` : `coverage:${i.source.api}`;
}

/** How the drift names the source: a rule's pack where the evidence states it. */
function sourceShown(i: EvidenceItem): string {
  return i.source.kind === 'config-rule' && i.source.conformancePack ? `${sourceKey(i)} (conformance pack ${i.source.conformancePack})` : sourceKey(i);
}

/** An item's identity across packs: control, source, account, region and resource. */
function itemKey(control: string, i: EvidenceItem): string {
  return [control, sourceKey(i), i.account, i.region, i.resource?.type ?? '', i.resource?.id ?? ''].join('|');
}

function classify(before: SeenItem | undefined, after: SeenItem | undefined): ItemChange {
  if (!before) return after!.status === 'fail' ? 'new-failing' : after!.status === 'gap' ? 'new-gap' : 'new';
  if (!after) return 'gone';
  if (before.status === after.status) return 'unchanged';
  if (before.status === 'waived' && after.status === 'fail' && after.waiver?.state === 'expired') return 'waiver-expired';
  if (bad.has(before.status) && !bad.has(after.status)) return 'fixed';
  if (after.status === 'fail') return 'regressed';
  if (after.status === 'gap') return 'new-gap';
  return 'changed';
}

function controlChange(before: ControlStatus | undefined, after: ControlStatus | undefined): ControlDrift['change'] {
  if (!before) return 'new';
  if (!after) return 'gone';
  if (before === after) return 'unchanged';
  return severity(after) > severity(before) ? 'regressed' : severity(after) < severity(before) && (before === 'fail' || before === 'gap') ? 'fixed' : 'changed';
}

function rowChange(before: BaselineStatus | undefined, after: BaselineStatus | undefined): ControlDrift['change'] {
  if (before === 'not-assessed' || after === 'not-assessed') return before === after ? 'unchanged' : !before ? 'new' : !after ? 'gone' : 'changed';
  return controlChange(before, after);
}

/** Each framework present in either pack, compared a control at a time. */
function frameworkDrift(previous: Result, current: Result): FrameworkDrift[] {
  const prev = new Map(previous.frameworks.map((f) => [f.id, f]));
  const ids = [...new Set([...current.frameworks.map((f) => f.id), ...prev.keys()])];
  return ids.map((id) => {
    const b = prev.get(id);
    const a = current.frameworks.find((f) => f.id === id);
    const before = new Map((b?.rows ?? []).map((r) => [r.id, r.status]));
    const after = new Map((a?.rows ?? []).map((r) => [r.id, r.status]));
    const changes = [...new Set([...after.keys(), ...before.keys()])]
      .map((c) => ({ id: c, before: before.get(c), after: after.get(c), change: rowChange(before.get(c), after.get(c)) }))
      .filter((c) => c.change !== 'unchanged');
    return { id, label: (a ?? b)!.label, ...(!b ? { presence: 'new' as const } : !a ? { presence: 'gone' as const } : {}), changes };
  });
}

/** A pack to compare: its directory (the items and inventory files) and its result.json. */
export interface PackResult {
  dir: string;
  result: Result;
}

/** What the comparison keeps of an item: what an ItemDrift shows. */
interface SeenItem {
  status: ItemStatus;
  waiver?: EvidenceItem['waiver'];
  account: string;
  region: string;
  resource?: string;
  source: string;
  message: string;
}

const seen = (i: EvidenceItem): SeenItem => ({
  status: i.status,
  waiver: i.waiver,
  account: i.account,
  region: i.region,
  resource: i.resource ? `${i.resource.type} ${i.resource.id}` : undefined,
  source: sourceShown(i),
  message: i.message,
});

/**
 * Compares two packs a control at a time, reading each control's items files as they stream: memory holds
 * one control's items of the previous pack (what an ItemDrift shows of each), never both packs whole. Every
 * item that changed is listed; unchanged ones are counted.
 */
export async function diffPacks(previous: PackResult, current: PackResult): Promise<Drift> {
  const prevControls = new Map(previous.result.controls.map((c) => [c.id, c]));
  const curControls = new Map(current.result.controls.map((c) => [c.id, c]));
  const mapping = (c?: Result['controls'][number]) =>
    c
      ? Object.entries(c.mappings)
          .flatMap(([fw, ms]) => ms.map((m) => `${fw}:${m.id}`))
          .sort()
          .join(',')
      : '';
  const ids = [...new Set([...prevControls.keys(), ...curControls.keys()])].sort();
  const controls: ControlDrift[] = ids.map((id) => {
    const b = prevControls.get(id);
    const a = curControls.get(id);
    return { id, title: (a ?? b)!.title, before: b?.status, after: a?.status, change: controlChange(b?.status, a?.status), mappingChanged: !!a && !!b && mapping(a) !== mapping(b) };
  });

  const counts = Object.fromEntries((['regressed', 'fixed', 'new-failing', 'new-gap', 'waiver-expired', 'new', 'gone', 'unchanged', 'changed'] as ItemChange[]).map((c) => [c, 0])) as Record<
    ItemChange,
    number
  >;
  const items: ItemDrift[] = [];
  const record = (control: string, key: string, b: SeenItem | undefined, a: SeenItem | undefined) => {
    const change = classify(b, a);
    counts[change]++;
    if (change === 'unchanged') return;
    const any = (a ?? b)!;
    items.push({ control, key, change, before: b?.status, after: a?.status, account: any.account, region: any.region, resource: any.resource, source: any.source, message: a?.message ?? b?.message });
  };
  for (const id of ids) {
    // Items of one key (coverage of a scope that several checks share an API for) pair up in the order they come.
    const before = new Map<string, SeenItem | SeenItem[]>();
    const p = prevControls.get(id);
    if (p) {
      for await (const batch of controlItemBatches(previous.dir, p)) {
        for (const i of batch) {
          const key = itemKey(id, i);
          const had = before.get(key);
          before.set(key, had === undefined ? seen(i) : Array.isArray(had) ? (had.push(seen(i)), had) : [had, seen(i)]);
        }
      }
    }
    const take = (key: string): SeenItem | undefined => {
      const had = before.get(key);
      if (!Array.isArray(had)) {
        before.delete(key);
        return had;
      }
      const first = had.shift();
      if (had.length === 0) before.delete(key);
      return first;
    };
    const c = curControls.get(id);
    if (c) {
      for await (const batch of controlItemBatches(current.dir, c)) {
        for (const i of batch) {
          const key = itemKey(id, i);
          record(id, key, take(key), seen(i));
        }
      }
    }
    for (const [key, b] of before) for (const one of Array.isArray(b) ? b : [b]) record(id, key, one, undefined);
  }
  items.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));

  const prevRes = new Set<string>();
  for await (const batch of resultResourceBatches(previous.dir, previous.result)) for (const r of batch) prevRes.add(r.key);
  const newlyInScope: string[] = [];
  for await (const batch of resultResourceBatches(current.dir, current.result)) for (const r of batch) if (!prevRes.delete(r.key)) newlyInScope.push(r.key);
  const poam = poamChanges(readPoamOf(previous.dir), readPoamOf(current.dir));
  const meta = (r: Result) => ({ generatedAt: r.generatedAt, catalog: `${r.catalog.name} ${r.catalog.version} (${r.catalog.digest.slice(0, 12)})`, collectedAt: r.evidence.collectedAt });
  return {
    previous: meta(previous.result),
    current: meta(current.result),
    catalogChanged: previous.result.catalog.digest !== current.result.catalog.digest,
    controls,
    frameworks: frameworkDrift(previous.result, current.result),
    items,
    resources: { newlyInScope: newlyInScope.sort(), gone: [...prevRes].sort() },
    counts,
    ...(poam ? { poam } : {}),
  };
}

const shown: ItemChange[] = ['regressed', 'new-failing', 'waiver-expired', 'new-gap', 'fixed', 'gone'];

/** The drift as Markdown, for a ticket comment or a scheduler's log. */
export function driftMarkdown(d: Drift, names: { previous: string; current: string }): string {
  // Every value below comes from the packs (evidence, tags, catalog, the names given): escaped, never markup.
  const t = markdownText;
  const lines = [
    `# Drift: ${t(names.previous)} → ${t(names.current)}`,
    '',
    `Evidence as of ${t(d.previous.collectedAt)} → ${t(d.current.collectedAt)}.${d.catalogChanged ? ` Catalog changed: ${t(d.previous.catalog)} → ${t(d.current.catalog)}.` : ''}`,
    '',
    ...(d.poam ? [`POA&M: ${poamChangesLine(d.poam)} since the previous pack.`, ''] : []),
    `Items: ${d.counts.regressed} regressed, ${d.counts['new-failing']} new failing, ${d.counts['waiver-expired']} waiver expired, ${d.counts['new-gap']} new gaps, ${d.counts.fixed} fixed, ${d.counts.new} new, ${d.counts.gone} gone, ${d.counts.unchanged} unchanged. Resources: ${d.resources.newlyInScope.length} newly in scope, ${d.resources.gone.length} gone.`,
    '',
    '| Control | Before | After | Change |',
    '|---|---|---|---|',
    ...d.controls
      .filter((c) => c.change !== 'unchanged' || c.mappingChanged)
      .map((c) => `| ${t(c.id)} ${t(c.title)} | ${t(c.before ?? '—')} | ${t(c.after ?? '—')} | ${t(c.change)}${c.mappingChanged ? ', mapping changed' : ''} |`),
  ];
  for (const f of d.frameworks) {
    if (!f.changes.length && !f.presence) continue;
    lines.push('', `## ${t(f.label)}${f.presence ? ` (${f.presence} in this pack)` : ''}: ${f.changes.length} control(s) changed`, '');
    for (const c of f.changes) lines.push(`- ${t(c.id)}: ${t(c.before ?? '—')} → ${t(c.after ?? '—')} (${t(c.change)})`);
  }
  for (const change of shown) {
    const list = d.items.filter((i) => i.change === change);
    if (!list.length) continue;
    lines.push('', `## ${change} (${list.length})`, '');
    for (const i of list)
      lines.push(
        `- ${t(i.control)} ${t(i.account)}/${t(i.region)} ${t(i.resource ?? '(scope)')} [${t(i.source)}]: ${t(i.before ?? '—')} → ${t(i.after ?? '—')}${i.message ? `: ${t(i.message)}` : ''}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
