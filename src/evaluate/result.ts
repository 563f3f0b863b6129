// The shape of result.json: the one seam between evaluation and every report. Reports are pure
// functions of this document, so it carries everything they show. Bump `schema` on any change and
// upgrade old documents in readResult rather than branching in templates.
import type { Gap, RecorderState, SnapshotMeta } from '../evidence/types.ts';
import type { Attestation, Waiver } from '../assurance/types.ts';
import type { MappingSources } from '../catalog/pack-tables.ts';
import type { Assessment, EdgeSource, Owner } from '../catalog/types.ts';
import type { AssetFacts } from '../inventory/facts.ts';

export const resultSchemaVersion = 'evidence-pack/result@5';
/**
 * Still read and re-rendered: @4 keeps its JSON-lines files and configuration snapshot copies as plain text (@5 gzips
 * them; the shape is the same); @3 and older name two frameworks' mappings by fixed keys and carry `baselines`, not
 * `frameworks`; @2 pins each JSON-lines file as one file, not a list of parts; @1 has every item and resource inline.
 */
export const legacyResultSchemaVersions = ['evidence-pack/result@4', 'evidence-pack/result@3', 'evidence-pack/result@2', 'evidence-pack/result@1'] as const;

export const controlStatuses = ['pass', 'fail', 'not-applicable', 'manual', 'inherited', 'waived', 'gap'] as const;
export type ControlStatus = (typeof controlStatuses)[number];

/** Report order, and the precedence when several statuses meet in one framework control. */
export const statusOrder: ControlStatus[] = ['fail', 'gap', 'manual', 'waived', 'pass', 'inherited', 'not-applicable'];

export function worstStatus(statuses: ControlStatus[]): ControlStatus {
  return statusOrder.find((s) => statuses.includes(s)) ?? 'not-applicable';
}

export const itemStatuses = ['pass', 'fail', 'not-applicable', 'gap', 'waived'] as const;
export type ItemStatus = (typeof itemStatuses)[number];

/** Passing and not-applicable items result.json lists per control; the rest are counted, and all are in the control's items file. */
export const listedOthers = 10;

export type EvidenceSource =
  { kind: 'check'; id: string; title: string } | { kind: 'config-rule'; rule: string; ruleName: string; conformancePack?: string; identifiedBy?: 'rule-name' } | { kind: 'coverage'; api: string };

export interface EvidenceItem {
  source: EvidenceSource;
  status: ItemStatus;
  account: string;
  region: string;
  resource?: { type: string; id: string; name?: string; arn?: string };
  message: string;
  observedAt: string;
  /** The evidence file inside the pack and the JSON pointer of the record. */
  origin?: { file: string; pointer: string; api: string };
  /** A waiver that matched this failing item: active (item waived) or expired (item still fails). */
  waiver?: { id: string; state: 'active' | 'expired' };
}

/** An attestation as the pack records it; its evidence paths point into the pack's attestations/. */
export interface AttestationResult extends Attestation {
  state: 'valid' | 'expired' | 'not-yet-valid';
}

export interface WaiverResult extends Waiver {
  state: 'active' | 'expired';
  matched: number;
}

export type BaselineStatus = ControlStatus | 'not-assessed';

/** One control of a framework, baseline or view, with the evidence that decides its status. */
export interface BaselineRow {
  id: string;
  title: string;
  family: string;
  status: BaselineStatus;
  /** Catalog controls mapped to this baseline control. */
  via: string[];
  /** AWS Config managed rules deployed in scope that AWS maps to this control, each rolled up over its results. */
  rules: { rule: string; source: string; status: ControlStatus; results: number }[];
  /** Controls of other frameworks this one takes its status from (the framework's `inherits` edges). */
  inherits?: { framework: string; id: string; status: BaselineStatus }[];
  /** Where the catalog controls' mapping edges come from. */
  sources?: string[];
}

/** A framework, baseline or view as its data file declares it, with a row per control it lists. */
export interface FrameworkResult {
  id: string;
  kind: 'framework' | 'baseline' | 'view';
  title: string;
  label: string;
  description?: string;
  /** For a baseline or view: the framework whose controls it selects. */
  of?: string;
  /** A view's tag on the control pages of catalog controls that map into it. */
  tag?: string;
  /** all: every control, "not assessed" where nothing addresses it; mapped: those the catalog's controls map to. */
  list: 'all' | 'mapped';
  rows: BaselineRow[];
}

export interface MappedControl {
  id: string;
  title: string;
  source: EdgeSource;
  family?: string;
  /** The baselines and views (ids) that hold this control. */
  in?: string[];
}

export interface ControlResult {
  id: string;
  title: string;
  services: string[];
  guidance: { title: string; url: string; section: string; summary: string }[];
  responsibility: { owner: Owner; aws: string; customer: string };
  assessment: Assessment;
  status: ControlStatus;
  statusReason: string;
  remediation: string;
  /** By framework id (result@3 and older: by fixed keys, upgraded on reading). */
  mappings: Record<string, MappedControl[]>;
  /**
   * The items the report lists: every failing, gap and waived one, then the first `listedOthers` passing
   * and not-applicable ones (in result@1 documents: every item).
   */
  evidence: EvidenceItem[];
  /**
   * Every item of the control, one JSON document a line, in one or more files of the pack, in order (a
   * large estate's are written a unit at a time). Absent in result@1 documents; one file, not a list, in result@2.
   */
  items?: JsonLinesFile[];
  counts: Record<ItemStatus, number>;
  disagreements: string[];
  /** For manual and inherited controls: the attestations on file for this control. */
  attestations: AttestationResult[];
}

/** A JSON-lines file of the pack that result.json pins: where, how many lines, its size and sha256. */
export interface JsonLinesFile {
  file: string;
  count: number;
  bytes: number;
  sha256: string;
}

/** Lines and bytes of a JSON-lines file in all its parts. */
export function linesTotal(parts: JsonLinesFile[]): { count: number; bytes: number } {
  return parts.reduce((t, p) => ({ count: t.count + p.count, bytes: t.bytes + p.bytes }), { count: 0, bytes: 0 });
}

/** "items/WSAS-03.jsonl" or, in parts, "items/WSAS-03.jsonl … items/WSAS-03.8.jsonl (8 parts)". */
export function linesFileNames(parts: JsonLinesFile[]): string {
  return parts.length === 1 ? parts[0]!.file : `${parts[0]!.file} … ${parts.at(-1)!.file} (${parts.length} parts)`;
}

export interface ResultResource {
  key: string;
  account: string;
  region: string;
  type: string;
  id: string;
  name?: string;
  arn?: string;
  capturedAt: string;
  /** With a period read from configuration history: items recorded during the period (at least, when capped). */
  changesInPeriod?: number;
  changesCapped?: boolean;
  origin: { file: string; pointer: string; api: string };
  /** What inventory.csv/.xlsx show beyond the above (addresses, OS, image, owner tags…), redacted; absent in older packs. */
  asset?: AssetFacts;
}

export interface Result {
  schema: typeof resultSchemaVersion | (typeof legacyResultSchemaVersions)[number];
  tool: { name: string; version: string };
  generatedAt: string;
  organization: string;
  /** The reporting period the pack speaks for, and how the evidence time relates to it. */
  period?: {
    label: string;
    from: string;
    to: string;
    tz: string;
    evidence: 'within' | 'after-end' | 'before-start';
    maxEvaluationAgeDays: number;
    /** The collection read configuration items as of the period end (history or delivered snapshots). */
    itemsAsOfEnd?: boolean;
    /** Resources read from configuration history, and resources made gaps for being seen after the end or stale at it. */
    atPeriodEnd?: { fromHistory: number; afterEnd: number; stale: number };
  };
  catalog: { name: string; title: string; version: string; digest: string };
  evidence: {
    snapshotId: string;
    collectedAt: string;
    collector: SnapshotMeta['collector'];
    scope: SnapshotMeta['scope'];
    /** path/sha256/bytes: the redacted copy in the pack (as in the manifest); source*: the file as received. */
    files: { path: string; sha256: string; bytes: number; source: string; sourceSha256: string; sourceBytes: number; kind: string }[];
    recorders: Omit<RecorderState, 'origin'>[];
  };
  summary: {
    controls: Record<ControlStatus, number>;
    evidence: Record<ItemStatus, number>;
    resources: number;
    gaps: number;
  };
  controls: ControlResult[];
  /** Every framework, baseline and view of the catalogs, in report order. */
  frameworks: FrameworkResult[];
  /** result@3 and older only: upgraded to `frameworks` on reading. */
  baselines?: { id: string; title: string; rows: BaselineRow[] }[];
  attestations: AttestationResult[];
  waivers: WaiverResult[];
  /** Every resource evaluated, one a line, in one or more files (one file in result@2); result@1 documents carry them inline in `resources`. */
  inventory?: JsonLinesFile[];
  resources?: ResultResource[];
  gaps: Gap[];
  /** AWS Config rules deployed in scope that no catalog control or mapping uses: listed, so nothing is dropped unseen. */
  unmappedRules?: UnmappedRule[];
  /** The AWS pack tables the rule edges come from, and where Security Hub's related requirements disagree with them. */
  mappingSources?: MappingSources;
}

export interface UnmappedRule {
  rule: string;
  ruleName: string;
  owner: string;
  account: string;
  region: string;
  conformancePack?: string;
  results: Record<ItemStatus, number>;
}

export function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}
