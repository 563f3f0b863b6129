// AWS Config rules' results as evidence items: per managed rule, every deployed rule's results in scope,
// and a gap where a rule is missing, has no results, or reports a failure none of its results shows.
import type { Resource, RuleEvaluation, Snapshot } from '../evidence/types.ts';
import { observationNotAtEnd, type PointInTime } from './point-in-time.ts';
import { itemStatuses, zeroCounts, type EvidenceItem, type ItemStatus, type UnmappedRule } from './result.ts';

export const ruleStatus: Record<RuleEvaluation['compliance'], ItemStatus> = {
  COMPLIANT: 'pass',
  NON_COMPLIANT: 'fail',
  NOT_APPLICABLE: 'not-applicable',
  INSUFFICIENT_DATA: 'gap',
};

/** account/type/id: how a rule result names the resource it evaluated. */
export const resourceKeyOf = (account: string, type: string, id: string) => `${account}/${type}/${id}`;

export interface RuleItemsContext {
  snapshot: Snapshot;
  /** Resources some rule evaluated, by resourceKeyOf: name and ARN for the rule's items (null: not read). */
  subjects: ReadonlyMap<string, { type: string; id: string; name?: string; arn?: string } | null>;
  pointInTime?: PointInTime;
  /** An origin with its file as the pack holds it. */
  origin(o: Resource['origin']): Resource['origin'];
}

/** Rules by identifier and results by rule, indexed once: a large estate has many results and every mapped rule is looked up. */
export class RuleItems {
  private readonly rulesByIdentifier = new Map<string, Snapshot['rules']>();
  private readonly resultsByRule = new Map<string, Snapshot['evaluations']>();

  constructor(private readonly ctx: RuleItemsContext) {
    for (const r of ctx.snapshot.rules) (this.rulesByIdentifier.get(r.sourceIdentifier) ?? this.rulesByIdentifier.set(r.sourceIdentifier, []).get(r.sourceIdentifier)!).push(r);
    for (const e of ctx.snapshot.evaluations) {
      const k = `${e.account}/${e.region}/${e.ruleName}`;
      (this.resultsByRule.get(k) ?? this.resultsByRule.set(k, []).get(k)!).push(e);
    }
  }

  /** The items of every rule deployed with the identifier; `primary`: a control's only evidence, so a rule not deployed is a gap. */
  items(sourceIdentifier: string, primary: boolean): EvidenceItem[] {
    const { snapshot, pointInTime, origin } = this.ctx;
    const items: EvidenceItem[] = [];
    for (const account of snapshot.meta.scope.accounts) {
      const deployed = (this.rulesByIdentifier.get(sourceIdentifier) ?? []).filter((r) => r.account === account);
      if (deployed.length === 0) {
        if (primary) {
          items.push({
            source: { kind: 'coverage', api: 'config:DescribeConfigRules' },
            status: 'gap',
            account,
            region: '-',
            message: `no AWS Config rule with identifier ${sourceIdentifier} is deployed in ${account}`,
            observedAt: snapshot.meta.collectedAt,
          });
        }
        continue;
      }
      for (const rule of deployed) {
        const evaluations = this.resultsOf(rule);
        if (evaluations.length === 0) {
          items.push({
            source: { kind: 'config-rule', rule: sourceIdentifier, ruleName: rule.name },
            status: 'gap',
            account,
            region: rule.region,
            message: `rule ${rule.name} has no evaluation results`,
            observedAt: snapshot.meta.collectedAt,
            origin: origin(rule.origin),
          });
        }
        // The rule's own verdict says it fails, yet no failing result was read: the results in hand are not all of them.
        if (rule.summary?.compliance === 'NON_COMPLIANT' && !evaluations.some((e) => e.compliance === 'NON_COMPLIANT')) {
          items.push({
            source: { kind: 'config-rule', rule: sourceIdentifier, ruleName: rule.name },
            status: 'gap',
            account,
            region: rule.region,
            message: `AWS Config reports rule ${rule.name} NON_COMPLIANT, but none of the ${evaluations.length} evaluation result(s) read is: the results are incomplete`,
            observedAt: snapshot.meta.collectedAt,
            origin: origin(rule.summary.origin),
          });
        }
        for (const e of evaluations) {
          const r = this.ctx.subjects.get(resourceKeyOf(account, e.resourceType, e.resourceId));
          const notAtEnd = pointInTime && observationNotAtEnd('rule result recorded', e.recordedAt, pointInTime);
          items.push({
            source: {
              kind: 'config-rule',
              rule: sourceIdentifier,
              ruleName: e.ruleName,
              ...(rule.conformancePack ? { conformancePack: rule.conformancePack } : {}),
              ...(rule.identifiedBy ? { identifiedBy: rule.identifiedBy } : {}),
            },
            status: notAtEnd ? 'gap' : ruleStatus[e.compliance],
            account,
            region: e.region,
            resource: r ? { ...r } : { type: e.resourceType, id: e.resourceId },
            message: `${e.compliance}${e.annotation ? `: ${e.annotation}` : ''}${notAtEnd ? ` (${notAtEnd})` : ''}`,
            observedAt: e.recordedAt,
            origin: origin(e.origin),
          });
        }
      }
    }
    return items;
  }

  /** Rules deployed in scope that no control, framework or baseline maps, with their results counted. */
  unmapped(mappedRules: ReadonlySet<string>): UnmappedRule[] {
    return this.ctx.snapshot.rules
      .filter((r) => !mappedRules.has(r.sourceIdentifier))
      .map((r) => {
        const results = zeroCounts(itemStatuses);
        for (const e of this.resultsOf(r)) results[ruleStatus[e.compliance]]++;
        return { rule: r.sourceIdentifier, ruleName: r.name, owner: r.owner, account: r.account, region: r.region, ...(r.conformancePack ? { conformancePack: r.conformancePack } : {}), results };
      })
      .sort((a, b) => a.rule.localeCompare(b.rule) || a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.ruleName.localeCompare(b.ruleName));
  }

  private resultsOf(rule: Snapshot['rules'][number]): Snapshot['evaluations'] {
    return this.resultsByRule.get(`${rule.account}/${rule.region}/${rule.name}`) ?? [];
  }
}
