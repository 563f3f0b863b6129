import { agreementByEdge, mappingSources, packEdges, packTableCitation, type Agreement } from './pack-tables.ts';
import type { Catalog, EdgeSource } from './types.ts';

export interface ExportedEdge {
  framework: string;
  /** A managed-rule SourceIdentifier, or a built-in check id. */
  rule: string;
  ruleKind: 'aws-managed-rule' | 'built-in-check';
  control: string;
  source: string;
  sourceType: EdgeSource['type'];
  /** For built-in checks: the catalog control whose mapping the edge comes from. */
  via?: string;
  /** From an AWS pack table: the control ids as the page prints them (FedRAMP's carry statement parts). */
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

/** Every mapping edge (rule or check → framework control) with its source, and every catalog control. */
export function exportCatalog(catalog: Catalog) {
  const edges: ExportedEdge[] = [];
  const { nist, fedramp } = catalog.packTables;
  const agreement = agreementByEdge(nist, catalog.ruleMappings);
  const securityHub = new Map(catalog.ruleMappings.rules.map((r) => [r.rule, `AWS Security Hub controls reference: ${r.source.replace(/^Security Hub /, '')} (Related requirements)`]));
  // AWS's own pack table is the primary source of its rules' edges; Security Hub's related requirements are the second.
  for (const e of packEdges(nist)) {
    const a = agreement.get(`${e.rule}|${e.control}`);
    edges.push({ framework: nist.framework, rule: e.rule, ruleKind: 'aws-managed-rule', control: e.control, source: packTableCitation(nist), sourceType: 'conformance-pack', printed: e.printed.join(' '), ...(a ? { agreement: a } : {}), ...(a === 'both' ? { secondSource: securityHub.get(e.rule)! } : {}) });
  }
  for (const r of catalog.ruleMappings.rules) {
    for (const control of r.controls) {
      const a = agreement.get(`${r.rule}|${control}`);
      if (a === 'both') continue;
      edges.push({ framework: catalog.ruleMappings.framework, rule: r.rule, ruleKind: 'aws-managed-rule', control, source: securityHub.get(r.rule)!, sourceType: 'aws-document', ...(a ? { agreement: a } : {}) });
    }
  }
  const baseline = new Set(catalog.fedrampModerate.controls);
  for (const e of packEdges(fedramp)) {
    edges.push({ framework: fedramp.framework, rule: e.rule, ruleKind: 'aws-managed-rule', control: e.control, source: packTableCitation(fedramp), sourceType: 'conformance-pack', printed: e.printed.join(' '), ...(baseline.has(e.control) ? {} : { note: 'not in the FedRAMP Rev. 5 Moderate baseline' }) });
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
    mappingSources: mappingSources(catalog.packTables, catalog.ruleMappings, catalog.fedrampModerate.controls),
    edges: unique,
  };
}
