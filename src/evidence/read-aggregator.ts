// Reads what `collect --aggregator` saved under aws/aggregator/<name>/<home-region>/config/: the
// aggregated configuration items and rule results, and the sources' status, which stands in for the
// per-account recorder state an aggregator does not expose.
import { compileSchema, describeAjvError } from '../core/data-file.ts';
import { InputError } from '../core/errors.ts';
import { pages } from './config-items.ts';
import { isoTime } from './json-file.ts';
import { aggregateComplianceDetailsSchema, aggregateRuleComplianceSchema, aggregatorSourcesStatusSchema, aggregatorsSchema } from './schemas.ts';
import type { ComplianceType, Resource, Snapshot } from './types.ts';

export const aggregatorFile = /^aws\/aggregator\/([\w-]+)\/([a-z0-9-]+)\/config\/(.+)\.json(\.gz)?$/;

const validate = {
  aggregators: compileSchema<any>(aggregatorsSchema),
  sources: compileSchema<any>(aggregatorSourcesStatusSchema),
  rules: compileSchema<any>(aggregateRuleComplianceSchema),
  details: compileSchema<any>(aggregateComplianceDetailsSchema),
};

/** A rule name as an aggregator reports it, resolved to a managed-rule identifier (aggregators do not report the rule's source). */
export type RuleIdentifierByName = (name: string) => string | undefined;

/** The managed-rule name behind a deployed rule name: conformance packs add "-conformance-pack-<id>". */
export function baseRuleName(name: string): string {
  return name.replace(/-conformance-pack-[a-z0-9]+$/, '');
}

export interface ReadContext {
  snapshot: Snapshot;
  read(rel: string, kind: string): Promise<unknown>;
  shown(rel: string): string;
  inScope(file: string, account: string, region: string): void;
  addResource(r: Resource): void;
  /** Streams an (Aggregate)SelectResourceConfig file's rows to addResource, a page at a time. */
  selectPages(rel: string, api: string): Promise<void>;
}

interface Source {
  SourceId: string;
  SourceType: 'ACCOUNT' | 'ORGANIZATION';
  AwsRegion: string;
  LastUpdateStatus: string;
  LastUpdateTime?: string | number;
}

export class AggregatorReader {
  private sources: { source: Source; file: string; pointer: string }[] = [];
  private inventoryFile?: string;
  private name?: string;

  constructor(
    private readonly ctx: ReadContext,
    private readonly identify: RuleIdentifierByName,
  ) {}

  async readFile(rel: string, match: RegExpExecArray): Promise<void> {
    const [, name, , operation] = match as unknown as [string, string, string, string];
    const { ctx } = this;
    const shown = ctx.shown(rel);
    this.name = name;
    const checked = async (validator: ReturnType<typeof compileSchema<any>>, what: string) =>
      pages(await ctx.read(rel, 'aws-response')).map((page, p) => {
        if (!validator(page)) {
          const { field, problem } = describeAjvError(validator.errors![0]!);
          throw new InputError(shown, `[${p}]${field ? `.${field}` : ''}`, `${problem} (not a ${what} response)`);
        }
        return page;
      });

    if (operation === 'DescribeConfigurationAggregators') {
      await checked(validate.aggregators, 'DescribeConfigurationAggregators');
    } else if (operation === 'DescribeConfigurationAggregatorSourcesStatus') {
      (await checked(validate.sources, operation)).forEach((page, p) =>
        page.AggregatedSourceStatusList.forEach((source: Source, i: number) => {
          this.sources.push({ source, file: rel, pointer: `/${p}/AggregatedSourceStatusList/${i}` });
        }),
      );
    } else if (operation === 'SelectAggregateResourceConfig') {
      this.inventoryFile = rel;
      await ctx.selectPages(rel, 'config:SelectAggregateResourceConfig');
    } else if (operation === 'DescribeAggregateComplianceByConfigRules') {
      const seen = new Set<string>();
      (await checked(validate.rules, operation)).forEach((page, p) =>
        page.AggregateComplianceByConfigRules.forEach((r: any, i: number) => {
          const key = `${r.AccountId}/${r.AwsRegion}/${r.ConfigRuleName}`;
          if (seen.has(key)) return;
          seen.add(key);
          ctx.inScope(shown, r.AccountId, r.AwsRegion);
          const identifier = this.identify(baseRuleName(r.ConfigRuleName));
          ctx.snapshot.rules.push({
            account: r.AccountId,
            region: r.AwsRegion,
            name: r.ConfigRuleName,
            owner: identifier ? 'AWS' : 'unknown',
            // An unrecognised name keeps a marker that no catalog mapping can match.
            sourceIdentifier: identifier ?? `UNIDENTIFIED:${r.ConfigRuleName}`,
            identifiedBy: 'rule-name',
            evaluated: false,
            origin: { file: rel, pointer: `/${p}/AggregateComplianceByConfigRules/${i}`, api: 'config:DescribeAggregateComplianceByConfigRules' },
          });
        }),
      );
    } else if (operation.startsWith('GetAggregateComplianceDetailsByConfigRule/')) {
      (await checked(validate.details, 'GetAggregateComplianceDetailsByConfigRule')).forEach((page, p) =>
        page.AggregateEvaluationResults.forEach((r: any, i: number) => {
          const q = r.EvaluationResultIdentifier.EvaluationResultQualifier;
          const field = `[${p}].AggregateEvaluationResults[${i}]`;
          ctx.inScope(shown, r.AccountId, r.AwsRegion);
          ctx.snapshot.evaluations.push({
            account: r.AccountId,
            region: r.AwsRegion,
            ruleName: q.ConfigRuleName,
            sourceIdentifier: '',
            resourceType: q.ResourceType,
            resourceId: q.ResourceId,
            compliance: r.ComplianceType as ComplianceType,
            recordedAt: isoTime(r.ResultRecordedTime, shown, `${field}.ResultRecordedTime`),
            invokedAt: r.ConfigRuleInvokedTime === undefined ? undefined : isoTime(r.ConfigRuleInvokedTime, shown, `${field}.ConfigRuleInvokedTime`),
            annotation: r.Annotation,
            origin: { file: rel, pointer: `/${p}/AggregateEvaluationResults/${i}`, api: 'config:GetAggregateComplianceDetailsByConfigRule' },
          });
        }),
      );
    } else {
      throw new InputError(shown, undefined, `unrecognised aggregator response "${operation}"`);
    }
  }

  /**
   * Per account and region in scope, the source status that covers it (its own ACCOUNT source, else the
   * ORGANIZATION source of the region) as recorder state, unless the member account's own recorders were
   * read (through the assumed role): they say whether it records. A SUCCEEDED source with the inventory
   * file present counts as an inventory response.
   */
  finish(): void {
    if (!this.name) return;
    const { snapshot } = this.ctx;
    for (const account of snapshot.meta.scope.accounts) {
      for (const region of snapshot.meta.scope.regions) {
        const found =
          this.sources.find((s) => s.source.SourceType === 'ACCOUNT' && s.source.SourceId === account && s.source.AwsRegion === region) ??
          this.sources.find((s) => s.source.SourceType === 'ORGANIZATION' && s.source.AwsRegion === region);
        if (!found) continue;
        const { source } = found;
        const memberRecorders = snapshot.recorders.some((r) => r.account === account && r.region === region && r.basis === undefined);
        if (!memberRecorders) {
          snapshot.recorders.push({
            account,
            region,
            name: `aggregator ${this.name} source ${source.SourceType === 'ACCOUNT' ? account : source.SourceId}`,
            recording: source.LastUpdateStatus === 'SUCCEEDED',
            allSupported: true,
            includeGlobalResourceTypes: true,
            resourceTypes: [],
            lastStatus: source.LastUpdateStatus,
            lastStartTime: source.LastUpdateTime === undefined ? undefined : isoTime(source.LastUpdateTime, this.ctx.shown(found.file), 'LastUpdateTime'),
            basis: 'aggregator',
            origin: { file: found.file, pointer: found.pointer, api: 'config:DescribeConfigurationAggregatorSourcesStatus' },
          });
        }
        if (source.LastUpdateStatus === 'SUCCEEDED' && this.inventoryFile) {
          snapshot.apiResponses.push({ account, region, api: 'config:SelectAggregateResourceConfig', file: this.inventoryFile });
        }
      }
    }
  }
}
