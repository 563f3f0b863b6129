// FedRAMP 20x Key Security Indicators rolled up from the pack's NIST SP 800-53 rev5 statuses: a pure
// function of result.json and the KSI catalog, written to the pack as ksi.json and shown in the report.
import { moderateIndicators, type KsiCatalog } from '../catalog/ksi.ts';
import type { BaselineStatus, ControlResult, ControlStatus, Result } from './result.ts';
import { ucmReport, type UcmReport } from './ucm.ts';
import { statusOrder, worstStatus } from './result.ts';

export const ksiSchemaVersion = 'evidence-pack/ksi@1';
export const ksiFile = 'ksi.json';

export const ksiStatuses = ['pass', 'fail', 'gap', 'manual', 'waived', 'not-applicable'] as const;
export type KsiStatus = (typeof ksiStatuses)[number];

/** The rule, as ksi.json and the report state it. */
export const ksiRule =
  'An indicator fails if any related NIST control fails; else it is a gap if any is a gap; else waived if any is waived; ' +
  'it passes only if every related control with automated evidence in this pack passes (or is not applicable) and at least one has such evidence; ' +
  'not applicable if every such control is not applicable; manual where no related control has automated evidence (attestation needed). ' +
  'Related controls are matched by exact id (an enhancement is not its base control).';

/** What the pack says about one NIST control: its status, and what that status rests on. */
export interface NistEvidence {
  id: string;
  /** The pack's status for the control ('not-assessed' when nothing in the pack addresses it). */
  status: BaselineStatus;
  /** Worst status of its automated evidence (automated catalog controls, AWS Config rules), when it has any. */
  automated?: ControlStatus;
  controls: string[];
  rules: string[];
}

export interface KsiIndicatorResult {
  id: string;
  theme: string;
  name: string;
  fka?: string;
  status: KsiStatus;
  reason: string;
  related: {
    total: number;
    withAutomatedEvidence: number;
    /** Related controls by the pack's status. */
    counts: Record<BaselineStatus, number>;
    controls: NistEvidence[];
  };
  /** Where the evidence is in the pack: catalog controls, their items files, the evidence files their listed items cite, and AWS Config rules. */
  evidence: { controls: string[]; items: string[]; files: string[]; rules: string[] };
}

export interface KsiReport {
  schema: typeof ksiSchemaVersion;
  packGeneratedAt: string;
  organization: string;
  source: { framework: string; title: string; publisher: string; file: string; version: string; lastUpdated: string; sha256: string; catalogSha256: string };
  level: 'moderate';
  rule: string;
  summary: { indicators: number; statuses: Record<KsiStatus, number> };
  themes: { id: string; name: string; indicators: string[] }[];
  indicators: KsiIndicatorResult[];
  /** The UCM standard tied to the FIPS view. */
  ucm: UcmReport;
}

const baselineStatuses: BaselineStatus[] = [...statusOrder, 'not-assessed'];
const zero = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/**
 * Every control of `framework` (the KSI catalog's `controlsOf`) the pack speaks of: the rows of the baselines
 * of that framework in result.frameworks (with their AWS Config rules) and the catalog controls' mappings.
 */
export function nistEvidence(result: Result, framework: string): Map<string, NistEvidence> {
  const byId = new Map(result.controls.map((c) => [c.id, c]));
  const viaOf = new Map<string, Set<string>>();
  const rulesOf = new Map<string, Map<string, ControlStatus>>();
  const add = <V>(m: Map<string, V>, id: string, make: () => V) => m.get(id) ?? m.set(id, make()).get(id)!;
  for (const c of result.controls) for (const m of c.mappings[framework] ?? []) add(viaOf, m.id, () => new Set()).add(c.id);
  for (const b of result.frameworks.filter((f) => f.kind === 'baseline' && f.of === framework)) {
    for (const row of b.rows) {
      for (const v of row.via) add(viaOf, row.id, () => new Set()).add(v);
      for (const r of row.rules ?? []) add(rulesOf, row.id, () => new Map()).set(r.rule, r.status);
    }
  }
  const out = new Map<string, NistEvidence>();
  for (const id of new Set([...viaOf.keys(), ...rulesOf.keys()])) {
    const controls = [...(viaOf.get(id) ?? [])].map((v) => byId.get(v)).filter((c): c is ControlResult => c !== undefined);
    const rules = rulesOf.get(id) ?? new Map<string, ControlStatus>();
    const automated = [...controls.filter((c) => c.assessment === 'automated').map((c) => c.status), ...rules.values()];
    const all = [...controls.map((c) => c.status), ...rules.values()];
    out.set(id, {
      id,
      status: all.length ? worstStatus(all) : 'not-assessed',
      ...(automated.length ? { automated: worstStatus(automated) } : {}),
      controls: sorted(controls.map((c) => c.id)),
      rules: sorted(rules.keys()),
    });
  }
  return out;
}

/** The honest roll-up of one indicator from its related controls' automated evidence (see ksiRule). */
export function ksiStatus(related: Pick<NistEvidence, 'automated'>[]): KsiStatus {
  const automated = related.flatMap((r) => (r.automated ? [r.automated] : []));
  if (!automated.length) return 'manual';
  for (const s of ['fail', 'gap', 'waived'] as const) if (automated.includes(s)) return s;
  // Manual or inherited automated evidence cannot occur (those are not automated); treat anything else as not a pass.
  if (automated.some((s) => s !== 'pass' && s !== 'not-applicable')) return 'manual';
  return automated.includes('pass') ? 'pass' : 'not-applicable';
}

function reasonFor(status: KsiStatus, related: NistEvidence[]): string {
  const ids = (s: ControlStatus) =>
    related
      .filter((r) => r.automated === s)
      .map((r) => r.id)
      .join(', ');
  const covered = related.filter((r) => r.automated).length;
  const without = related.length - covered;
  const rest = without ? `; ${without} other${without === 1 ? '' : 's'} without automated evidence need${without === 1 ? 's' : ''} attestation` : '';
  switch (status) {
    case 'fail':
      return `failing: ${ids('fail')}`;
    case 'gap':
      return `evidence gap: ${ids('gap')}${rest}`;
    case 'waived':
      return `waived: ${ids('waived')}${rest}`;
    case 'pass':
      return `${covered} related control${covered === 1 ? '' : 's'} with automated evidence, all passing${rest}`;
    case 'not-applicable':
      return `the automated evidence (${ids('not-applicable')}) shows no resource in scope${rest}`;
    case 'manual':
      return related.length
        ? `no automated evidence here for its ${related.length} related control${related.length === 1 ? '' : 's'}: attestation needed`
        : 'FedRAMP relates no NIST control to it: attestation needed';
  }
}

/** result.json + the KSI catalog → ksi.json: every indicator that applies at Moderate, its status, counts and evidence pointers. */
export function rollUpKsi(result: Result, catalog: KsiCatalog, catalogSha256: string): KsiReport {
  const nist = nistEvidence(result, catalog.controlsOf);
  const byId = new Map(result.controls.map((c) => [c.id, c]));
  const indicators = moderateIndicators(catalog).map((ind): KsiIndicatorResult => {
    const related = ind.controls.map((id) => nist.get(id) ?? { id, status: 'not-assessed' as const, controls: [], rules: [] });
    const status = ksiStatus(related);
    const counts = zero(baselineStatuses);
    for (const r of related) counts[r.status]++;
    const controls = sorted(related.flatMap((r) => r.controls));
    const catalogControls = controls.map((id) => byId.get(id)!);
    return {
      id: ind.id,
      theme: ind.theme.id,
      name: ind.name,
      ...(ind.fka ? { fka: ind.fka } : {}),
      status,
      reason: reasonFor(status, related),
      related: { total: related.length, withAutomatedEvidence: related.filter((r) => r.automated).length, counts, controls: related },
      evidence: {
        controls,
        items: catalogControls.flatMap((c) => (c.items ?? []).map((f) => f.file)),
        files: sorted(catalogControls.flatMap((c) => c.evidence.flatMap((e) => (e.origin ? [e.origin.file] : [])))),
        rules: sorted(related.flatMap((r) => r.rules)),
      },
    };
  });
  const statuses = zero(ksiStatuses);
  for (const i of indicators) statuses[i.status]++;
  const source = catalog.provenance[0]!;
  const included = new Set(indicators.map((i) => i.id));
  return {
    schema: ksiSchemaVersion,
    packGeneratedAt: result.generatedAt,
    organization: result.organization,
    source: {
      framework: catalog.framework,
      title: catalog.title,
      publisher: source.publisher,
      file: source.file,
      version: source.version,
      lastUpdated: source.lastUpdated,
      sha256: source.sha256,
      catalogSha256,
    },
    level: 'moderate',
    rule: ksiRule,
    summary: { indicators: indicators.length, statuses },
    themes: catalog.themes.map((t) => ({ id: t.id, name: t.name, indicators: t.indicators.filter((i) => included.has(i.id)).map((i) => i.id) })).filter((t) => t.indicators.length),
    indicators,
    ucm: ucmReport(result, catalog),
  };
}
