import { agreementByEdge, mappingSources, packEdges, packTableCitation, securityHubOf, type Agreement } from './pack-tables.ts';
import type { Catalog, EdgeSource } from './types.ts';

export interface ExportedEdge {
  framework: string;
  /** A managed-rule SourceIdentifier, a built-in check id, or (framework-control) `<framework>:<control>` inherited from. */
  rule: string;
  ruleKind: 'aws-managed-rule' | 'built-in-check' | 'framework-control';
  control: string;
  source: string;
  sourceType: EdgeSource['type'];
  /** For built-in checks: the catalog control whose mapping the edge comes from. */
  via?: string;
  /** From an AWS pack table: the control ids as the page prints them (some carry statement parts). */
  printed?: string;
  /** For a NIST edge of a rule that both AWS's pack table and Security Hub map: which of them has this pair. */
  agreement?: Agreement;
  /** The other source of an edge both have. */
  secondSource?: string;
  note?: string;
}

function describeSource(s: EdgeSource, catalog: Catalog): string {
  if (s.type === 'own-reasoning') return `own reasoning: ${s.rationale}`;
  const doc = catalog.controls.sources[s.ref!];
  return `${doc ? doc.title : s.ref}${s.section ? `, ${s.section}` : ''}`;
}

const securityHubCitation = (source: string) => `AWS Security Hub controls reference: ${source.replace(/^Security Hub /, '')} (Related requirements)`;

/** Every mapping edge (rule or check → framework control) with its source, and every catalog control. */
export function exportCatalog(catalog: Catalog) {
  const edges: ExportedEdge[] = [];
  // AWS's own pack table is the primary source of its rules' edges; Security Hub's related requirements are the second.
  const agreementOf = new Map<string, ReturnType<typeof agreementByEdge>>();
  for (const t of catalog.packTables.filter((x) => !x.baseline)) {
    const hub = securityHubOf(catalog, t.framework);
    const agreement = agreementByEdge(t, hub);
    agreementOf.set(t.framework, agreement);
    const second = new Map(hub.rules.map((r) => [r.rule, securityHubCitation(r.source)]));
    for (const e of packEdges(t)) {
      const a = agreement.get(`${e.rule}|${e.control}`);
      edges.push({
        framework: t.framework,
        rule: e.rule,
        ruleKind: 'aws-managed-rule',
        control: e.control,
        source: packTableCitation(t),
        sourceType: 'conformance-pack',
        printed: e.printed.join(' '),
        ...(a ? { agreement: a } : {}),
        ...(a === 'both' ? { secondSource: second.get(e.rule)! } : {}),
      });
    }
  }
  for (const m of catalog.ruleMappings) {
    for (const r of m.rules) {
      for (const control of r.controls) {
        const a = agreementOf.get(m.framework)?.get(`${r.rule}|${control}`);
        if (a === 'both') continue;
        edges.push({ framework: m.framework, rule: r.rule, ruleKind: 'aws-managed-rule', control, source: securityHubCitation(r.source), sourceType: 'aws-document', ...(a ? { agreement: a } : {}) });
      }
    }
  }
  // A framework's own edges (a user's control set): rules and checks it names, and the controls it inherits from.
  for (const f of catalog.frameworks) {
    for (const c of f.controls) {
      const source = `${f.title}: the framework's data file`;
      for (const rule of c.rules ?? []) edges.push({ framework: f.framework, rule, ruleKind: 'aws-managed-rule', control: c.id, source, sourceType: 'own-reasoning' });
      for (const check of c.checks ?? []) edges.push({ framework: f.framework, rule: check, ruleKind: 'built-in-check', control: c.id, source, sourceType: 'own-reasoning' });
      for (const [framework, ids] of Object.entries(c.inherits ?? {})) {
        for (const id of ids) edges.push({ framework: f.framework, rule: `${framework}:${id}`, ruleKind: 'framework-control', control: c.id, source, sourceType: 'own-reasoning' });
      }
    }
  }
  // A baseline's own table: its edges are the baseline's, not the framework's.
  for (const t of catalog.packTables.filter((x) => x.baseline)) {
    const b = catalog.baselines.find((x) => x.baseline === t.baseline)!;
    const inBaseline = new Set(b.controls);
    for (const e of packEdges(t)) {
      edges.push({
        framework: b.baseline,
        rule: e.rule,
        ruleKind: 'aws-managed-rule',
        control: e.control,
        source: packTableCitation(t),
        sourceType: 'conformance-pack',
        printed: e.printed.join(' '),
        ...(inBaseline.has(e.control) ? {} : { note: `not in the ${b.title}` }),
      });
    }
  }
  for (const c of catalog.controls.controls) {
    // A managed rule is evidence of the catalog control whose property it tests: that edge has its own source.
    for (const r of c.evidence?.rules ?? []) {
      const doc = r.source.type === 'aws-document' ? catalog.controls.sources[r.source.ref!] : undefined;
      edges.push({
        framework: catalog.controls.catalog,
        rule: r.rule,
        ruleKind: 'aws-managed-rule',
        control: c.id,
        source: `${describeSource(r.source, catalog)}${doc ? ` <${doc.url}>` : ''}`,
        sourceType: r.source.type,
      });
    }
    for (const check of c.evidence?.checks ?? []) {
      for (const m of c.mappings) {
        for (const control of m.controls) {
          edges.push({ framework: m.framework, rule: check, ruleKind: 'built-in-check', control, source: describeSource(m.source, catalog), sourceType: m.source.type, via: c.id });
        }
      }
    }
  }
  const sources = mappingSources(catalog);
  const seen = new Set<string>();
  const unique = edges.filter((e) => {
    const k = `${e.framework}|${e.rule}|${e.control}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  return {
    catalog: { name: catalog.controls.catalog, version: catalog.controls.version, digest: catalog.digest },
    controls: catalog.controls.controls.map((c) => ({
      id: c.id,
      title: c.title,
      owner: c.responsibility.owner,
      aws: c.responsibility.aws,
      customer: c.responsibility.customer,
      assessment: c.assessment,
      checks: c.evidence?.checks ?? [],
      rules: (c.evidence?.rules ?? []).map((r) => r.rule),
      guidance: c.guidance.map((g) => `${catalog.controls.sources[g.source]!.url} (${g.section})`),
    })),
    ...(sources ? { mappingSources: sources } : {}),
    edges: unique,
  };
}
