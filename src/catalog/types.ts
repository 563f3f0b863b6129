export type Owner = 'aws' | 'customer' | 'shared';
export type Assessment = 'automated' | 'manual' | 'inherited';
/** A framework's id, as its data file declares it (catalogs/frameworks/*.yaml); no framework is named in code. */
export type FrameworkId = string;

export interface EdgeSource {
  type: 'aws-document' | 'conformance-pack' | 'own-reasoning';
  ref?: string;
  section?: string;
  rationale?: string;
}

/**
 * An AWS Config managed rule that tests the control's property: its SourceIdentifier, its rule name as
 * AWS documents it (how a rule seen through an aggregator is identified), and the source of the edge.
 */
export interface ControlRule {
  rule: string;
  name: string;
  source: EdgeSource;
}

export interface CatalogControl {
  id: string;
  title: string;
  services: string[];
  guidance: { source: string; section: string; summary: string }[];
  responsibility: { owner: Owner; aws: string; customer: string };
  assessment: Assessment;
  evidence?: { checks?: string[]; rules?: ControlRule[] };
  remediation: string;
  mappings: { framework: FrameworkId; controls: string[]; source: EdgeSource }[];
}

export interface ControlCatalog {
  catalog: string;
  title: string;
  version: string;
  sources: Record<string, { title: string; url: string }>;
  controls: CatalogControl[];
}

export interface FrameworkControl {
  id: string;
  title: string;
  family?: string;
  withdrawn?: boolean;
  moderate?: boolean;
  /** A framework's own evidence edges: managed rules (SourceIdentifier) and built-in checks that test the control. */
  rules?: string[];
  checks?: string[];
  /** Controls of other frameworks whose status this one takes (e.g. a company control met where an 800-53 control is). */
  inherits?: Record<FrameworkId, string[]>;
}

/** The report's facts about a framework, baseline or view: how it is named and listed. */
interface Presented {
  title: string;
  /** Short name for charts, tables and CSV headers (default: the title). */
  label?: string;
  /** Where its section comes in the report (lower first; default 100, then by id). */
  order?: number;
  description?: string;
}

export interface Framework extends Presented {
  framework: FrameworkId;
  provenance: Record<string, string>[];
  families?: { id: string; title: string }[];
  /** all: every control is listed with a status; mapped: only those the catalog's controls map to (default: all when its controls carry evidence edges). */
  list?: 'all' | 'mapped';
  controls: FrameworkControl[];
}

/** A selection of another framework's controls, every one of which is listed (e.g. a baseline). */
export interface Baseline extends Presented {
  baseline: string;
  framework: FrameworkId;
  provenance?: Record<string, string>[];
  controls: string[];
}

/** A selection of another framework's controls, listed where the catalog maps to them, and tagged on control pages. */
export interface FrameworkView extends Presented {
  view: string;
  framework: FrameworkId;
  tag?: string;
  controls: { id: string; rationale: string }[];
}

export interface RuleMappings {
  framework: FrameworkId;
  rules: { rule: string; source: string; controls: string[]; names?: string[] }[];
}

/** Where a loaded data file came from, and how to find a field's line in it. */
export interface DataFileRef {
  file: string;
  lineOf: (path: (string | number)[]) => number | undefined;
}

/**
 * The rule → control table AWS publishes for one of its conformance packs, row facts only: each rule by
 * SourceIdentifier and pack rule name, with the control ids as the page prints them (some carry statement
 * parts, e.g. "AC-2(f)"). `withoutRow`: rules the pack template deploys that the page maps to nothing.
 */
export interface PackTable {
  /** The framework whose controls the printed ids name (after reading statement parts and withdrawn ids). */
  framework: FrameworkId;
  /** A baseline of that framework whose rows take their managed-rule edges from this table alone. */
  baseline?: string;
  /** How a baseline row cites an edge of this table (default: the title). */
  label?: string;
  title: string;
  url: string;
  template: string;
  provenance: Record<string, string>[];
  /** Printed ids NIST withdrew in Rev. 5 → the control NIST incorporated each into. */
  withdrawnInRev5?: Record<string, string>;
  rules: { rule: string; name: string; controls: string[] }[];
  withoutRow: { rule: string; name: string }[];
}

/** Everything evaluate needs from catalogs/ (and the user's --catalog directories), validated and cross-checked. */
export interface Catalog {
  /** sha256 over the catalog files' bytes, in path order: the "catalog version" a pack records. */
  digest: string;
  controls: ControlCatalog;
  /** In report order. */
  frameworks: Framework[];
  baselines: Baseline[];
  views: FrameworkView[];
  ruleMappings: RuleMappings[];
  /** AWS's own tables for its conformance packs (mappings/*.yaml with a `template`): the primary source of those packs' edges. */
  packTables: PackTable[];
}
