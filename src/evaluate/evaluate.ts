import type { Catalog } from '../catalog/types.ts';
import { mappingSources } from '../catalog/pack-tables.ts';
import type { Check, CheckContext } from '../checks/types.ts';
import { everyRegion, MissingEvidence } from '../checks/types.ts';
import { complementaryRecordTypes } from '../evidence/read-service-apis.ts';
import type { Gap, Resource, Snapshot } from '../evidence/types.ts';
import type { Attestation, Waiver } from '../assurance/types.ts';
import type { Period } from '../core/period.ts';
import { assetFacts } from '../inventory/facts.ts';
import { redactJsonInPlace } from '../redact/detect.ts';
import { pointInTimeFor, resourceNotAtEnd, type PointInTime } from './point-in-time.ts';
import { attestationResult, waiverResults } from './assurance.ts';
import { ControlEvidence, type ControlEvidencePart } from './control-evidence.ts';
import { coverageItems } from './coverage.ts';
import { frameworkResults, mappedControls, rulesOfFrameworks } from './framework-rows.ts';
import { inventoryFile, itemsFileOf, MemoryLinesStore, type LinesStore, type LinesWriter } from './item-files.ts';
import { resourceKeyOf, RuleItems } from './rule-items.ts';
import {
  controlStatuses,
  itemStatuses,
  resultSchemaVersion,
  zeroCounts,
  type AttestationResult,
  type ControlResult,
  type ControlStatus,
  type EvidenceItem,
  type ItemStatus,
  type JsonLinesFile,
  type ResultResource,
  type WaiverResult,
  type BaselineRow,
  type Result,
} from './result.ts';

export interface EvaluateInput {
  attestations?: Attestation[];
  waivers?: Waiver[];
  catalog: Catalog;
  checks: ReadonlyMap<string, Check>;
  /** The run's time (from SOURCE_DATE_EPOCH or the clock), never read here. */
  generatedAt: string;
  /**
   * The reporting period: every status rests on evidence of the state at its end (point-in-time.ts);
   * observations older than maxEvaluationAgeDays at the end are stale (a gap).
   */
  period?: Period;
  maxEvaluationAgeDays?: number;
  tool: { name: string; version: string };
  /** Maps a file of the evidence directory to its copy inside the pack. */
  packPathOf: (evidencePath: string) => string;
  /** sha256 and size of each evidence file's redacted copy in the pack, by evidence path. */
  copies?: ReadonlyMap<string, { sha256: string; bytes: number }>;
  /** Maps an attestation's evidence file to its copy inside the pack. */
  attestationPathOf?: (path: string) => string;
  /** Where every control's items and the inventory are written (in memory when absent). */
  lines?: LinesStore;
}

const scopeKey = (account: string, region: string) => `${account}/${region}`;

/** The resources kept in memory (service API records, and what checks look up), indexed for lookups. */
class Estate implements CheckContext {
  private readonly byScopeType = new Map<string, Resource[]>();
  private readonly byAccountType = new Map<string, Resource[]>();
  constructor(private readonly snapshot: Snapshot) {}
  add(r: Resource): void {
    const push = (index: Map<string, Resource[]>, k: string) => (index.get(k) ?? index.set(k, []).get(k)!).push(r);
    push(this.byScopeType, `${r.account}/${r.region}/${r.type}`);
    push(this.byAccountType, `${r.account}/${r.type}`);
  }
  findResources(account: string, region: string, type: string, predicate: (r: Resource) => boolean = () => true): Resource[] {
    const found = region === everyRegion ? this.byAccountType.get(`${account}/${type}`) : this.byScopeType.get(`${account}/${region}/${type}`);
    return (found ?? []).filter(predicate);
  }
  recorderFor(account: string, region: string) {
    if (region === 'global') {
      return (
        this.snapshot.recorders.find((r) => r.account === account && r.recording && r.includeGlobalResourceTypes) ??
        this.snapshot.recorders.find((r) => r.account === account && r.includeGlobalResourceTypes)
      );
    }
    return this.snapshot.recorders.find((r) => r.account === account && r.region === region);
  }
  declaredGap(account: string, region: string, api: string): Gap | undefined {
    return this.snapshot.gaps.find((g) => g.account === account && g.region === region && g.api === api);
  }
}

/** A partial evaluation's state (Evaluation.part), as plain data a worker thread can send. */
export interface EvaluationPart {
  resources: number;
  inScope: [string, number][];
  applicable: [string, number][];
  ruleSubjects: [string, ReturnType<typeof describeResource>][];
  waiting: Resource[];
  atPeriodEnd: PeriodEvidenceCounts;
  inventory: JsonLinesFile[];
  controls: ControlEvidencePart[];
  waiversMatched: number[];
}

/** Resources by how they speak for the period end: read from its history, seen after it, or stale at it. */
export interface PeriodEvidenceCounts {
  fromHistory: number;
  afterEnd: number;
  stale: number;
}

/** Fail beats gap beats pass: a gap is never a pass, and a known failure is never hidden behind a gap. */
function rollUp(counts: Record<ItemStatus, number>): { status: ControlStatus; reason: string } {
  const total = itemStatuses.reduce((n, s) => n + counts[s], 0);
  const subjects = (s: ItemStatus) => `${counts[s]} of ${total} evidence item${total === 1 ? '' : 's'}`;
  if (counts.fail > 0) return { status: 'fail', reason: `${subjects('fail')} fail${counts.gap ? `; ${counts.gap} gap(s)` : ''}` };
  if (counts.gap > 0) return { status: 'gap', reason: `${subjects('gap')} could not be established${counts.waived ? `; ${counts.waived} waived` : ''}` };
  if (counts.waived > 0) return { status: 'waived', reason: `${subjects('waived')} fail under an active waiver; none fails without one` };
  if (counts.pass > 0) return { status: 'pass', reason: `${subjects('pass')} pass${counts['not-applicable'] ? `, ${counts['not-applicable']} not applicable` : ''}` };
  if (total > 0) return { status: 'not-applicable', reason: 'no resource in scope; absence is recorded as evidence' };
  return { status: 'gap', reason: 'no evidence was found for this control' };
}

function countItems(items: EvidenceItem[]): Record<ItemStatus, number> {
  const counts = zeroCounts(itemStatuses);
  for (const i of items) counts[i.status]++;
  return counts;
}

function describeResource(r: Resource) {
  return { type: r.type, id: r.id, name: r.name, arn: r.arn };
}

/**
 * What the JSON lines of a resource's items share (made once, not once per check): the text between
 * the source and the status, and after the message. Keys in EvidenceItem's order, as JSON.stringify gives.
 */
function itemLineParts(r: Resource, resource: ReturnType<typeof describeResource>, origin: Resource['origin']) {
  return {
    where: `,"account":${JSON.stringify(r.account)},"region":${JSON.stringify(r.region)},"resource":${JSON.stringify(resource)}`,
    tail: `,"observedAt":${JSON.stringify(r.capturedAt)},"origin":${JSON.stringify(origin)}}`,
  };
}

/** Evaluates an estate read whole (tests, small evidence): the same engine a streamed read drives. */
export function evaluate(input: EvaluateInput & { snapshot: Snapshot }): Result {
  return new Evaluation(input).finish(input.snapshot);
}

/**
 * The evaluation of one estate. A large estate's configuration items are handed over one at a time
 * (`begin`, then `resource` for each) as the reader streams them, after every other evidence file
 * has been read; each item's checks run then and the resource is dropped, unless a check looks it
 * up. `finish` evaluates what was kept, adds coverage and AWS Config rule evidence, and rolls up.
 */
export class Evaluation {
  private estate?: Estate;
  private readonly lines: LinesStore;
  private readonly inventory: LinesWriter<ResultResource>;
  private readonly waivers: WaiverResult[];
  private readonly evidence = new Map<string, ControlEvidence>();
  /** The automated controls each check's items go to. */
  private readonly usedBy = new Map<string, ControlEvidence[]>();
  /** Checks that look up other resources while a large estate streams by: their resources wait for the end. */
  private readonly lookingUp: Check[];
  private readonly waiting: Resource[] = [];
  private readonly regionsOf = new Map<string, Set<string>>();
  /** Resources per account/region, and per check and account/region. */
  private readonly inScope = new Map<string, number>();
  private readonly applicable = new Map<string, number>();
  /** Resources some AWS Config rule evaluated: name and ARN for the rule's items. */
  private readonly ruleSubjects = new Map<string, ReturnType<typeof describeResource> | null>();
  private resources = 0;
  private pointInTime?: PointInTime;
  private readonly atPeriodEnd: PeriodEvidenceCounts = { fromHistory: 0, afterEnd: 0, stale: 0 };

  constructor(private readonly input: EvaluateInput) {
    this.lines = input.lines ?? new MemoryLinesStore();
    this.inventory = this.lines.open<ResultResource>(inventoryFile);
    this.waivers = waiverResults(input.waivers ?? [], input.generatedAt);
    for (const c of input.catalog.controls.controls) {
      if (c.assessment !== 'automated') continue;
      const sink = new ControlEvidence(
        c.id,
        this.lines.open(itemsFileOf(c.id)),
        this.waivers,
        (i) => this.ruleSubjects.has(resourceKeyOf(i.account, i.resource!.type, i.resource!.id)),
        (check, rule) => input.checks.get(check)?.sameProperty?.includes(rule) ?? false,
      );
      this.evidence.set(c.id, sink);
      for (const id of c.evidence?.checks ?? []) (this.usedBy.get(id) ?? this.usedBy.set(id, []).get(id)!).push(sink);
    }
    this.lookingUp = [...input.checks.values()].filter((c) => c.retains && this.usedBy.has(c.id));
  }

  private regionsFor(check: Check, regions: string[]): Set<string> {
    let set = this.regionsOf.get(check.id);
    if (!set) this.regionsOf.set(check.id, (set = new Set(check.scope === 'global' ? ['global'] : check.resourceTypes !== '*' ? regions : [...regions, 'global'])));
    return set;
  }

  /** Every evidence file but the configuration items has been read: index what checks may look up. */
  begin(snapshot: Snapshot): void {
    if (this.estate) return;
    this.estate = new Estate(snapshot);
    this.pointInTime = pointInTimeFor(this.input.period, this.input.maxEvaluationAgeDays ?? 35, snapshot.meta);
    for (const e of snapshot.evaluations) this.ruleSubjects.set(resourceKeyOf(e.account, e.resourceType, e.resourceId), null);
    for (const r of snapshot.resources) this.keep(r);
    this.keptFromSnapshot = snapshot.resources.length;
  }

  private keptFromSnapshot = 0;

  private keep(r: Resource): void {
    this.estate!.add(r);
    this.waiting.push(r);
  }

  /**
   * What this evaluation made of the configuration items handed to it (one unit of snapshot files, in a
   * worker): counts, listed items, the resources left waiting for lookups, and its closed lines files.
   */
  part(): EvaluationPart {
    return {
      resources: this.resources,
      inScope: [...this.inScope],
      applicable: [...this.applicable],
      ruleSubjects: [...this.ruleSubjects].filter((e): e is [string, ReturnType<typeof describeResource>] => e[1] !== null),
      waiting: this.waiting.slice(this.keptFromSnapshot),
      atPeriodEnd: this.atPeriodEnd,
      inventory: this.inventory.close(),
      controls: [...this.evidence.values()].map((e) => e.part()),
      waiversMatched: this.waivers.map((w) => w.matched),
    };
  }

  /** Takes in a part whose lines files are under `dir`, as if its resources had been streamed here, in order. */
  absorb(part: EvaluationPart, dir: string, snapshot: Snapshot): void {
    this.begin(snapshot);
    this.resources += part.resources;
    const add = (to: Map<string, number>, entries: [string, number][]) => {
      for (const [k, n] of entries) to.set(k, (to.get(k) ?? 0) + n);
    };
    add(this.inScope, part.inScope);
    add(this.applicable, part.applicable);
    for (const [k, d] of part.ruleSubjects) this.ruleSubjects.set(k, d);
    for (const r of part.waiting) this.keep(r);
    for (const k of Object.keys(this.atPeriodEnd) as (keyof PeriodEvidenceCounts)[]) this.atPeriodEnd[k] += part.atPeriodEnd[k];
    this.inventory.adopt(dir, part.inventory);
    for (const c of part.controls) this.evidence.get(c.id)!.absorb(c, dir);
    part.waiversMatched.forEach((m, i) => (this.waivers[i]!.matched += m));
  }

  /** One configuration item, as the reader streams it. */
  resource(r: Resource, snapshot: Snapshot): void {
    this.begin(snapshot);
    const waits = this.lookingUp.some((c) => (c.resourceTypes !== '*' && c.resourceTypes.includes(r.type) && (c.looksUp?.(r) ?? true)) || c.retains!(r, this.estate!));
    if (waits) this.keep(r);
    else this.evaluateResource(r, snapshot, false);
  }

  private evaluateResource(r: Resource, snapshot: Snapshot, atEnd: boolean): void {
    const { checks, packPathOf } = this.input;
    this.resources++;
    const scope = scopeKey(r.account, r.region);
    this.inScope.set(scope, (this.inScope.get(scope) ?? 0) + 1);
    const key = resourceKeyOf(r.account, r.type, r.id);
    // Redacted once here for all of the resource's items (add() redacts only what a waiver appends); what comes from
    // an item whose text the detectors found nothing in needs none.
    const redacted = <T>(value: T): T => (r.textClean ? value : redactJsonInPlace(value));
    if (this.ruleSubjects.has(key)) this.ruleSubjects.set(key, redacted(describeResource(r)));
    const origin = redactJsonInPlace({ ...r.origin, file: packPathOf(r.origin.file) });
    const resource = redacted(describeResource(r));
    this.inventory.write({
      key: redacted(r.key),
      account: r.account,
      region: r.region,
      type: r.type,
      id: resource.id,
      name: resource.name,
      arn: resource.arn,
      capturedAt: r.capturedAt,
      ...(r.changesInPeriod === undefined ? {} : { changesInPeriod: r.changesInPeriod, ...(r.changesCapped ? { changesCapped: true } : {}) }),
      origin,
      asset: redacted(assetFacts(r)),
    });
    let lineParts: ReturnType<typeof itemLineParts> | undefined;
    const notAtEnd = this.pointInTime && resourceNotAtEnd(r, this.pointInTime);
    if (this.pointInTime) {
      if (r.origin.api === 'config:GetResourceConfigHistory') this.atPeriodEnd.fromHistory++;
      else if (notAtEnd) this.atPeriodEnd[r.capturedAt > this.pointInTime.end ? 'afterEnd' : 'stale']++;
    }
    for (const [id, sinks] of this.usedBy) {
      const check = checks.get(id)!;
      if (check.resourceTypes === '*' ? complementaryRecordTypes.has(r.type) : !check.resourceTypes.includes(r.type)) continue;
      if (!this.regionsFor(check, snapshot.meta.scope.regions).has(r.region)) continue;
      if (check.retains && !atEnd && (check.looksUp?.(r) ?? true)) continue;
      const counted = `${check.id}|${scope}`;
      this.applicable.set(counted, (this.applicable.get(counted) ?? 0) + 1);
      let outcome: { status: ItemStatus; message: string };
      try {
        outcome = check.evaluate(r, this.estate!);
      } catch (e) {
        if (!(e instanceof MissingEvidence)) throw e;
        outcome = { status: 'gap', message: e.message };
      }
      if (notAtEnd) outcome = { status: 'gap', message: `${notAtEnd}; as collected: ${outcome.status}, ${outcome.message}` };
      const { source, json: sourceJson } = this.sourceOf(check);
      const message = redactJsonInPlace(outcome.message);
      lineParts ??= itemLineParts(r, resource, origin);
      const line = `{"source":${sourceJson}${lineParts.where},"status":${JSON.stringify(outcome.status)},"message":${JSON.stringify(message)}${lineParts.tail}`;
      for (const sink of sinks) {
        sink.add({ source, account: r.account, region: r.region, resource, status: outcome.status, message, observedAt: r.capturedAt, origin }, true, line);
      }
    }
  }

  private readonly sources = new Map<string, { source: EvidenceItem['source']; json: string }>();
  private sourceOf(check: Check): { source: EvidenceItem['source']; json: string } {
    let known = this.sources.get(check.id);
    if (!known) {
      const source = redactJsonInPlace({ kind: 'check' as const, id: check.id, title: check.title });
      this.sources.set(check.id, (known = { source, json: JSON.stringify(source) }));
    }
    return known;
  }

  /** Evaluates what was kept, adds coverage and AWS Config rule evidence, rolls up, and returns the result. */
  finish(snapshot: Snapshot): Result {
    this.evaluateKept(snapshot);
    this.addCoverage(snapshot);
    const rules = new RuleItems({ snapshot, subjects: this.ruleSubjects, pointInTime: this.pointInTime, origin: (o) => ({ ...o, file: this.input.packPathOf(o.file) }) });
    const attestations = this.attestationResults();
    const controls = this.input.catalog.controls.controls.map((c) => this.controlResult(c, rules, attestations));
    // Every string that leaves evaluation is redacted once more, so no output can carry a raw secret.
    return redactJsonInPlace(this.resultOf(snapshot, controls, rules, attestations));
  }

  /** Evaluates the resources kept for the end: those checks look up, and records the reader kept. */
  private evaluateKept(snapshot: Snapshot): void {
    this.begin(snapshot);
    // Records the reader kept after the first configuration item (none today): evaluated too, never skipped.
    for (const r of snapshot.resources.slice(this.keptFromSnapshot)) this.keep(r);
    this.keptFromSnapshot = snapshot.resources.length;
    for (const r of this.waiting) this.evaluateResource(r, snapshot, true);
    this.waiting.length = 0;
  }

  /** Each check's coverage items (coverage.ts), added to every control the check serves. */
  private addCoverage(snapshot: Snapshot): void {
    const estate = this.estate!;
    for (const [id, sinks] of this.usedBy) {
      const check = this.input.checks.get(id)!;
      const items = coverageItems(check, {
        snapshot,
        pointInTime: this.pointInTime,
        recorderFor: (account, region) => estate.recorderFor(account, region),
        declaredGap: (account, region, api) => estate.declaredGap(account, region, api),
        regions: this.regionsFor(check, snapshot.meta.scope.regions),
        applicable: (account, region) => this.applicable.get(`${check.id}|${scopeKey(account, region)}`) ?? 0,
        resourcesIn: (account, region) => this.inScope.get(scopeKey(account, region)) ?? 0,
        takeBack: (account, region) => {
          for (const sink of sinks) sink.drop((i) => i.source.kind === 'check' && i.source.id === check.id && i.account === account && i.region === region);
        },
      });
      for (const sink of sinks) for (const item of items) sink.add(structuredClone(item));
    }
  }

  private attestationResults(): AttestationResult[] {
    const input = this.input;
    return (input.attestations ?? []).map((a) => attestationResult(a, input.generatedAt, input.attestationPathOf ?? ((p) => `attestations/${p}`)));
  }

  /** One control's status, reason and evidence: inherited and manual ones from their attestations, automated ones rolled up from their items. */
  private controlResult(c: Catalog['controls']['controls'][number], rules: RuleItems, attestations: AttestationResult[]): ControlResult {
    const { catalog } = this.input;
    let evidence: EvidenceItem[] = [];
    let items: JsonLinesFile[] | undefined;
    let counts = zeroCounts(itemStatuses);
    let disagreements: string[] = [];
    let status: ControlStatus;
    let statusReason: string;
    const attested = attestations.filter((a) => a.control === c.id);
    const valid = attested.find((a) => a.state === 'valid');
    const attestationNote = valid
      ? `attested by ${valid.attestedBy.name} (${valid.attestedBy.role}) on ${valid.date}, valid until ${valid.expires}`
      : attested.length
        ? `attestation ${attested.map((a) => `${a.file} ${a.state}`).join(', ')}: a current one is needed`
        : undefined;
    if (c.assessment === 'inherited') {
      status = 'inherited';
      statusReason = `AWS owns this control: ${c.responsibility.aws}${attestationNote ? `; ${attestationNote}` : ''}`;
    } else if (c.assessment === 'manual') {
      status = 'manual';
      statusReason = attestationNote ?? 'AWS data cannot show this; an attestation by the customer is needed';
    } else {
      const hasChecks = (c.evidence?.checks?.length ?? 0) > 0;
      const sink = this.evidence.get(c.id)!;
      for (const { rule } of c.evidence?.rules ?? []) for (const item of rules.items(rule, !hasChecks)) sink.add(item);
      disagreements = sink.disagreements();
      counts = { ...sink.counts };
      ({ listed: evidence, items } = sink.close());
      ({ status, reason: statusReason } = rollUp(counts));
    }
    const sources = catalog.controls.sources;
    return {
      id: c.id,
      title: c.title,
      services: c.services,
      guidance: c.guidance.map((g) => ({ title: sources[g.source]!.title, url: sources[g.source]!.url, section: g.section, summary: g.summary })),
      responsibility: c.responsibility,
      assessment: c.assessment,
      status,
      statusReason,
      remediation: c.remediation,
      mappings: mappedControls(catalog, c.mappings),
      evidence,
      ...(items ? { items } : {}),
      counts,
      disagreements,
      attestations: attested,
    };
  }

  /** The result document: the period, the evidence read, the counts, the controls, frameworks, inventory and gaps. */
  private resultOf(snapshot: Snapshot, controls: ControlResult[], rules: RuleItems, attestations: AttestationResult[]): Result {
    const { input } = this;
    const { catalog } = input;
    const maxAge = input.maxEvaluationAgeDays ?? 35;
    const ruleEvidence = frameworkRuleEvidence(catalog, rules);
    const { controlCounts, evidenceCounts } = countsOf(controls);
    const gaps = gapsOf(snapshot);
    const sources = mappingSources(catalog);
    // Rules whose results count towards a status: catalog controls' rules, the frameworks' rule mappings and the baselines' pack tables.
    const mappedRules = new Set([...catalog.controls.controls.flatMap((c) => (c.evidence?.rules ?? []).map((r) => r.rule)), ...rulesOfFrameworks(catalog)]);
    const unmappedRules = rules.unmapped(mappedRules);

    return {
      schema: resultSchemaVersion,
      tool: input.tool,
      generatedAt: input.generatedAt,
      organization: snapshot.meta.organization,
      ...(input.period
        ? {
            period: {
              ...input.period,
              evidence: snapshot.meta.collectedAt >= input.period.to ? ('after-end' as const) : snapshot.meta.collectedAt < input.period.from ? ('before-start' as const) : ('within' as const),
              maxEvaluationAgeDays: maxAge,
              ...(snapshot.meta.asOf?.to === input.period.to ? { itemsAsOfEnd: true } : {}),
              atPeriodEnd: this.atPeriodEnd,
            },
          }
        : {}),
      catalog: { name: catalog.controls.catalog, title: catalog.controls.title, version: catalog.controls.version, digest: catalog.digest },
      evidence: {
        snapshotId: snapshot.meta.snapshotId,
        collectedAt: snapshot.meta.collectedAt,
        collector: snapshot.meta.collector,
        scope: snapshot.meta.scope,
        files: snapshot.files.map((f) => {
          const copy = input.copies?.get(f.path);
          return { path: input.packPathOf(f.path), sha256: copy?.sha256 ?? '', bytes: copy?.bytes ?? 0, source: f.path, sourceSha256: f.sha256, sourceBytes: f.bytes, kind: f.kind };
        }),
        recorders: snapshot.recorders.map(({ origin: _origin, ...r }) => r),
      },
      summary: { controls: controlCounts, evidence: evidenceCounts, resources: this.resources, gaps: gaps.length },
      controls,
      frameworks: frameworkResults(catalog, controls, ruleEvidence),
      ...(sources ? { mappingSources: sources } : {}),
      attestations,
      waivers: this.waivers,
      inventory: this.inventory.close(),
      gaps,
      unmappedRules,
    };
  }
}

/** AWS Config rules deployed in scope, rolled up per managed rule: evidence for the framework controls they are mapped to. */
function frameworkRuleEvidence(catalog: Catalog, rules: RuleItems): Map<string, BaselineRow['rules'][number]> {
  const ruleEvidence = new Map<string, BaselineRow['rules'][number]>();
  const ruleSource = new Map(catalog.ruleMappings.flatMap((m) => m.rules.map((r) => [r.rule, r.source] as const)));
  for (const rule of rulesOfFrameworks(catalog)) {
    const items = rules.items(rule, false);
    if (items.length)
      ruleEvidence.set(rule, { rule, source: ruleSource.get(rule) ?? 'framework data file', status: rollUp(countItems(items)).status, results: items.filter((i) => i.resource).length });
  }
  return ruleEvidence;
}

/** Controls by status, and their evidence items by status. */
function countsOf(controls: ControlResult[]) {
  const controlCounts = zeroCounts(controlStatuses);
  const evidenceCounts = zeroCounts(itemStatuses);
  for (const c of controls) {
    controlCounts[c.status]++;
    for (const s of itemStatuses) evidenceCounts[s] += c.counts[s];
  }
  return { controlCounts, evidenceCounts };
}

/** The gaps collection recorded, and every recorder not recording. */
function gapsOf(snapshot: Snapshot): Gap[] {
  return [
    ...snapshot.gaps,
    ...snapshot.recorders
      .filter((r) => !r.recording)
      .map((r) => ({ account: r.account, region: r.region, api: 'config:DescribeConfigurationRecorderStatus', reason: `AWS Config recorder "${r.name}" is not recording` })),
  ];
}
