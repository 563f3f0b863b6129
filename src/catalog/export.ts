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
}

function describeSource(s: EdgeSource, catalog: Catalog): string {
  if (s.type === 'own-reasoning') return `own reasoning: ${s.rationale}`;
  const doc = catalog.controls.sources[s.ref!];
  return `${doc ? doc.title : s.ref}${s.section ? `, ${s.section}` : ''}`;
}

/** Every mapping edge (rule or check → framework control) with its source, and every catalog control. */
export function exportCatalog(catalog: Catalog) {
  const edges: ExportedEdge[] = [];
  for (const m of catalog.ruleMappings) {
    for (const r of m.rules) {
      for (const control of r.controls) {
        edges.push({ framework: m.framework, rule: r.rule, ruleKind: 'aws-managed-rule', control, source: `AWS Security Hub controls reference: ${r.source.replace(/^Security Hub /, '')} (Related requirements)`, sourceType: 'aws-document' });
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
  for (const c of catalog.controls.controls) {
    // A managed rule is evidence of the catalog control whose property it tests: that edge has its own source.
    for (const r of c.evidence?.rules ?? []) {
      const doc = r.source.type === 'aws-document' ? catalog.controls.sources[r.source.ref!] : undefined;
      edges.push({ framework: catalog.controls.catalog, rule: r.rule, ruleKind: 'aws-managed-rule', control: c.id, source: `${describeSource(r.source, catalog)}${doc ? ` <${doc.url}>` : ''}`, sourceType: r.source.type });
    }
    for (const check of c.evidence?.checks ?? []) {
      for (const m of c.mappings) {
        for (const control of m.controls) {
          edges.push({ framework: m.framework, rule: check, ruleKind: 'built-in-check', control, source: describeSource(m.source, catalog), sourceType: m.source.type, via: c.id });
        }
      }
    }
  }
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
    edges: unique,
  };
}
