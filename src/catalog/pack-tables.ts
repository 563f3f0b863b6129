import type { Catalog, PackTable, RuleMappings } from './types.ts';

/**
 * The controls a printed control id names. Some of AWS's tables print Rev. 4 ids with statement parts:
 * "AC-2(f)" and "AC-5c" are parts of AC-2 and AC-5; "AU-6(1)(3)" is AU-6(1) and AU-6(3); "AC-2(12)(a)" is
 * part a of AC-2(12). Undefined for anything else.
 */
export function controlsOfPrintedId(printed: string): string[] | undefined {
  const m = /^([A-Z]{2}-\d+)((?:\((?:\d+|[a-z])\))*)[a-z]?$/.exec(printed);
  if (!m) return undefined;
  const enhancements = [...m[2]!.matchAll(/\((\d+)\)/g)].map((e) => `${m[1]}(${e[1]})`);
  return enhancements.length ? enhancements : [m[1]!];
}

export interface PackEdge {
  rule: string;
  name: string;
  /** The framework's control id (after reading statement parts and withdrawn ids). */
  control: string;
  /** The ids the page prints for this edge, e.g. ["AC-2(f)", "AC-2(j)"] → AC-2. */
  printed: string[];
}

/** One edge per (rule, control), with the printed ids it comes from; withdrawn Rev. 4 ids follow NIST's "incorporated into". */
export function packEdges(table: PackTable): PackEdge[] {
  const edges = new Map<string, PackEdge>();
  for (const r of table.rules) {
    for (const printed of r.controls) {
      for (const id of controlsOfPrintedId(printed) ?? []) {
        const control = table.withdrawnInRev5?.[id] ?? id;
        const key = `${r.rule}|${control}`;
        const edge = edges.get(key) ?? edges.set(key, { rule: r.rule, name: r.name, control, printed: [] }).get(key)!;
        edge.printed.push(printed);
      }
    }
  }
  return [...edges.values()];
}

/** How AWS's NIST pack table and Security Hub's related requirements compare, over the rules both map. */
export interface SourceComparison {
  /** Rules both sources map, and the (rule, control) pairs in both, in the table only, and in Security Hub only. */
  rules: number;
  agree: number;
  packTableOnly: number;
  securityHubOnly: number;
  /** Rules whose two sets of controls differ. */
  rulesDiffering: number;
  /** Rules of the table that Security Hub does not map, and rules Security Hub maps that the table does not. */
  tableRulesWithoutSecurityHub: number;
  securityHubRulesNotInTable: number;
}

export type Agreement = 'both' | 'pack-table-only' | 'security-hub-only';

/** Per rule both sources map: each control's agreement. Keyed `${rule}|${control}`. */
export function agreementByEdge(nist: PackTable, securityHub: RuleMappings): Map<string, Agreement> {
  const fromTable = new Map(nist.rules.map((r) => [r.rule, new Set(r.controls)]));
  const out = new Map<string, Agreement>();
  for (const sh of securityHub.rules) {
    const table = fromTable.get(sh.rule);
    if (!table) continue;
    const hub = new Set(sh.controls);
    for (const c of table) out.set(`${sh.rule}|${c}`, hub.has(c) ? 'both' : 'pack-table-only');
    for (const c of hub) if (!table.has(c)) out.set(`${sh.rule}|${c}`, 'security-hub-only');
  }
  return out;
}

export function compareSources(nist: PackTable, securityHub: RuleMappings): SourceComparison {
  const agreement = agreementByEdge(nist, securityHub);
  const tableRules = new Set(nist.rules.map((r) => r.rule));
  const hubRules = new Set(securityHub.rules.map((r) => r.rule));
  const both = [...tableRules].filter((r) => hubRules.has(r));
  const count = (a: Agreement) => [...agreement.values()].filter((x) => x === a).length;
  const differing = new Set([...agreement].filter(([, a]) => a !== 'both').map(([k]) => k.split('|')[0]));
  return {
    rules: both.length,
    agree: count('both'),
    packTableOnly: count('pack-table-only'),
    securityHubOnly: count('security-hub-only'),
    rulesDiffering: differing.size,
    tableRulesWithoutSecurityHub: tableRules.size - both.length,
    securityHubRulesNotInTable: hubRules.size - both.length,
  };
}

/** What the report and the export say about the mapping sources: each AWS table's size, and where the NIST sources disagree. */
export interface MappingSources {
  packTables: {
    /** The baseline a table's edges are for, else the framework. */
    framework: string;
    title: string;
    url: string;
    /** Rules with a row, printed (control, rule) rows, and edges to the framework's controls after reading the printed ids. */
    rules: number;
    rows: number;
    edges: number;
    /** Rules the pack template deploys that the page maps to nothing (pack rule names). */
    withoutRow: string[];
    /** For a baseline's table: edges to controls outside that baseline (AWS's page may predate it). */
    outsideBaseline?: number;
  }[];
  /** The first framework table (no baseline) against Security Hub's related requirements for that framework. */
  nistComparison: SourceComparison;
}

/** Every rule mapping of a framework (Security Hub's related requirements), as one list. */
export function securityHubOf(catalog: Pick<Catalog, 'ruleMappings'>, framework: string): RuleMappings {
  return { framework, rules: catalog.ruleMappings.filter((m) => m.framework === framework).flatMap((m) => m.rules) };
}

/** The table a framework's pack edges come from (one without a baseline), if any. */
export const frameworkTableOf = (catalog: Pick<Catalog, 'packTables'>, framework: string) => catalog.packTables.find((t) => !t.baseline && t.framework === framework);

export function mappingSources(catalog: Pick<Catalog, 'packTables' | 'ruleMappings' | 'baselines'>): MappingSources | undefined {
  const compared = catalog.packTables.find((t) => !t.baseline);
  if (!compared) return undefined;
  return {
    packTables: catalog.packTables.map((t) => {
      const edges = packEdges(t);
      const baseline = t.baseline ? new Set(catalog.baselines.find((b) => b.baseline === t.baseline)!.controls) : undefined;
      return {
        framework: t.baseline ?? t.framework,
        title: t.title,
        url: t.url,
        rules: t.rules.length,
        rows: t.rules.reduce((n, r) => n + r.controls.length, 0),
        edges: edges.length,
        withoutRow: t.withoutRow.map((r) => r.name),
        ...(baseline ? { outsideBaseline: edges.filter((e) => !baseline.has(e.control)).length } : {}),
      };
    }),
    nistComparison: compareSources(compared, securityHubOf(catalog, compared.framework)),
  };
}

/** How an edge cites AWS's pack table. */
export const packTableCitation = (t: PackTable) => `AWS Config conformance pack table: ${t.title} <${t.url}>`;
