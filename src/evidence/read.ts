import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EvidenceCopies } from './evidence-copies.ts';
import { listFilesUnder } from '../files.ts';
import { compileSchema, describeAjvError } from '../data-file.ts';
import { InputError, UserError } from '../errors.ts';
import { checkConfigItem, pages, resourceKey, resourceFromConfigurationItem } from './config-items.ts';
import { readSelectPagesFile } from './read-select-pages.ts';
import { configSnapshotFile, readConfigSnapshotFile, type SnapshotFileContext, type SnapshotFileRead } from './read-snapshot-file.ts';
import { parseDeliveredName } from './delivered-name.ts';
import { isoTime, readJsonFile } from './json-file.ts';
import { readServiceResponse } from './read-service-apis.ts';
import { AggregatorReader, aggregatorFile, type RuleIdentifierByName } from './read-aggregator.ts';
import {
  collectionLogSchema,
  complianceDetailsSchema,
  describeConfigRulesSchema,
  conformancePackComplianceSchema,
  conformancePacksSchema,
  recordersSchema,
  recorderStatusSchema,
  snapshotMetaSchema,
  resourceHistorySchema,
  listDiscoveredResourcesSchema,
  complianceByConfigRuleSchema,
} from './schemas.ts';
import type { ComplianceType, EvidenceFile, Resource, Snapshot, SnapshotMeta } from './types.ts';

export { apiResourceTypes } from './read-service-apis.ts';

/** The APIs (or files) that tell what resources exist in an account and region. */
export const inventorySources = ['config:snapshot-file', 'config:SelectResourceConfig', 'config:SelectAggregateResourceConfig'] as const;

const validate = {
  collectionLog: compileSchema<any>(collectionLogSchema),
  meta: compileSchema<SnapshotMeta>(snapshotMetaSchema),
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

const apiFile = /^aws\/(\d{12})\/([a-z0-9-]+)\/(config|workspaces|macie2|cloudtrail|iam|appstream)\/(.+)\.json(\.gz)?$/;


/** The customer's own statements kept beside the evidence: read by the assurance loaders, not here. */
export const assuranceFiles = { attestations: 'attestations', waivers: 'waivers.yaml' } as const;

function isAssuranceFile(rel: string): boolean {
  return rel === assuranceFiles.waivers || rel.startsWith(`${assuranceFiles.attestations}/`);
}


export interface ReadSnapshotOptions {
  ruleIdentifier?: RuleIdentifierByName;
  copies?: EvidenceCopies;
  /**
   * Configuration items handed over one at a time instead of kept in the snapshot: a large estate
   * never sits in memory. Every other evidence file is read before the first item arrives.
   */
  onConfigurationItem?: (r: Resource, snapshot: Snapshot) => void;
  /**
   * Reads AWS-delivered snapshot files elsewhere, one unit (an account and region's files, in order) at a
   * time, when they hold every configuration item: called once, after every other file, with the units in
   * order; returns each file read, in order. Items it hands to `addResource` count once, as the reader's own.
   */
  readSnapshotUnits?: (units: string[][], ctx: { snapshot: Snapshot; addResource(r: Resource): void; shown(rel: string): string; unitRead(unit: string[]): void }) => Promise<SnapshotFileRead[]>;
  /**
   * Reads an (Aggregate)SelectResourceConfig file elsewhere (in worker threads), when items are handed over
   * (onConfigurationItem): each row's resource key goes to `admit`, in order, and only admitted rows count.
   * Returns the file's sha256 and size as stored, or undefined to leave the file to the reader.
   */
  readSelectPages?: (rel: string, api: string, ctx: { snapshot: Snapshot; admit(key: string): boolean }) => Promise<{ sha256: string; bytes: number } | undefined>;
  /** How many of the evidence files have been read, as they are (for a progress bar). */
  onProgress?: (filesRead: number, files: number) => void;
}

/** Throws, naming the file, when an account or region is outside snapshot.json's scope. */
export function scopeCheck(meta: SnapshotMeta): (file: string, account: string, region: string) => void {
  return (file, account, region) => {
    if (!meta.scope.accounts.includes(account)) throw new InputError(file, 'account', `account ${account} is not in snapshot.json scope.accounts`);
    if (region !== 'global' && !meta.scope.regions.includes(region)) throw new InputError(file, 'region', `region ${region} is not in snapshot.json scope.regions`);
  };
}

/** Files in listing order, grouped by the account and region their names give (a unit's files are adjacent). */
function unitsOf(files: string[]): string[][] {
  const units = new Map<string, string[]>();
  for (const f of files) {
    const { account, region } = parseDeliveredName(f)!;
    const k = `${account}/${region}`;
    (units.get(k) ?? units.set(k, []).get(k)!).push(f);
  }
  return [...units.values()];
}

/** account/type/id of a resource key (account/region/type/id): a resource read from its history, whatever its region. */
const withoutRegion = (key: string) => key.replace(/^([^/]*)\/[^/]*\//, '$1/');

/** The APIs whose records are configuration items (what onConfigurationItem receives): each describes a resource's state from its capture time on. */
export const configurationItemApis: ReadonlySet<string> = new Set(['AWS Config snapshot', 'config:SelectResourceConfig', 'config:GetResourceConfigHistory', 'config:SelectAggregateResourceConfig']);

/** Files of configuration items: read after the others, so everything a check may look up is known first. */
const holdsConfigurationItems = (rel: string) => /^config-snapshots\/|\/config\/(SelectResourceConfig|GetResourceConfigHistory\/|SelectAggregateResourceConfig)/.test(rel);

/** snapshot.json alone, validated: what a command needs before reading the evidence (its time and period). */
export function readSnapshotMeta(dir: string): SnapshotMeta {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: evidence directory not found`);
  if (!existsSync(join(dir, 'snapshot.json'))) throw new UserError(`${join(dir, 'snapshot.json')}: missing: an evidence directory starts with snapshot.json`);
  return readJsonFile<SnapshotMeta>(join(dir, 'snapshot.json'), join(dir, 'snapshot.json'), validate.meta).value;
}

/**
 * Reads an evidence directory (the embedded sample, a collected snapshot, or AWS-delivered files).
 * Configuration snapshot files are streamed item by item; the other files are API responses, read whole.
 */
export async function readSnapshot(dir: string, opts: ReadSnapshotOptions = {}): Promise<Snapshot> {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    /* reported below */
  }
  if (!isDir) throw new UserError(`${dir}: evidence directory not found`);

  // Named in every item's checks: one path per file, not one per item.
  const shownPaths = new Map<string, string>();
  const shown = (rel: string) => shownPaths.get(rel) ?? shownPaths.set(rel, join(dir, rel)).get(rel)!;
  const files: EvidenceFile[] = [];
  const read = async <T>(rel: string, kind: string, v?: Parameters<typeof readJsonFile<T>>[2]) => {
    const f = readJsonFile<T>(join(dir, rel), shown(rel), v);
    files.push({ path: rel, sha256: f.sha256, bytes: f.bytes, kind });
    await opts.copies?.json(rel, f.value);
    return f.value;
  };

  const listed = listFilesUnder(dir).filter((f) => !isAssuranceFile(f));
  const all = [...listed.filter((f) => !holdsConfigurationItems(f)), ...listed.filter(holdsConfigurationItems)];
  if (!all.includes('snapshot.json')) throw new InputError(shown('snapshot.json'), undefined, 'missing: an evidence directory starts with snapshot.json');
  const meta = await read('snapshot.json', 'snapshot-meta', validate.meta);
  // Compared with the period's instants as strings: one form, in UTC.
  meta.collectedAt = isoTime(meta.collectedAt, shown('snapshot.json'), 'collectedAt');
  const inScope = scopeCheck(meta);

  const snapshot: Snapshot = { dir, meta, files, resources: [], rules: [], evaluations: [], recorders: [], apiResponses: [], gaps: [...meta.gaps] };
  const recorderStatus = new Map<string, any>();
  const packOfRule = new Map<string, string>();
  const seenKeys = new Set<string>();
  // The same item in two snapshot files (e.g. a global resource) counts once.
  const firstSight = (key: string) => !seenKeys.has(key) && Boolean(seenKeys.add(key));
  const addResource = (r: Resource) => {
    if (!firstSight(r.key)) return;
    if (opts.onConfigurationItem && configurationItemApis.has(r.origin.api)) opts.onConfigurationItem(r, snapshot);
    else snapshot.resources.push(r);
  };

  const absentAtEnd = new Set<string>();
  const seenResults = new Set<string>();
  const ruleSummary = new Map<string, NonNullable<Snapshot['rules'][number]['summary']>>();
  const deliveredSnapshots: (NonNullable<ReturnType<typeof parseDeliveredName>> & { rel: string })[] = [];
  /** An (Aggregate)SelectResourceConfig file, streamed a page at a time; each row's resource counts when its key is admitted. */
  const selectPages = async (rel: string, api: string, admit: (key: string) => boolean = () => true) => {
    const elsewhere = opts.onConfigurationItem && opts.readSelectPages ? await opts.readSelectPages(rel, api, { snapshot, admit: (key) => admit(key) && firstSight(key) }) : undefined;
    const f = elsewhere ?? await readSelectPagesFile(rel, api, { dir, shown: shown(rel), copies: opts.copies, inScope: (a, r) => inScope(shown(rel), a, r), addResource: (r) => {
      if (admit(r.key)) addResource(r);
    } });
    files.push({ path: rel, sha256: f.sha256, bytes: f.bytes, kind: 'aws-response' });
  };
  const aggregator = new AggregatorReader({ snapshot, read, shown, inScope, addResource, selectPages: (rel, api) => selectPages(rel, api) }, opts.ruleIdentifier ?? (() => undefined));
  const snapshotFileContext: SnapshotFileContext = { dir, shown, inScope, copies: opts.copies, addResource };
  const recordSnapshotFile = (f: SnapshotFileRead) => {
    if (f.located) snapshot.apiResponses.push({ ...f.located, api: 'config:snapshot-file', file: f.rel });
    if (f.delivered) deliveredSnapshots.push({ ...f.delivered, rel: f.rel });
    files.push({ path: f.rel, sha256: f.sha256, bytes: f.bytes, kind: 'config-snapshot' });
  };
  // When every configuration item is in AWS-named snapshot files, each account and region's files are a unit
  // that can be read and evaluated on its own (in worker threads); they are read after every other file.
  const ciFiles = all.filter(holdsConfigurationItems);
  const units = opts.readSnapshotUnits && ciFiles.length > 0 && ciFiles.every((f) => configSnapshotFile.test(f) && parseDeliveredName(f)) ? unitsOf(ciFiles) : undefined;
  const unitsElsewhere = units !== undefined;
  // Counted as each file starts (snapshot.json is read); a unit's files when the unit is done.
  let filesRead = 1;
  const readSoFar = (n: number) => opts.onProgress?.((filesRead += n), all.length);
  for (const rel of all) {
    if (rel === 'snapshot.json') continue;
    if (unitsElsewhere && configSnapshotFile.test(rel)) continue;
    readSoFar(1);
    const fromAggregator = aggregatorFile.exec(rel);
    if (fromAggregator) {
      await aggregator.readFile(rel, fromAggregator);
      continue;
    }
    if (rel === 'collection-log.json') {
      await read(rel, 'collection-log', validate.collectionLog);
      continue;
    }
    if (configSnapshotFile.test(rel)) {
      recordSnapshotFile(await readConfigSnapshotFile(rel, snapshotFileContext));
      continue;
    }
    const m = apiFile.exec(rel);
    if (!m) throw new InputError(shown(rel), undefined, 'unrecognised evidence file (the evidence layout is in the README)');
    const [, account, region, service, operation] = m as unknown as [string, string, string, string, string];
    inScope(shown(rel), account, region);
    const origin = (pointer: string, api: string) => ({ file: rel, pointer, api });

    if (service === 'config' && operation === 'SelectResourceConfig') {
      snapshot.apiResponses.push({ account, region, api: 'config:SelectResourceConfig', file: rel });
      // With a period, the current item of a resource read from its history is superseded, and one absent at the end left out.
      await selectPages(rel, 'config:SelectResourceConfig', (key) => !absentAtEnd.has(withoutRegion(key)));
    } else if (service === 'config' && operation.startsWith('GetResourceConfigHistory/')) {
      const record = await read<any>(rel, 'resource-history', validate.history);
      // Every item the record holds, each with where it is and when it was captured; the newest is the state at the period end.
      const items = record.calls.flatMap((c: any, ci: number) => (c.response.configurationItems ?? []).map((item: any, ii: number) => {
        const field = `calls[${ci}].response.configurationItems[${ii}]`;
        checkConfigItem(item, undefined, shown(rel), field);
        return { item, ci, field, pointer: `/calls/${ci}/response/configurationItems/${ii}`, at: isoTime(item.configurationItemCaptureTime, shown(rel), `${field}.configurationItemCaptureTime`) };
      }));
      const atEnd = items.sort((a: any, b: any) => b.at.localeCompare(a.at))[0];
      if (!atEnd || /^ResourceDeleted/.test(atEnd.item.configurationItemStatus)) {
        absentAtEnd.add(`${account}/${record.resourceType}/${record.resourceId}`);
        continue;
      }
      inScope(shown(rel), atEnd.item.accountId ?? atEnd.item.awsAccountId, atEnd.item.awsRegion);
      const changes = items.filter((x: any) => x.ci === 0).length;
      addResource({
        ...resourceFromConfigurationItem(atEnd.item, { file: rel, pointer: atEnd.pointer, api: 'config:GetResourceConfigHistory' }, shown(rel), atEnd.field),
        changesInPeriod: changes,
        ...(changes >= (record.calls[0].request.limit ?? Infinity) ? { changesCapped: true } : {}),
      });
    } else if (service === 'config' && operation === 'DescribeComplianceByConfigRule') {
      const doc = await read(rel, 'aws-response');
      pages(doc).forEach((page, p) => {
        if (!validate.ruleCompliance(page)) throw new InputError(shown(rel), `[${p}]`, 'not a DescribeComplianceByConfigRule response');
        page.ComplianceByConfigRules.forEach((c: any, i: number) => {
          const pointer = `${Array.isArray(doc) ? `/${p}` : ''}/ComplianceByConfigRules/${i}`;
          if (c.Compliance?.ComplianceType) ruleSummary.set(`${account}/${region}/${c.ConfigRuleName}`, { compliance: c.Compliance.ComplianceType, origin: origin(pointer, 'config:DescribeComplianceByConfigRule') });
        });
      });
    } else if (service === 'config' && operation.startsWith('ListDiscoveredResources/')) {
      // How resources deleted since the period end were found; their history files carry the items.
      pages(await read(rel, 'aws-response')).forEach((page, p) => {
        if (!validate.discovered(page)) throw new InputError(shown(rel), `[${p}]`, 'not a ListDiscoveredResources response');
      });
    } else if (service === 'config' && operation === 'DescribeConformancePacks') {
      pages(await read(rel, 'aws-response')).forEach((page, p) => {
        if (!validate.conformancePacks(page)) throw new InputError(shown(rel), `[${p}]`, 'not a DescribeConformancePacks response');
      });
    } else if (service === 'config' && operation.startsWith('DescribeConformancePackCompliance/')) {
      pages(await read(rel, 'aws-response')).forEach((page, p) => {
        if (!validate.conformancePackCompliance(page)) throw new InputError(shown(rel), `[${p}]`, 'not a DescribeConformancePackCompliance response');
        for (const r of page.ConformancePackRuleComplianceList) packOfRule.set(`${account}/${region}/${r.ConfigRuleName}`, page.ConformancePackName ?? operation.split('/')[1]!);
      });
    } else if (service === 'config' && operation === 'DescribeConfigRules') {
      pages(await read(rel, 'aws-response')).forEach((page, p) => {
        if (!validate.rules(page)) throw new InputError(shown(rel), `[${p}]`, 'not a DescribeConfigRules response');
        page.ConfigRules.forEach((r: any, i: number) => {
          snapshot.rules.push({
            account, region, name: r.ConfigRuleName, owner: r.Source.Owner,
            sourceIdentifier: r.Source.SourceIdentifier ?? r.ConfigRuleName,
            state: r.ConfigRuleState,
            evaluated: false,
            origin: origin(`/${Array.isArray(page) ? `${p}/` : ''}ConfigRules/${i}`, 'config:DescribeConfigRules'),
          });
        });
      });
    } else if (service === 'config' && operation === 'DescribeConfigurationRecorders') {
      const doc = await read<any>(rel, 'aws-response', validate.recorders);
      doc.ConfigurationRecorders.forEach((r: any, i: number) => {
        const g = r.recordingGroup ?? {};
        snapshot.recorders.push({
          account, region, recording: false,
          allSupported: g.allSupported ?? false,
          includeGlobalResourceTypes: g.includeGlobalResourceTypes ?? false,
          resourceTypes: g.resourceTypes ?? [],
          name: r.name,
          origin: origin(`/ConfigurationRecorders/${i}`, 'config:DescribeConfigurationRecorders'),
        });
      });
    } else if (service === 'config' && operation === 'DescribeConfigurationRecorderStatus') {
      const doc = await read<any>(rel, 'aws-response', validate.recorderStatus);
      for (const s of doc.ConfigurationRecordersStatus) recorderStatus.set(`${account}/${region}/${s.name}`, { ...s, file: rel });
    } else if (service === 'config' && operation.startsWith('GetComplianceDetailsByConfigRule/')) {
      pages(await read(rel, 'aws-response')).forEach((page, p) => {
        if (!validate.details(page)) {
          const { field, problem } = describeAjvError(validate.details.errors![0]!);
          throw new InputError(shown(rel), field, problem);
        }
        page.EvaluationResults.forEach((r: any, i: number) => {
          const q = r.EvaluationResultIdentifier.EvaluationResultQualifier;
          // A result can arrive twice (the unfiltered query and the NOT_APPLICABLE one): it counts once.
          const once = `${account}/${region}/${q.ConfigRuleName}/${q.ResourceType}/${q.ResourceId}`;
          if (seenResults.has(once)) return;
          seenResults.add(once);
          const field = `EvaluationResults[${i}]`;
          snapshot.evaluations.push({
            account, region,
            ruleName: q.ConfigRuleName,
            sourceIdentifier: '',
            resourceType: q.ResourceType,
            resourceId: q.ResourceId,
            compliance: r.ComplianceType as ComplianceType,
            recordedAt: isoTime(r.ResultRecordedTime, shown(rel), `${field}.ResultRecordedTime`),
            invokedAt: r.ConfigRuleInvokedTime === undefined ? undefined : isoTime(r.ConfigRuleInvokedTime, shown(rel), `${field}.ConfigRuleInvokedTime`),
            annotation: r.Annotation,
            origin: origin(`/EvaluationResults/${i}`, 'config:GetComplianceDetailsByConfigRule'),
          });
        });
      });
    } else if (!(await readServiceResponse({ snapshot, read, shown, addResource }, rel, account, region, service, operation))) {
      throw new InputError(shown(rel), undefined, `unrecognised ${service} response "${operation}"`);
    }
  }

  if (units) {
    for (const f of await opts.readSnapshotUnits!(units, { snapshot, addResource, shown, unitRead: (unit) => readSoFar(unit.length) })) recordSnapshotFile(f);
  }
  readSoFar(0);
  aggregator.finish();
  // A delivered snapshot shows that the recorder ran when it was taken; it stands in where no recorder was read.
  for (const d of deliveredSnapshots) {
    if (snapshot.recorders.some((r) => r.account === d.account && r.region === d.region)) continue;
    snapshot.recorders.push({
      account: d.account, region: d.region, name: `delivered snapshot ${d.name}`,
      recording: true, allSupported: true, includeGlobalResourceTypes: true, resourceTypes: [],
      lastStartTime: d.time,
      basis: 'delivered-snapshot',
      origin: { file: d.rel, pointer: '', api: 'AWS Config snapshot' },
    });
  }
  for (const r of snapshot.recorders) {
    const s = recorderStatus.get(`${r.account}/${r.region}/${r.name}`);
    if (s) {
      r.recording = s.recording;
      r.lastStatus = s.lastStatus;
      r.lastStartTime = s.lastStartTime === undefined ? undefined : isoTime(s.lastStartTime, shown(s.file), 'lastStartTime');
    }
  }
  for (const r of snapshot.rules) {
    r.conformancePack = packOfRule.get(`${r.account}/${r.region}/${r.name}`);
    const summary = ruleSummary.get(`${r.account}/${r.region}/${r.name}`);
    if (summary) r.summary = summary;
  }
  const ruleByName = new Map(snapshot.rules.map((r) => [`${r.account}/${r.region}/${r.name}`, r]));
  for (const e of snapshot.evaluations) {
    const rule = ruleByName.get(`${e.account}/${e.region}/${e.ruleName}`);
    if (!rule) throw new InputError(shown(e.origin.file), 'ConfigRuleName', `rule "${e.ruleName}" is not in aws/${e.account}/${e.region}/config/DescribeConfigRules.json`);
    e.sourceIdentifier = rule.sourceIdentifier;
    rule.evaluated = true;
  }
  const order = new Map([...listed.map((f, i) => [f, i] as const), ['snapshot.json', -1]]);
  files.sort((a, b) => order.get(a.path)! - order.get(b.path)!);
  return snapshot;
}
