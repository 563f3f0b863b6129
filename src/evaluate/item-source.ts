import type { EvidenceItem } from './result.ts';

/** "check:WSAS-03-01", "config-rule:RULE:name", "coverage:API": an item's source as one cell. */
export function sourceText(i: EvidenceItem): string {
  return i.source.kind === 'check' ? `check:${i.source.id}` : i.source.kind === 'config-rule' ? `config-rule:${i.source.rule}:${i.source.ruleName}` : `coverage:${i.source.api}`;
}
