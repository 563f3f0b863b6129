// What one AWS Config file says about records read from another (a recorder's status, a rule's pack and
// summary, an evaluation's rule), kept while the files are read and joined once every file is.
import { InputError } from '../../core/errors.ts';
import type { parseDeliveredName } from '../delivered-name.ts';
import { isoTime } from '../json-file.ts';
import type { Snapshot } from '../types.ts';

export interface ConfigJoins {
  /** account/type/id of resources whose history shows them deleted (or without items) at the period end. */
  absentAtEnd: Set<string>;
  /** Rule results already read (a result can arrive twice: the unfiltered query and the NOT_APPLICABLE one). */
  seenResults: Set<string>;
  /** account/region/rule → the rule's summary compliance. */
  ruleSummary: Map<string, NonNullable<Snapshot['rules'][number]['summary']>>;
  /** account/region/rule → the conformance pack that deployed it. */
  packOfRule: Map<string, string>;
  /** account/region/recorder → its status, with the file it was read from. */
  recorderStatus: Map<string, any>;
  /** AWS-delivered snapshot files, each showing that its account and region's recorder ran. */
  delivered: (NonNullable<ReturnType<typeof parseDeliveredName>> & { rel: string })[];
}

export function newConfigJoins(): ConfigJoins {
  return { absentAtEnd: new Set(), seenResults: new Set(), ruleSummary: new Map(), packOfRule: new Map(), recorderStatus: new Map(), delivered: [] };
}

/** Completes the recorders, rules and evaluations from what the other files said about them. */
export function joinConfigRecords(snapshot: Snapshot, joins: ConfigJoins, shown: (rel: string) => string): void {
  recordersFromDeliveredSnapshots(snapshot, joins);
  recorderStatusesIntoRecorders(snapshot, joins, shown);
  packsAndSummariesIntoRules(snapshot, joins);
  rulesIntoEvaluations(snapshot, shown);
}

/** A delivered snapshot shows that the recorder ran when it was taken; it stands in where no recorder was read. */
function recordersFromDeliveredSnapshots(snapshot: Snapshot, joins: ConfigJoins): void {
  for (const d of joins.delivered) {
    if (snapshot.recorders.some((r) => r.account === d.account && r.region === d.region)) continue;
    snapshot.recorders.push({
      account: d.account,
      region: d.region,
      name: `delivered snapshot ${d.name}`,
      recording: true,
      allSupported: true,
      includeGlobalResourceTypes: true,
      resourceTypes: [],
      lastStartTime: d.time,
      basis: 'delivered-snapshot',
      origin: { file: d.rel, pointer: '', api: 'AWS Config snapshot' },
    });
  }
}

/** Whether each recorder was recording, from DescribeConfigurationRecorderStatus. */
function recorderStatusesIntoRecorders(snapshot: Snapshot, joins: ConfigJoins, shown: (rel: string) => string): void {
  for (const r of snapshot.recorders) {
    const s = joins.recorderStatus.get(`${r.account}/${r.region}/${r.name}`);
    if (s) {
      r.recording = s.recording;
      r.lastStatus = s.lastStatus;
      r.lastStartTime = s.lastStartTime === undefined ? undefined : isoTime(s.lastStartTime, shown(s.file), 'lastStartTime');
    }
  }
}

/** Each rule's conformance pack and summary compliance. */
function packsAndSummariesIntoRules(snapshot: Snapshot, joins: ConfigJoins): void {
  for (const r of snapshot.rules) {
    r.conformancePack = joins.packOfRule.get(`${r.account}/${r.region}/${r.name}`);
    const summary = joins.ruleSummary.get(`${r.account}/${r.region}/${r.name}`);
    if (summary) r.summary = summary;
  }
}

/** Each evaluation's rule source, and each rule marked evaluated; an evaluation of a rule not described is refused. */
function rulesIntoEvaluations(snapshot: Snapshot, shown: (rel: string) => string): void {
  const ruleByName = new Map(snapshot.rules.map((r) => [`${r.account}/${r.region}/${r.name}`, r]));
  for (const e of snapshot.evaluations) {
    const rule = ruleByName.get(`${e.account}/${e.region}/${e.ruleName}`);
    if (!rule) throw new InputError(shown(e.origin.file), 'ConfigRuleName', `rule "${e.ruleName}" is not in aws/${e.account}/${e.region}/config/DescribeConfigRules.json`);
    e.sourceIdentifier = rule.sourceIdentifier;
    rule.evaluated = true;
  }
}
