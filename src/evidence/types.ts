/** One resource as evaluation sees it: an AWS Config configuration item, or a record read from a service API. */
export interface Resource {
  key: string;
  account: string;
  region: string;
  type: string;
  id: string;
  name?: string;
  arn?: string;
  tags: Record<string, string>;
  configuration: Record<string, unknown>;
  supplementary: Record<string, unknown>;
  capturedAt: string;
  status: string;
  /** The availability zone the item names (not "Regional", "Not Applicable" or "Multiple Availability Zones"). */
  zone?: string;
  /** With a period from configuration history: items recorded during the period (a lower bound when `changesCapped`). */
  changesInPeriod?: number;
  changesCapped?: boolean;
  origin: Origin;
  /**
   * Its configuration item's text, as read, holds nothing a secret detector could match (redacted-copies.ts,
   * copiesVerbatim): its names, keys and facts need no redaction. Absent: redact them.
   */
  textClean?: boolean;
}

/** Where a piece of evidence came from: the file in the evidence directory and where in it. */
export interface Origin {
  file: string;
  pointer: string;
  api: string;
}

export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'INSUFFICIENT_DATA';

export interface RuleEvaluation {
  account: string;
  region: string;
  ruleName: string;
  sourceIdentifier: string;
  resourceType: string;
  resourceId: string;
  compliance: ComplianceType;
  recordedAt: string;
  invokedAt?: string;
  annotation?: string;
  origin: Origin;
}

export interface ConfigRule {
  account: string;
  region: string;
  name: string;
  owner: string;
  sourceIdentifier: string;
  state?: string;
  evaluated: boolean;
  /** The conformance pack that deployed the rule, when DescribeConformancePackCompliance lists it. */
  conformancePack?: string;
  /** Set when the identifier was inferred from the rule's name (an aggregator does not report the rule's source). */
  identifiedBy?: 'rule-name';
  /** The rule's own compliance as DescribeComplianceByConfigRule states it, where that was read. */
  summary?: { compliance: string; origin: Origin };
  origin: Origin;
}

export interface RecorderState {
  account: string;
  region: string;
  name: string;
  recording: boolean;
  allSupported: boolean;
  includeGlobalResourceTypes: boolean;
  resourceTypes: string[];
  lastStatus?: string;
  lastStartTime?: string;
  /**
   * Not a recorder read from the API: 'aggregator', the aggregator's source status for the account and region;
   * 'delivered-snapshot', a snapshot file the recorder delivered. Neither shows which types are recorded.
   */
  basis?: 'aggregator' | 'delivered-snapshot';
  origin: Origin;
}

/** Evidence that could not be collected: never a pass. */
export interface Gap {
  account?: string;
  region?: string;
  api?: string;
  reason: string;
}

/** A service API response a check reads, present or absent per account and region. */
export interface ApiResponse {
  account: string;
  region: string;
  api: string;
  file: string;
}

export interface EvidenceFile {
  /** Path relative to the evidence directory. */
  path: string;
  sha256: string;
  bytes: number;
  kind: string;
}

export interface SnapshotMeta {
  schema: 'evidence-pack/snapshot@1';
  snapshotId: string;
  organization: string;
  collectedAt: string;
  collector: { method: 'sample' | 'files' | 'live'; description: string; identity?: string | null };
  scope: { accounts: string[]; regions: string[] };
  gaps: Gap[];
  /**
   * Set by a collection for a period: its configuration items, and their absence, are the state at the
   * period end (`to`), read from configuration history or from delivered snapshots at or before the end.
   */
  asOf?: { period: string; to: string; basis: 'configuration-history' | 'delivered-snapshots' };
}

export interface Snapshot {
  dir: string;
  meta: SnapshotMeta;
  files: EvidenceFile[];
  resources: Resource[];
  rules: ConfigRule[];
  evaluations: RuleEvaluation[];
  recorders: RecorderState[];
  apiResponses: ApiResponse[];
  gaps: Gap[];
}
