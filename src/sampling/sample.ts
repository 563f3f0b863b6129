// A sample document (samples/<control>.json): the population it was drawn from, the plan, the seed, the
// method in words, the sampled rows and the exceptions listed; re-derivable from the population file alone.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { EvidenceItem, ItemStatus } from '../evaluate/result.ts';
import { InputError } from '../core/errors.ts';
import { exceptionStatuses, listedExceptions, LowestRanks, sampledStatus, selectionMethod, type RankedRow } from './draw.ts';
import { controlRows, populationColumns, type PopulationInfo } from './population.ts';
import type { SamplePlan } from './sizes.ts';
import type { ControlResult } from '../evaluate/result.ts';

export const sampleSchema = 'evidence-pack/sample@1';
export const samplesDir = 'samples';
export const sampleFileOf = (control: string) => `${samplesDir}/${control}.json`;

export type SeedSource = 'population-sha256' | 'given';

export interface SampleDocument {
  schema: typeof sampleSchema;
  control: string;
  population: { file: string; sha256: string; rows: number; sampled: string; eligible: number };
  plan: SamplePlan;
  seed: string;
  seedSource: SeedSource;
  method: string;
  /** Rows drawn: min(plan size, eligible rows). */
  size: number;
  sample: { row: number; key: string; rank: string }[];
  exceptions: { statuses: readonly ItemStatus[]; total: number; bound: number; listed: { row: number; key: string; status: string }[] };
}

export interface DrawRequest {
  control: string;
  population: { file: string; sha256: string };
  plan: SamplePlan;
  seed?: string;
}

interface Drawn<T> {
  rows: number;
  eligible: number;
  sample: RankedRow<T>[];
  exceptions: SampleDocument['exceptions'];
}

/** Draws from rows given in population order: the one algorithm behind the pack's samples and the sample command. */
async function drawRows<T>(rows: AsyncIterable<{ row: number; key: string; status: string; value: T }>, seed: string, size: number): Promise<Drawn<T>> {
  const lowest = new LowestRanks<T>(seed, size);
  const exceptions: SampleDocument['exceptions'] = { statuses: exceptionStatuses, total: 0, bound: listedExceptions, listed: [] };
  let count = 0;
  let eligible = 0;
  for await (const r of rows) {
    count++;
    if (r.status === sampledStatus) {
      eligible++;
      lowest.offer(r.row, r.key, r.value);
    } else if ((exceptionStatuses as readonly string[]).includes(r.status)) {
      if (++exceptions.total <= listedExceptions) exceptions.listed.push({ row: r.row, key: r.key, status: r.status });
    }
  }
  return { rows: count, eligible, sample: lowest.rows(), exceptions };
}

function documentOf(req: DrawRequest, drawn: Drawn<unknown>): SampleDocument {
  return {
    schema: sampleSchema,
    control: req.control,
    population: { file: req.population.file, sha256: req.population.sha256, rows: drawn.rows, sampled: `status = ${sampledStatus}`, eligible: drawn.eligible },
    plan: req.plan,
    seed: req.seed ?? req.population.sha256,
    seedSource: req.seed === undefined ? 'population-sha256' : 'given',
    method: selectionMethod,
    size: drawn.sample.length,
    sample: drawn.sample.map(({ row, key, rank }) => ({ row, key, rank })),
    exceptions: drawn.exceptions,
  };
}

/** The pack's default sample of a control, drawn from its items (the rows its population file holds), with the sampled items. */
export async function drawFromItems(packDir: string, control: ControlResult, population: PopulationInfo, plan: SamplePlan): Promise<{ document: SampleDocument; items: EvidenceItem[] }> {
  const req: DrawRequest = { control: control.id, population, plan };
  const rows = (async function* () {
    for await (const r of controlRows(packDir, control)) yield { row: r.row, key: r.key, status: r.item.status, value: r.item };
  })();
  const drawn = await drawRows(rows, population.sha256, plan.size);
  return { document: documentOf(req, drawn), items: drawn.sample.map((r) => r.value) };
}

/** A sample drawn from a population file: what an auditor (or `sample --verify`) derives without the items. */
export async function drawFromPopulationFile(path: string, req: DrawRequest): Promise<SampleDocument> {
  const parser = createReadStream(path).pipe(parse({ columns: true, bom: true }));
  const rows = (async function* () {
    let expected = 0;
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      expected++;
      if (expected === 1) {
        const missing = populationColumns.filter((c) => !(c in record));
        if (missing.length) throw new InputError(path, missing[0], 'missing column of a population file');
      }
      if (record.row !== String(expected)) throw new InputError(path, `row ${expected}`, `row number ${JSON.stringify(record.row)} out of order`);
      yield { row: expected, key: record.key!, status: record.status!, value: undefined };
    }
  })();
  return documentOf(req, await drawRows(rows, req.seed ?? req.population.sha256, req.plan.size));
}

/** What differs between a sample document and the one re-derived: empty when they match. */
export function sampleDifferences(given: SampleDocument, derived: SampleDocument): string[] {
  const problems: string[] = [];
  if (given.population.sha256 !== derived.population.sha256)
    problems.push(`population ${given.population.file}: sha256 ${derived.population.sha256}, where the sample names ${given.population.sha256}`);
  for (const field of ['rows', 'eligible'] as const) {
    if (given.population[field] !== derived.population[field]) problems.push(`population.${field}: ${given.population[field]}, re-derived ${derived.population[field]}`);
  }
  if (given.size !== derived.size || given.sample.length !== derived.size) problems.push(`size: the file lists ${given.sample.length} rows (size ${given.size}), re-derived ${derived.size}`);
  const n = Math.max(given.sample.length, derived.sample.length);
  for (let i = 0; i < n; i++) {
    const a = given.sample[i];
    const b = derived.sample[i];
    if (a?.row !== b?.row || a?.key !== b?.key || a?.rank !== b?.rank) problems.push(`sample[${i}]: ${a ? `row ${a.row} ${a.key}` : 'missing'}, re-derived ${b ? `row ${b.row} ${b.key}` : 'none'}`);
  }
  if (JSON.stringify(given.exceptions) !== JSON.stringify(derived.exceptions))
    problems.push(
      `exceptions: the file lists ${given.exceptions?.listed?.length ?? 0} of ${given.exceptions?.total ?? '?'}, re-derived ${derived.exceptions.listed.length} of ${derived.exceptions.total}`,
    );
  return problems;
}
