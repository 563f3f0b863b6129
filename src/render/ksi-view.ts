// ksi.json → what the KSI section of the report shows: indicators grouped by theme, and the UCM table.
import { ksiStatuses, type KsiReport } from '../evaluate/ksi.ts';
import type { BaselineStatus } from '../evaluate/result.ts';
import { statusInfo } from './status.ts';

const statusView = (s: BaselineStatus) => ({ status: s, label: statusInfo[s].label, colour: statusInfo[s].colour });
const basisLabel = { 'aws-data': 'AWS data (FIPS checks)', attestation: 'Customer attestation', inherited: 'AWS (inherited)' } as const;

export function ksiView(ksi: KsiReport | undefined) {
  if (!ksi) return undefined;
  const byId = new Map(ksi.indicators.map((i) => [i.id, i]));
  const countsOf = (statuses: string[]) =>
    ksiStatuses
      .filter((s) => statuses.includes(s))
      .map((s) => `${statuses.filter((x) => x === s).length} ${statusInfo[s].label.toLowerCase()}`)
      .join(', ');
  return {
    source: ksi.source,
    rule: ksi.rule,
    total: ksi.summary.indicators,
    countsView: ksiStatuses.filter((s) => ksi.summary.statuses[s]).map((s) => ({ ...statusView(s), count: ksi.summary.statuses[s] })),
    themes: ksi.themes.map((t) => {
      const indicators = t.indicators.map((id) => byId.get(id)!);
      return {
        id: t.id,
        name: t.name,
        counts: countsOf(indicators.map((i) => i.status)),
        indicators: indicators.map((i) => ({
          id: i.id,
          name: i.name,
          statusView: statusView(i.status),
          reason: i.reason,
          coverage: `${i.related.withAutomatedEvidence} of ${i.related.total}`,
          controls: i.evidence.controls.map((id) => ({ id, anchor: `control-${id}` })),
          rules: i.evidence.rules.join(', '),
        })),
      };
    }),
    ucm: {
      ...ksi.ucm.standard,
      requirementIds: ksi.ucm.standard.requirements.map((r) => `${r.id} ${r.name}${r.moderate ? ` (${r.moderate} at Moderate)` : ''}`).join('; '),
      rows: ksi.ucm.rows.map((r) => ({
        ...r,
        anchor: `control-${r.control}`,
        statusView: statusView(r.status),
        basisLabel: basisLabel[r.basis],
        automated: r.basis === 'aws-data',
        moreFips: r.counts.pass - r.fips.length,
        doesNot: r.counts.fail + r.counts.waived,
      })),
      encryptionOnly: ksi.ucm.encryptionOnly.map((id) => ({ id, anchor: `control-${id}` })),
    },
  };
}
