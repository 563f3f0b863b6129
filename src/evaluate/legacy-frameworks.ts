// Packs made before frameworks were data (result@3 and older) name two frameworks' mappings by fixed keys
// and carry a FIPS flag and `baselines`: this turns them into `frameworks`, as a pack made today carries,
// so templates never branch on a schema. The only place in src/ that names frameworks, and only for old packs.
import { edgeSourceLabel } from './framework-rows.ts';
import { worstStatus, type BaselineRow, type ControlResult, type FrameworkResult, type MappedControl, type Result } from './result.ts';

/** A mapped control as result@3 and older recorded it: flags where `in` is now. */
type LegacyMapped = MappedControl & { fedrampModerate?: boolean; fips?: boolean };

const legacy = {
  nist: { id: 'nist-sp-800-53-r5', title: 'NIST SP 800-53 Rev. 5', label: 'NIST 800-53 r5' },
  gdpr: { id: 'gdpr', title: 'GDPR (Regulation (EU) 2016/679)', label: 'GDPR' },
  fips: { id: 'fips', title: 'FIPS 140-2 / 140-3 validated cryptography', label: 'FIPS 140', tag: 'FIPS view' },
  baselineLabels: { 'fedramp-r5-moderate': 'FedRAMP Moderate' } as Record<string, string>,
};

function mappedRows(controls: ControlResult[], key: string, keep: (m: LegacyMapped) => boolean): BaselineRow[] {
  const rows = new Map<string, BaselineRow & { statuses: ControlResult['status'][] }>();
  for (const c of controls) {
    for (const m of c.mappings[key] ?? []) {
      if (!keep(m)) continue;
      const row = rows.get(m.id) ?? rows.set(m.id, { id: m.id, title: m.title, family: m.family ?? '', status: 'not-assessed', via: [], rules: [], sources: [], statuses: [] }).get(m.id)!;
      row.via.push(c.id);
      row.statuses.push(c.status);
      if (!row.sources!.includes(edgeSourceLabel(m.source))) row.sources!.push(edgeSourceLabel(m.source));
    }
  }
  const natural = (id: string) => id.replace(/\d+/g, (n) => n.padStart(4, '0'));
  return [...rows.values()].sort((a, b) => natural(a.id).localeCompare(natural(b.id))).map(({ statuses, ...r }) => ({ ...r, status: worstStatus(statuses) }));
}

export function frameworksFromLegacy(result: Result): Result {
  if (Array.isArray(result.frameworks)) return result;
  const controls = result.controls.map((c) => {
    const { nist = [], gdpr = [], ...rest } = c.mappings as Record<string, MappedControl[]>;
    return { ...c, mappings: { ...rest, [legacy.nist.id]: nist, [legacy.gdpr.id]: gdpr } };
  });
  const frameworks: FrameworkResult[] = [
    ...(result.baselines ?? []).map((b) => ({
      id: b.id,
      kind: 'baseline' as const,
      title: b.title,
      label: legacy.baselineLabels[b.id] ?? b.id,
      of: legacy.nist.id,
      list: 'all' as const,
      rows: b.rows,
    })),
    { id: legacy.nist.id, kind: 'framework', title: legacy.nist.title, label: legacy.nist.label, list: 'mapped', rows: mappedRows(controls, legacy.nist.id, () => true) },
    {
      id: legacy.fips.id,
      kind: 'view',
      title: legacy.fips.title,
      label: legacy.fips.label,
      of: legacy.nist.id,
      tag: legacy.fips.tag,
      list: 'mapped',
      rows: mappedRows(controls, legacy.nist.id, (m) => m.fips === true),
    },
    { id: legacy.gdpr.id, kind: 'framework', title: legacy.gdpr.title, label: legacy.gdpr.label, list: 'mapped', rows: mappedRows(controls, legacy.gdpr.id, () => true) },
  ];
  const inViews = (m: LegacyMapped) => [...(m.fedrampModerate ? Object.keys(legacy.baselineLabels) : []), ...(m.fips ? [legacy.fips.id] : [])];
  return {
    ...result,
    controls: controls.map((c) => ({ ...c, mappings: Object.fromEntries(Object.entries(c.mappings).map(([k, ms]) => [k, ms.map((m) => (inViews(m).length ? { ...m, in: inViews(m) } : m))])) })),
    frameworks,
  };
}
