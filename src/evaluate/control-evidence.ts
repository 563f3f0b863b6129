// One control's evidence as it is made: every item goes to the control's JSON-lines file; the counts,
// the items the report lists and what the disagreements need stay in memory.
import { redactJsonInPlace } from '../redact/detect.ts';
import { applyWaivers, unmatchWaivers } from './assurance.ts';
import type { LinesWriter } from './item-files.ts';
import { itemStatuses, listedOthers, zeroCounts, type EvidenceItem, type ItemStatus, type JsonLinesFile, type WaiverResult } from './result.ts';

const listedInFull = (s: ItemStatus) => s === 'fail' || s === 'gap' || s === 'waived';
const decided = (i: EvidenceItem) => i.resource !== undefined && (i.status === 'pass' || i.status === 'fail');

/** The later of two observations, or undefined when they were made at the same time. */
function newerOf(a: EvidenceItem, b: EvidenceItem): EvidenceItem | undefined {
  const [ta, tb] = [Date.parse(a.observedAt), Date.parse(b.observedAt)];
  return ta > tb ? a : tb > ta ? b : undefined;
}

/** One item of a control: what judged which resource where. */
function itemIdentity(i: EvidenceItem): string {
  const source = i.source.kind === 'check' ? `check:${i.source.id}` : i.source.kind === 'config-rule' ? `rule:${i.source.ruleName}` : `coverage:${i.source.api}`;
  return [source, i.account, i.region, i.resource?.type ?? '', i.resource?.id ?? ''].join('|');
}

export interface ControlEvidencePart {
  id: string;
  counts: Record<ItemStatus, number>;
  listed: EvidenceItem[];
  verdicts: EvidenceItem[];
  items: JsonLinesFile[];
}

export class ControlEvidence {
  readonly counts = zeroCounts(itemStatuses);
  private listed: EvidenceItem[] = [];
  private othersListed = 0;
  /** Decided items of checks and rules on resources both judge: compared at the end. */
  private readonly verdicts: EvidenceItem[] = [];

  constructor(
    readonly controlId: string,
    private readonly writer: LinesWriter,
    private readonly waivers: WaiverResult[],
    /** Whether this resource is one a rule of this control also evaluated (only then are verdicts kept). */
    private readonly judgedTwice: (item: EvidenceItem) => boolean,
    /** Whether a check and a managed rule test the same property (the check declares it): only such pairs are compared. */
    private readonly sameProperty: (checkId: string, rule: string) => boolean,
  ) {}

  /**
   * `redacted`: every string of the item already is (a waiver's note is redacted here when one is added).
   * `line`: the item's JSON, used unless a waiver changes the item.
   */
  add(item: EvidenceItem, redacted = false, line?: string): void {
    const before = item.message;
    applyWaivers(this.controlId, [item], this.waivers);
    if (!redacted) redactJsonInPlace(item);
    else if (item.message !== before) item.message = redactJsonInPlace(item.message);
    this.counts[item.status]++;
    this.writer.write(item, item.waiver || !redacted ? undefined : line);
    if (listedInFull(item.status)) this.listed.push(item);
    else if (this.othersListed < listedOthers) {
      this.othersListed++;
      this.listed.push(item);
    }
    if (decided(item) && item.source.kind !== 'coverage' && this.judgedTwice(item)) this.verdicts.push(item);
  }

  /** Takes back items already written (a scope found uncovered once all evidence was read). */
  drop(matches: (item: EvidenceItem) => boolean): void {
    const dropped = this.writer.dropWhere(matches);
    for (const item of dropped) this.counts[item.status]--;
    unmatchWaivers(this.controlId, dropped, this.waivers);
    this.listed = this.listed.filter((i) => !matches(i));
    this.othersListed = this.listed.filter((i) => !listedInFull(i.status)).length;
    this.verdicts.splice(0, this.verdicts.length, ...this.verdicts.filter((i) => !matches(i)));
  }

  /** What this control's evidence holds so far, for another evaluation to absorb (its items file closed). */
  part(): ControlEvidencePart {
    return { id: this.controlId, counts: this.counts, listed: this.listed, verdicts: this.verdicts, items: this.writer.close() };
  }

  /** Takes in a part made elsewhere, as if its items (files under `dir`) had been added here one by one, in order. */
  absorb(part: ControlEvidencePart, dir: string): void {
    for (const s of itemStatuses) this.counts[s] += part.counts[s];
    for (const item of part.listed) {
      if (listedInFull(item.status)) this.listed.push(item);
      else if (this.othersListed < listedOthers) {
        this.othersListed++;
        this.listed.push(item);
      }
    }
    for (const v of part.verdicts) this.verdicts.push(v);
    this.writer.adopt(dir, part.items);
  }

  get total(): number {
    return itemStatuses.reduce((n, s) => n + this.counts[s], 0);
  }

  /**
   * A built-in check and an AWS Config rule that test the same property and judged the same resource differently.
   * The newer observation decides: the older item takes its status and says why (the text shows both times); at the
   * same time, neither does.
   */
  disagreements(): string[] {
    const key = (i: EvidenceItem) => `${i.account}|${i.resource!.type}|${i.resource!.id}`;
    const ruleSays = new Map<string, EvidenceItem[]>();
    for (const b of this.verdicts) if (b.source.kind === 'config-rule') (ruleSays.get(key(b)) ?? ruleSays.set(key(b), []).get(key(b))!).push(b);
    const out: string[] = [];
    const overruled = new Map<EvidenceItem, EvidenceItem>();
    for (const a of this.verdicts) {
      if (a.source.kind !== 'check') continue;
      for (const b of ruleSays.get(key(a)) ?? []) {
        if (a.status !== b.status && b.source.kind === 'config-rule' && this.sameProperty(a.source.id, b.source.rule)) {
          const newer = newerOf(a, b);
          if (newer) {
            const older = newer === a ? b : a;
            const other = overruled.get(older);
            if (!other || newerOf(newer, other) === newer) overruled.set(older, newer);
          }
          const decides = !newer ? 'observed at the same time, neither decides' : newer === a ? 'the newer, the built-in check, decides' : 'the newer, the AWS Config rule, decides';
          out.push(
            `${a.resource!.type} ${a.resource!.id} (${a.account}/${a.region}): built-in check ${a.source.id} says ${a.status} (captured ${a.observedAt}); AWS Config rule ${b.source.ruleName} says ${b.status} (recorded ${b.observedAt}): ${decides}`,
          );
        }
      }
    }
    if (overruled.size) this.overrule(overruled);
    return out;
  }

  /** Replaces each older item with one that takes the newer observation's status and names it. */
  private overrule(by: Map<EvidenceItem, EvidenceItem>): void {
    const newerOfItem = new Map([...by].map(([older, newer]) => [itemIdentity(older), newer]));
    const dropped: EvidenceItem[] = [];
    this.drop((i) => i.resource !== undefined && newerOfItem.has(itemIdentity(i)) && (dropped.push(i), true));
    const seen = new Set<string>();
    for (const item of dropped) {
      const id = itemIdentity(item);
      if (seen.has(id)) continue; // the same item met in the listed items and the file
      seen.add(id);
      const newer = newerOfItem.get(id)!;
      const what =
        newer.source.kind === 'check'
          ? `built-in check ${newer.source.id} (captured ${newer.observedAt})`
          : `AWS Config rule ${(newer.source as { ruleName: string }).ruleName} (recorded ${newer.observedAt})`;
      this.add({ ...item, status: newer.status, message: `the newer observation decides: ${what} says ${newer.status}; this one, of ${item.observedAt}, said ${item.status} (${item.message})` }, true);
    }
  }
  /** The listed items by account and region (otherwise as they came), and the items file. */
  close(): { listed: EvidenceItem[]; items: JsonLinesFile[] } {
    const listed = this.listed.sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region));
    return { listed, items: this.writer.close() };
  }
}
