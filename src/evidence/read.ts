import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EvidenceCopies } from './evidence-copies.ts';
import { listFilesUnder } from '../core/files.ts';
import { compileSchema } from '../core/data-file.ts';
import { InputError, UserError } from '../core/errors.ts';
import { readSelectPagesFile } from './read-select-pages.ts';
import { configSnapshotFile, readConfigSnapshotFile, type SnapshotFileContext, type SnapshotFileRead } from './read-snapshot-file.ts';
import { parseDeliveredName } from './delivered-name.ts';
import { isoTime, readJsonFile } from './json-file.ts';
import { AggregatorReader, aggregatorFile, type RuleIdentifierByName } from './read-aggregator.ts';
import { joinConfigRecords, newConfigJoins } from './readers/config-joins.ts';
import { parseApiFile, readerFor } from './readers/registry.ts';
import type { ReaderContext } from './readers/types.ts';
import { collectionLogSchema, snapshotMetaSchema } from './schemas.ts';
import type { EvidenceFile, Resource, Snapshot, SnapshotMeta } from './types.ts';

export { apiResourceTypes } from './read-service-apis.ts';

/** The APIs (or files) that tell what resources exist in an account and region. */
export const inventorySources = ['config:snapshot-file', 'config:SelectResourceConfig', 'config:SelectAggregateResourceConfig'] as const;

const validate = {
  collectionLog: compileSchema<any>(collectionLogSchema),
  meta: compileSchema<SnapshotMeta>(snapshotMetaSchema),
};

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
  const seenKeys = new Set<string>();
  // The same item in two snapshot files (e.g. a global resource) counts once.
  const firstSight = (key: string) => !seenKeys.has(key) && Boolean(seenKeys.add(key));
  const addResource = (r: Resource) => {
    if (!firstSight(r.key)) return;
    if (opts.onConfigurationItem && configurationItemApis.has(r.origin.api)) opts.onConfigurationItem(r, snapshot);
    else snapshot.resources.push(r);
  };

  const joins = newConfigJoins();
  /** An (Aggregate)SelectResourceConfig file, streamed a page at a time; each row's resource counts when its key is admitted. */
  const selectPages = async (rel: string, api: string, admit: (key: string) => boolean = () => true) => {
    const elsewhere = opts.onConfigurationItem && opts.readSelectPages ? await opts.readSelectPages(rel, api, { snapshot, admit: (key) => admit(key) && firstSight(key) }) : undefined;
    const f =
      elsewhere ??
      (await readSelectPagesFile(rel, api, {
        dir,
        shown: shown(rel),
        copies: opts.copies,
        inScope: (a, r) => inScope(shown(rel), a, r),
        addResource: (r) => {
          if (admit(r.key)) addResource(r);
        },
      }));
    files.push({ path: rel, sha256: f.sha256, bytes: f.bytes, kind: 'aws-response' });
  };
  const aggregator = new AggregatorReader({ snapshot, read, shown, inScope, addResource, selectPages: (rel, api) => selectPages(rel, api) }, opts.ruleIdentifier ?? (() => undefined));
  const snapshotFileContext: SnapshotFileContext = { dir, shown, inScope, copies: opts.copies, addResource };
  const recordSnapshotFile = (f: SnapshotFileRead) => {
    if (f.located) snapshot.apiResponses.push({ ...f.located, api: 'config:snapshot-file', file: f.rel });
    if (f.delivered) joins.delivered.push({ ...f.delivered, rel: f.rel });
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
  const readerContext: ReaderContext = { snapshot, read, shown, inScope, addResource, selectPages, joins };
  /** A saved API response, read by its service and operation's reader. */
  const readApiFile = async (rel: string) => {
    const file = parseApiFile(rel);
    if (!file) throw new InputError(shown(rel), undefined, 'unrecognised evidence file (the evidence layout is in the README)');
    inScope(shown(rel), file.account, file.region);
    const reader = readerFor(file);
    if (!reader) throw new InputError(shown(rel), undefined, `unrecognised ${file.service} response "${file.path}"`);
    await reader.read(readerContext, file);
  };
  /** Any evidence file but snapshot.json, read as its place in the layout says. */
  const readEvidenceFile = async (rel: string) => {
    const fromAggregator = aggregatorFile.exec(rel);
    if (fromAggregator) return aggregator.readFile(rel, fromAggregator);
    if (rel === 'collection-log.json') return void (await read(rel, 'collection-log', validate.collectionLog));
    if (configSnapshotFile.test(rel)) return recordSnapshotFile(await readConfigSnapshotFile(rel, snapshotFileContext));
    return readApiFile(rel);
  };
  for (const rel of all) {
    if (rel === 'snapshot.json') continue;
    if (unitsElsewhere && configSnapshotFile.test(rel)) continue;
    readSoFar(1);
    await readEvidenceFile(rel);
  }

  if (units) {
    for (const f of await opts.readSnapshotUnits!(units, { snapshot, addResource, shown, unitRead: (unit) => readSoFar(unit.length) })) recordSnapshotFile(f);
  }
  readSoFar(0);
  aggregator.finish();
  joinConfigRecords(snapshot, joins, shown);
  const order = new Map([...listed.map((f, i) => [f, i] as const), ['snapshot.json', -1]]);
  files.sort((a, b) => order.get(a.path)! - order.get(b.path)!);
  return snapshot;
}
