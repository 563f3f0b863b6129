import type { Resource } from '../evidence/types.ts';

export type CheckStatus = 'pass' | 'fail' | 'not-applicable';

export interface CheckOutcome {
  status: CheckStatus;
  /** One sentence an auditor reads in the evidence table. */
  message: string;
}

/** Lookups a check may make across the estate, e.g. the S3 bucket behind an AppStream stack. */
export interface CheckContext {
  /** Resources of `type` in the account and region; `region` '*' = in every region of the account (an account-wide property). */
  findResources(account: string, region: string, type: string, predicate?: (r: Resource) => boolean): Resource[];
}

/** `region` of CheckContext.findResources for every region of the account. */
export const everyRegion = '*';

/**
 * A built-in check: metadata plus one pure function over one resource. A value the check needs but
 * the evidence lacks throws MissingEvidence; the engine records that as a gap, never as a pass.
 */
export interface Check {
  id: string;
  title: string;
  service: string;
  /** Resource types the check applies to; '*' = every resource. */
  resourceTypes: string[] | '*';
  /** Where the resources come from: AWS Config, or a service API read when Config records nothing. */
  source: { kind: 'config' } | { kind: 'api'; api: string; alsoFrom?: string[] };
  /** 'global': the resources are account-wide (IAM), recorded under the region "global" as AWS Config does. */
  scope?: 'global';
  remediation: string;
  /**
   * AWS Config managed rules (SourceIdentifiers) that test the same property as this check: only their
   * verdicts on the same resource are compared with the check's ("Sources disagree"). A rule that tests a
   * narrower or another property (root volume only, in a VPC only, KMS only) is not listed.
   */
  sameProperty?: readonly string[];
  evaluate(resource: Resource, ctx: CheckContext): CheckOutcome;
  /**
   * For a check that looks up configuration items of other types: whether `candidate` is one it may
   * look up. A large estate streams by item by item; these are kept, and the check runs at the end.
   */
  retains?(candidate: Resource, ctx: CheckContext): boolean;
  /** For such a check: whether this resource of its own needs a lookup (default yes); one that does not runs at once. */
  looksUp?(resource: Resource): boolean;
}

export class MissingEvidence extends Error {
  constructor(readonly field: string) {
    super(`${field} is not in the evidence`);
    this.name = 'MissingEvidence';
  }
}
