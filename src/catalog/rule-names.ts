import type { Catalog } from './types.ts';

/** Managed-rule identifier by the rule names the catalog's mapping knows (how aggregator rules are identified). */
export function ruleIdentifierByName(catalog: Catalog): (name: string) => string | undefined {
  const byName = new Map(catalog.ruleMappings.rules.flatMap((r) => (r.names ?? []).map((n) => [n, r.rule] as const)));
  return (name) => byName.get(name);
}
