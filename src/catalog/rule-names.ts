import type { Catalog } from './types.ts';

/**
 * Managed-rule identifier by the rule names the catalog knows (how aggregator rules are identified): the
 * conformance-pack names of the rule mappings, the AWS rule name of every rule a control lists, and the rule names of
 * AWS's conformance-pack tables.
 */
export function ruleIdentifierByName(catalog: Catalog): (name: string) => string | undefined {
  const byName = new Map(catalog.ruleMappings.flatMap((m) => m.rules.flatMap((r) => (r.names ?? []).map((n) => [n, r.rule] as const))));
  for (const c of catalog.controls.controls) for (const r of c.evidence?.rules ?? []) if (!byName.has(r.name)) byName.set(r.name, r.rule);
  for (const t of catalog.packTables) for (const r of [...t.rules, ...t.withoutRow]) if (!byName.has(r.name)) byName.set(r.name, r.rule);
  return (name) => byName.get(name);
}
