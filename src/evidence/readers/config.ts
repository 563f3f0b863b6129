// Readers of AWS Config's responses: its inventory (SelectResourceConfig, each resource's history), rules,
// rule results, conformance packs and recorders.
import { compileSchema, describeAjvError } from '../../core/data-file.ts';
import { InputError } from '../../core/errors.ts';
import { checkConfigItem, pages, resourceFromConfigurationItem } from '../config-items.ts';
import { isoTime } from '../json-file.ts';
import {
  complianceByConfigRuleSchema,
  complianceDetailsSchema,
  conformancePackComplianceSchema,
  conformancePacksSchema,
  describeConfigRulesSchema,
  listDiscoveredResourcesSchema,
  recorderStatusSchema,
  recordersSchema,
  resourceHistorySchema,
} from '../schemas.ts';
import type { ComplianceType } from '../types.ts';
import type { ApiFile, OperationReader, ReaderContext } from './types.ts';

const validate = {
  rules: compileSchema<any>(describeConfigRulesSchema),
  details: compileSchema<any>(complianceDetailsSchema),
  recorders: compileSchema<any>(recordersSchema),
  recorderStatus: compileSchema<any>(recorderStatusSchema),
  conformancePacks: compileSchema<any>(conformancePacksSchema),
  conformancePackCompliance: compileSchema<any>(conformancePackComplianceSchema),
  history: compileSchema<any>(resourceHistorySchema),
  discovered: compileSchema<any>(listDiscoveredResourcesSchema),
  ruleCompliance: compileSchema<any>(complianceByConfigRuleSchema),
};

const origin = (file: ApiFile, pointer: string, api: string) => ({ file: file.rel, pointer, api });

/** account/type/id of a resource key (account/region/type/id): a resource read from its history, whatever its region. */
const withoutRegion = (key: string) => key.replace(/^([^/]*)\/[^/]*\//, '$1/');

/** Every page of the file, each refused (naming it) unless `check` takes it. */
async function checkedPages(ctx: ReaderContext, file: ApiFile, check: (page: any) => boolean): Promise<{ doc: unknown; pages: any[] }> {
  const doc = await ctx.read(file.rel, 'aws-response');
  const all = pages(doc);
  all.forEach((page, p) => {
    if (!check(page)) throw new InputError(ctx.shown(file.rel), `[${p}]`, `not a ${file.operation} response`);
  });
  return { doc, pages: all };
}

async function selectResourceConfig(ctx: ReaderContext, file: ApiFile): Promise<void> {
  const { account, region, rel } = file;
  ctx.snapshot.apiResponses.push({ account, region, api: 'config:SelectResourceConfig', file: rel });
  // With a period, the current item of a resource read from its history is superseded, and one absent at the end left out.
  await ctx.selectPages(rel, 'config:SelectResourceConfig', (key) => !ctx.joins.absentAtEnd.has(withoutRegion(key)));
}

async function resourceConfigHistory(ctx: ReaderContext, file: ApiFile): Promise<void> {
  const { rel, account } = file;
  const shown = ctx.shown(rel);
  const record = await ctx.read<any>(rel, 'resource-history', validate.history);
  // Every item the record holds, each with where it is and when it was captured; the newest is the state at the period end.
  const items = record.calls.flatMap((c: any, ci: number) =>
    (c.response.configurationItems ?? []).map((item: any, ii: number) => {
      const field = `calls[${ci}].response.configurationItems[${ii}]`;
      checkConfigItem(item, undefined, shown, field);
      return { item, ci, field, pointer: `/calls/${ci}/response/configurationItems/${ii}`, at: isoTime(item.configurationItemCaptureTime, shown, `${field}.configurationItemCaptureTime`) };
    }),
  );
  const atEnd = items.sort((a: any, b: any) => b.at.localeCompare(a.at))[0];
  if (!atEnd || /^ResourceDeleted/.test(atEnd.item.configurationItemStatus)) {
    ctx.joins.absentAtEnd.add(`${account}/${record.resourceType}/${record.resourceId}`);
    return;
  }
  ctx.inScope(shown, atEnd.item.accountId ?? atEnd.item.awsAccountId, atEnd.item.awsRegion);
  const changes = items.filter((x: any) => x.ci === 0).length;
  ctx.addResource({
    ...resourceFromConfigurationItem(atEnd.item, { file: rel, pointer: atEnd.pointer, api: 'config:GetResourceConfigHistory' }, shown, atEnd.field),
    changesInPeriod: changes,
    ...(changes >= (record.calls[0].request.limit ?? Infinity) ? { changesCapped: true } : {}),
  });
}

async function complianceByConfigRule(ctx: ReaderContext, file: ApiFile): Promise<void> {
  const { account, region } = file;
  const { doc, pages: all } = await checkedPages(ctx, file, validate.ruleCompliance);
  all.forEach((page, p) =>
    page.ComplianceByConfigRules.forEach((c: any, i: number) => {
      const pointer = `${Array.isArray(doc) ? `/${p}` : ''}/ComplianceByConfigRules/${i}`;
      if (c.Compliance?.ComplianceType)
        ctx.joins.ruleSummary.set(`${account}/${region}/${c.ConfigRuleName}`, { compliance: c.Compliance.ComplianceType, origin: origin(file, pointer, 'config:DescribeComplianceByConfigRule') });
    }),
  );
}

/** How resources deleted since the period end were found; their history files carry the items. */
async function discoveredResources(ctx: ReaderContext, file: ApiFile): Promise<void> {
  await checkedPages(ctx, file, validate.discovered);
}

async function conformancePacks(ctx: ReaderContext, file: ApiFile): Promise<void> {
  await checkedPages(ctx, file, validate.conformancePacks);
}

async function conformancePackCompliance(ctx: ReaderContext, file: ApiFile): Promise<void> {
  const { account, region } = file;
  const { pages: all } = await checkedPages(ctx, file, validate.conformancePackCompliance);
  for (const page of all) {
    for (const r of page.ConformancePackRuleComplianceList) ctx.joins.packOfRule.set(`${account}/${region}/${r.ConfigRuleName}`, page.ConformancePackName ?? file.rest.split('/')[0]!);
  }
}

async function configRules(ctx: ReaderContext, file: ApiFile): Promise<void> {
  const { account, region } = file;
  const { pages: all } = await checkedPages(ctx, file, validate.rules);
  all.forEach((page, p) =>
    page.ConfigRules.forEach((r: any, i: number) => {
      ctx.snapshot.rules.push({
        account,
        region,
        name: r.ConfigRuleName,
        owner: r.Source.Owner,
        sourceIdentifier: r.Source.SourceIdentifier ?? r.ConfigRuleName,
        state: r.ConfigRuleState,
        evaluated: false,
        origin: origin(file, `/${Array.isArray(page) ? `${p}/` : ''}ConfigRules/${i}`, 'config:DescribeConfigRules'),
      });
    }),
  );
}

async function configurationRecorders(ctx: ReaderContext, file: ApiFile): Promise<void> {
  const { account, region } = file;
  const doc = await ctx.read<any>(file.rel, 'aws-response', validate.recorders);
  doc.ConfigurationRecorders.forEach((r: any, i: number) => {
    const g = r.recordingGroup ?? {};
    ctx.snapshot.recorders.push({
      account,
      region,
      recording: false,
      allSupported: g.allSupported ?? false,
      includeGlobalResourceTypes: g.includeGlobalResourceTypes ?? false,
      resourceTypes: g.resourceTypes ?? [],
      name: r.name,
      origin: origin(file, `/ConfigurationRecorders/${i}`, 'config:DescribeConfigurationRecorders'),
    });
  });
}

async function configurationRecorderStatus(ctx: ReaderContext, file: ApiFile): Promise<void> {
  const { account, region, rel } = file;
  const doc = await ctx.read<any>(rel, 'aws-response', validate.recorderStatus);
  for (const s of doc.ConfigurationRecordersStatus) ctx.joins.recorderStatus.set(`${account}/${region}/${s.name}`, { ...s, file: rel });
}

async function complianceDetails(ctx: ReaderContext, file: ApiFile): Promise<void> {
  const { account, region, rel } = file;
  const shown = ctx.shown(rel);
  pages(await ctx.read(rel, 'aws-response')).forEach((page) => {
    if (!validate.details(page)) {
      const { field, problem } = describeAjvError(validate.details.errors![0]!);
      throw new InputError(shown, field, problem);
    }
    page.EvaluationResults.forEach((r: any, i: number) => {
      const q = r.EvaluationResultIdentifier.EvaluationResultQualifier;
      // A result can arrive twice (the unfiltered query and the NOT_APPLICABLE one): it counts once.
      const once = `${account}/${region}/${q.ConfigRuleName}/${q.ResourceType}/${q.ResourceId}`;
      if (ctx.joins.seenResults.has(once)) return;
      ctx.joins.seenResults.add(once);
      const field = `EvaluationResults[${i}]`;
      ctx.snapshot.evaluations.push({
        account,
        region,
        ruleName: q.ConfigRuleName,
        sourceIdentifier: '',
        resourceType: q.ResourceType,
        resourceId: q.ResourceId,
        compliance: r.ComplianceType as ComplianceType,
        recordedAt: isoTime(r.ResultRecordedTime, shown, `${field}.ResultRecordedTime`),
        invokedAt: r.ConfigRuleInvokedTime === undefined ? undefined : isoTime(r.ConfigRuleInvokedTime, shown, `${field}.ConfigRuleInvokedTime`),
        annotation: r.Annotation,
        origin: origin(file, `/EvaluationResults/${i}`, 'config:GetComplianceDetailsByConfigRule'),
      });
    });
  });
}

const config = (operation: string, after: OperationReader['after'], read: OperationReader['read']): OperationReader => ({ service: 'config', operation, after, read });

export const configReaders: OperationReader[] = [
  config('SelectResourceConfig', 'nothing', selectResourceConfig),
  config('GetResourceConfigHistory', 'any-path', resourceConfigHistory),
  config('DescribeComplianceByConfigRule', 'nothing', complianceByConfigRule),
  config('ListDiscoveredResources', 'any-path', discoveredResources),
  config('DescribeConformancePacks', 'nothing', conformancePacks),
  config('DescribeConformancePackCompliance', 'any-path', conformancePackCompliance),
  config('DescribeConfigRules', 'nothing', configRules),
  config('DescribeConfigurationRecorders', 'nothing', configurationRecorders),
  config('DescribeConfigurationRecorderStatus', 'nothing', configurationRecorderStatus),
  config('GetComplianceDetailsByConfigRule', 'any-path', complianceDetails),
];
