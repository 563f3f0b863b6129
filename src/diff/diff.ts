// Drift between two packs' results: what changed for each control, evidence item and resource.
import { statusOrder, type ControlStatus, type EvidenceItem, type ItemStatus, type Result, type ResultResource } from '../evaluate/result.ts';

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

export interface Drift {
  previous: { generatedAt: string; catalog: string; collectedAt: string };
  current: { generatedAt: string; catalog: string; collectedAt: string };
  catalogChanged: boolean;
  controls: ControlDrift[];
  items: ItemDrift[];
  resources: { newlyInScope: string[]; gone: string[] };
  counts: Record<ItemChange, number>;
}

const bad = new Set<ItemStatus>(['fail', 'gap']);
/** Higher is worse: the report's precedence (fail, gap, manual, waived, pass, inherited, not applicable). */
const severity = (s: ControlStatus) => statusOrder.length - statusOrder.indexOf(s);

function sourceKey(i: EvidenceItem): string {
  return i.source.kind === 'check' ? `check:${i.source.id}` : i.source.kind === 'config-rule' ? `rule:${i.source.rule}` : `coverage:${i.source.api}`;
}

function itemKey(control: string, i: EvidenceItem): string {
  return [control, sourceKey(i), i.account, i.region, i.resource?.type ?? '', i.resource?.id ?? ''].join('|');
}

function classify(before: EvidenceItem | undefined, after: EvidenceItem | undefined): ItemChange {
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

/** Compares two results each holding every item and resource (see withEveryItem). */
export function diffResults(previous: Result & { resources: ResultResource[] }, current: Result & { resources: ResultResource[] }): Drift {
  const prevControls = new Map(previous.controls.map((c) => [c.id, c]));
  const curControls = new Map(current.controls.map((c) => [c.id, c]));
  const mapping = (c?: Result['controls'][number]) => (c ? [...c.mappings.nist, ...c.mappings.gdpr].map((m) => m.id).sort().join(',') : '');
  const controls: ControlDrift[] = [...new Set([...prevControls.keys(), ...curControls.keys()])].sort().map((id) => {
    const b = prevControls.get(id);
    const a = curControls.get(id);
    return { id, title: (a ?? b)!.title, before: b?.status, after: a?.status, change: controlChange(b?.status, a?.status), mappingChanged: !!a && !!b && mapping(a) !== mapping(b) };
  });

  const index = (r: Result) => {
    const m = new Map<string, { control: string; item: EvidenceItem }>();
    for (const c of r.controls) for (const i of c.evidence) m.set(itemKey(c.id, i), { control: c.id, item: i });
    return m;
  };
  const prevItems = index(previous);
  const curItems = index(current);
  const items: ItemDrift[] = [];
  for (const key of [...new Set([...prevItems.keys(), ...curItems.keys()])].sort()) {
    const b = prevItems.get(key);
    const a = curItems.get(key);
    const any = (a ?? b)!;
    items.push({
      control: any.control,
      key,
      change: classify(b?.item, a?.item),
      before: b?.item.status,
      after: a?.item.status,
      account: any.item.account,
      region: any.item.region,
      resource: any.item.resource ? `${any.item.resource.type} ${any.item.resource.id}` : undefined,
      source: sourceKey(any.item),
      message: a?.item.message ?? b?.item.message,
    });
  }
  const keys = (r: Result & { resources: ResultResource[] }) => new Set(r.resources.map((x) => x.key));
  const prevRes = keys(previous);
  const curRes = keys(current);
  const counts = Object.fromEntries((['regressed', 'fixed', 'new-failing', 'new-gap', 'waiver-expired', 'new', 'gone', 'unchanged', 'changed'] as ItemChange[]).map((c) => [c, 0])) as Record<ItemChange, number>;
  for (const i of items) counts[i.change]++;
  const meta = (r: Result) => ({ generatedAt: r.generatedAt, catalog: `${r.catalog.name} ${r.catalog.version} (${r.catalog.digest.slice(0, 12)})`, collectedAt: r.evidence.collectedAt });
  return {
    previous: meta(previous),
    current: meta(current),
    catalogChanged: previous.catalog.digest !== current.catalog.digest,
    controls,
    items,
    resources: { newlyInScope: [...curRes].filter((k) => !prevRes.has(k)).sort(), gone: [...prevRes].filter((k) => !curRes.has(k)).sort() },
    counts,
  };
}

const shown: ItemChange[] = ['regressed', 'new-failing', 'waiver-expired', 'new-gap', 'fixed', 'gone'];

/** The drift as Markdown, for a ticket comment or a scheduler's log. */
export function driftMarkdown(d: Drift, names: { previous: string; current: string }): string {
  const lines = [
    `# Drift: ${names.previous} → ${names.current}`,
    '',
    `Evidence as of ${d.previous.collectedAt} → ${d.current.collectedAt}.${d.catalogChanged ? ` Catalog changed: ${d.previous.catalog} → ${d.current.catalog}.` : ''}`,
    '',
    `Items: ${d.counts.regressed} regressed, ${d.counts['new-failing']} new failing, ${d.counts['waiver-expired']} waiver expired, ${d.counts['new-gap']} new gaps, ${d.counts.fixed} fixed, ${d.counts.new} new, ${d.counts.gone} gone, ${d.counts.unchanged} unchanged. Resources: ${d.resources.newlyInScope.length} newly in scope, ${d.resources.gone.length} gone.`,
    '',
    '| Control | Before | After | Change |',
    '|---|---|---|---|',
    ...d.controls.filter((c) => c.change !== 'unchanged' || c.mappingChanged).map((c) => `| ${c.id} ${c.title} | ${c.before ?? '—'} | ${c.after ?? '—'} | ${c.change}${c.mappingChanged ? ', mapping changed' : ''} |`),
  ];
  for (const change of shown) {
    const list = d.items.filter((i) => i.change === change);
    if (!list.length) continue;
    lines.push('', `## ${change} (${list.length})`, '');
    for (const i of list) lines.push(`- ${i.control} ${i.account}/${i.region} ${i.resource ?? '(scope)'} [${i.source}]: ${i.before ?? '—'} → ${i.after ?? '—'}${i.message ? `: ${i.message}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
