export type Owner = 'aws' | 'customer' | 'shared';
export type Assessment = 'automated' | 'manual' | 'inherited';
export type FrameworkId = 'nist-sp-800-53-r5' | 'gdpr';

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

export interface FrameworkControl { id: string; title: string; family?: string; withdrawn?: boolean; moderate?: boolean }

export interface Framework {
  framework: FrameworkId;
  title: string;
  provenance: Record<string, string>[];
  families?: { id: string; title: string }[];
  controls: FrameworkControl[];
}

export interface Baseline { baseline: string; title: string; framework: FrameworkId; controls: string[] }

export interface FipsView { view: 'fips'; title: string; framework: FrameworkId; controls: { id: string; rationale: string }[] }

export interface RuleMappings {
  framework: FrameworkId;
  rules: { rule: string; source: string; controls: string[]; names?: string[] }[];
}

/**
 * The rule → control table AWS publishes for one of its conformance packs, row facts only: each rule by
 * SourceIdentifier and pack rule name, with the control ids as the page prints them (FedRAMP's carry statement
 * parts, e.g. "AC-2(f)"). `withoutRow`: rules the pack template deploys that the page maps to nothing.
 */
export interface PackTable {
  framework: 'nist-sp-800-53-r5' | 'fedramp-r5-moderate';
  title: string;
  url: string;
  template: string;
  provenance: Record<string, string>[];
  /** Printed ids NIST withdrew in Rev. 5 → the control NIST incorporated each into. */
  withdrawnInRev5?: Record<string, string>;
  rules: { rule: string; name: string; controls: string[] }[];
  withoutRow: { rule: string; name: string }[];
}

/** Everything evaluate needs from catalogs/, validated and cross-checked. */
export interface Catalog {
  /** sha256 over the catalog files' bytes, in path order: the "catalog version" a pack records. */
  digest: string;
  controls: ControlCatalog;
  frameworks: Record<FrameworkId, Framework>;
  fedrampModerate: Baseline;
  fips: FipsView;
  ruleMappings: RuleMappings;
  /** AWS's own tables for its NIST SP 800-53 rev5 and FedRAMP Moderate packs: the primary source of those packs' edges. */
  packTables: { nist: PackTable; fedramp: PackTable };
}
