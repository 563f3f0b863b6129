// Every framework, baseline and view the catalogs declare, as report rows: one loop over the data, no
// framework named. A row takes the most severe status of its evidence: the catalog controls mapped to it (or
// running a check it names), the managed rules mapped to it, and the controls of other frameworks it inherits.
import { packEdges } from '../catalog/pack-tables.ts';
import type { Catalog, EdgeSource, FrameworkControl } from '../catalog/types.ts';
import { worstStatus, type BaselineRow, type BaselineStatus, type ControlResult, type ControlStatus, type FrameworkResult, type MappedControl } from './result.ts';

export type RuleEvidence = BaselineRow['rules'][number];

const natural = (id: string) => id.replace(/\d+/g, (n) => n.padStart(4, '0'));

export function edgeSourceLabel(s: EdgeSource): string {
  return s.type === 'own-reasoning' ? 'own reasoning' : `AWS: ${s.section ?? s.ref}`;
}

/** The managed rules every framework's and baseline's edges name: these are rolled up from the rule results in scope. */
export function rulesOfFrameworks(catalog: Catalog): Set<string> {
  return new Set([
    ...catalog.ruleMappings.flatMap((m) => m.rules.map((r) => r.rule)),
    ...catalog.frameworks.flatMap((f) => f.controls.flatMap((c) => c.rules ?? [])),
    ...catalog.packTables.filter((t) => t.baseline).flatMap((t) => t.rules.map((r) => r.rule)),
  ]);
}

/**
 * A baseline whose AWS pack table says so (the table's `baseline`) takes its rows' rule edges from that table
 * alone, each citing the ids the table prints; other baselines take their framework's rule mappings.
 */
function baselineRules(catalog: Catalog, baseline: string, ruleEvidence: ReadonlyMap<string, RuleEvidence>): Map<string, RuleEvidence[]> | undefined {
  const table = catalog.packTables.find((t) => t.baseline === baseline);
  if (!table) return undefined;
  const out = new Map<string, RuleEvidence[]>();
  for (const e of packEdges(table)) {
    const evidence = ruleEvidence.get(e.rule);
    if (evidence) (out.get(e.control) ?? out.set(e.control, []).get(e.control)!).push({ ...evidence, source: `${table.label ?? table.title}: ${e.printed.join(', ')}` });
  }
  return out;
}

/** A catalog control's mapping edges by framework id, each control marked with the baselines and views holding it. */
export function mappedControls(catalog: Catalog, mappings: Catalog['controls']['controls'][number]['mappings']): Record<string, MappedControl[]> {
  const out: Record<string, MappedControl[]> = {};
  for (const m of mappings) {
    const fw = catalog.frameworks.find((f) => f.framework === m.framework)!;
    for (const id of m.controls) {
      const fc = fw.controls.find((c) => c.id === id)!;
      const holders = [
        ...catalog.baselines.filter((b) => b.framework === m.framework && b.controls.includes(id)).map((b) => b.baseline),
        ...catalog.views.filter((v) => v.framework === m.framework && v.controls.some((c) => c.id === id)).map((v) => v.view),
      ];
      (out[m.framework] ??= []).push({ id, title: fc.title, ...(fc.family ? { family: fc.family } : {}), source: m.source, ...(holders.length ? { in: holders } : {}) });
    }
  }
  return out;
}

export function frameworkResults(catalog: Catalog, controls: ControlResult[], ruleEvidence: ReadonlyMap<string, RuleEvidence>): FrameworkResult[] {
  const byFramework = new Map(catalog.frameworks.map((f) => [f.framework, new Map(f.controls.map((c) => [c.id, c]))]));
  const rulesFor = new Map<string, RuleEvidence[]>();
  for (const m of catalog.ruleMappings) {
    for (const r of m.rules) {
      const evidence = ruleEvidence.get(r.rule);
      if (evidence) for (const id of r.controls) (rulesFor.get(`${m.framework}|${id}`) ?? rulesFor.set(`${m.framework}|${id}`, []).get(`${m.framework}|${id}`)!).push(evidence);
    }
  }
  const controlsRunning = (check: string) => controls.filter((c) => (catalog.controls.controls.find((x) => x.id === c.id)?.evidence?.checks ?? []).includes(check));

  /** One control's row; `inherit` false for the controls a row inherits from (one level: no chains, no cycles). */
  const row = (framework: string, id: string, inherit: boolean, ruleEdges?: ReadonlyMap<string, RuleEvidence[]>): BaselineRow => {
    const fc: FrameworkControl = byFramework.get(framework)!.get(id)!;
    const mappedBy = controls.filter((c) => (c.mappings[framework] ?? []).some((m) => m.id === id));
    const via = [...new Set([...mappedBy, ...(fc.checks ?? []).flatMap(controlsRunning)])];
    const rules = [...((ruleEdges ? ruleEdges.get(id) : rulesFor.get(`${framework}|${id}`)) ?? [])];
    for (const r of fc.rules ?? []) {
      const evidence = ruleEvidence.get(r);
      if (evidence && !rules.includes(evidence)) rules.push(evidence);
    }
    const inherits = inherit ? Object.entries(fc.inherits ?? {}).flatMap(([fw, ids]) => ids.map((i) => ({ framework: fw, id: i, status: row(fw, i, false).status }))) : [];
    const statuses: ControlStatus[] = [...via.map((c) => c.status), ...rules.map((r) => r.status), ...inherits.flatMap((i) => (i.status === 'not-assessed' ? [] : [i.status]))];
    const sources = [...new Set(mappedBy.flatMap((c) => c.mappings[framework]!.filter((m) => m.id === id).map((m) => edgeSourceLabel(m.source))))];
    return {
      id,
      title: fc.title,
      family: fc.family ?? '',
      status: statuses.length ? worstStatus(statuses) : ('not-assessed' as BaselineStatus),
      via: via.map((c) => c.id),
      rules,
      ...(inherits.length ? { inherits } : {}),
      ...(sources.length ? { sources } : {}),
    };
  };
  const mappedIds = (framework: string) => [...new Set(controls.flatMap((c) => (c.mappings[framework] ?? []).map((m) => m.id)))].sort((a, b) => natural(a).localeCompare(natural(b)));
  const shown = (x: { title: string; label?: string; description?: string }) => ({ title: x.title, label: x.label ?? x.title, ...(x.description ? { description: x.description } : {}) });

  const sections: (FrameworkResult & { order: number })[] = [
    ...catalog.frameworks.map((f) => {
      const ownEdges = f.controls.some((c) => c.rules?.length || c.checks?.length || Object.keys(c.inherits ?? {}).length);
      const list = f.list ?? (ownEdges ? 'all' : 'mapped');
      const ids = list === 'all' ? f.controls.filter((c) => !c.withdrawn).map((c) => c.id) : mappedIds(f.framework);
      return { id: f.framework, kind: 'framework' as const, ...shown(f), list, rows: ids.map((id) => row(f.framework, id, true)), order: f.order ?? 100 };
    }),
    ...catalog.baselines.map((b) => {
      const ruleEdges = baselineRules(catalog, b.baseline, ruleEvidence);
      return {
        id: b.baseline,
        kind: 'baseline' as const,
        ...shown(b),
        of: b.framework,
        list: 'all' as const,
        rows: b.controls.map((id) => row(b.framework, id, true, ruleEdges)),
        order: b.order ?? 100,
      };
    }),
    ...catalog.views.map((v) => {
      const inView = new Set(v.controls.map((c) => c.id));
      return {
        id: v.view,
        kind: 'view' as const,
        ...shown(v),
        of: v.framework,
        ...(v.tag ? { tag: v.tag } : {}),
        list: 'mapped' as const,
        rows: mappedIds(v.framework)
          .filter((id) => inView.has(id))
          .map((id) => row(v.framework, id, true)),
        order: v.order ?? 100,
      };
    }),
  ];
  return sections.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id)).map(({ order: _order, ...s }) => s);
}
