// The auditor's request list: the sampled items as a CSV to tick off, from the pack's default samples or
// from sample files drawn by `evidence-pack sample` (re-derived from the pack first, as `sample --verify` does).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { ExitCode, InputError, UserError } from '../core/errors.ts';
import { csvField } from '../render/csv.ts';
import { populationIndexFile } from '../sampling/pack-sampling.ts';
import { reDeriveSampleFile } from '../sampling/re-derive.ts';
import { sampleFileOf, sampleSchema, type SampleDocument } from '../sampling/sample.ts';
import { describePlan } from '../sampling/sizes.ts';

export const requestListName = (packId: string) => `${packId}-request-list.csv`;

export const requestListColumns = [
  'Sample #',
  'Control',
  'Population row',
  'Key',
  'Account',
  'Region',
  'Resource type',
  'Resource id',
  'Status',
  'Items file',
  'Items line',
  'Tested by',
  'Date',
  'Result (pass/exception)',
  'Notes',
] as const;

export interface RequestListRequest {
  /** Controls asked for; empty: every control the pack has a default sample of. */
  controls: string[];
  /** Sample files made by `evidence-pack sample`: each replaces the pack's default sample of its control. */
  sampleFiles: string[];
}

export interface RequestList {
  name: string;
  items: number;
  controls: string[];
  sha256: string;
}

/** `--request-list WSAS-03,WSAS-04` (or the flag alone: ''): the control ids, empty for every sampled control. */
export function parseControlList(value: string): string[] {
  return value
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
}

/** The controls the pack holds a default sample of (populations/index.json). */
function sampledControls(packDir: string): string[] {
  if (!existsSync(join(packDir, populationIndexFile))) throw new UserError(`--request-list: the pack has no ${populationIndexFile} (made before sampling): it holds no samples`);
  const index = JSON.parse(readFileSync(join(packDir, populationIndexFile), 'utf8')) as { populations?: { control?: string; sample?: string }[] };
  return (index.populations ?? []).filter((p) => p.sample).map((p) => String(p.control));
}

/** Sample files re-derived from the pack's populations; one that does not match is refused (exit 3) before anything is sent. */
async function givenSamples(packDir: string, files: string[]): Promise<Map<string, SampleDocument>> {
  const docs = new Map<string, SampleDocument>();
  for (const file of files) {
    const { doc, derived, problems } = await reDeriveSampleFile(packDir, file, '--sample');
    if (problems.length) {
      throw new UserError(
        `--sample ${file}: does not match the sample re-derived from ${derived.population.file} (${problems[0]}${problems.length > 1 ? `; ${problems.length - 1} more difference(s)` : ''}); nothing sent`,
        ExitCode.verifyFailed,
      );
    }
    if (docs.has(doc.control)) throw new UserError(`--sample ${file}: a second sample of ${doc.control}; give one a control`);
    docs.set(doc.control, doc);
  }
  return docs;
}

function defaultSample(packDir: string, control: string): SampleDocument {
  if (!/^[A-Za-z0-9][\w.-]*$/.test(control)) throw new UserError(`--request-list ${control}: not a control id`);
  const file = join(packDir, sampleFileOf(control));
  if (!existsSync(file))
    throw new UserError(
      `--request-list ${control}: the pack holds no sample of ${control} (only automated controls have one); draw one with evidence-pack sample --control ${control} --out DIR and pass --sample DIR/${control}.json`,
    );
  const doc = JSON.parse(readFileSync(file, 'utf8')) as SampleDocument;
  if (doc?.schema !== sampleSchema || !Array.isArray(doc.sample)) throw new InputError(sampleFileOf(control), 'schema', `expected ${sampleSchema}`);
  return doc;
}

/** The population rows a sample names, by row number, read as the file streams (memory follows the sample). */
async function populationRows(packDir: string, doc: SampleDocument): Promise<Map<number, Record<string, string>>> {
  const wanted = new Set(doc.sample.map((s) => s.row));
  const found = new Map<number, Record<string, string>>();
  const path = join(packDir, doc.population.file);
  if (!wanted.size) return found;
  for await (const record of createReadStream(path).pipe(parse({ columns: true, bom: true })) as AsyncIterable<Record<string, string>>) {
    const row = Number(record.row);
    if (wanted.has(row)) found.set(row, record);
    if (found.size === wanted.size) break;
  }
  return found;
}

/** Writes the request list to `file`: a heading (pack, method, each control's population sha256, seed, plan and size), then one row per sampled item. */
export async function writeRequestList(packDir: string, packId: string, request: RequestListRequest, file: string): Promise<RequestList> {
  const given = await givenSamples(packDir, request.sampleFiles);
  const asked = request.controls.length || !given.size ? request.controls : [...given.keys()];
  const controls = [...new Set([...(asked.length ? asked : sampledControls(packDir)), ...given.keys()])];
  const docs = controls.map((c) => given.get(c) ?? defaultSample(packDir, c));
  const lines: string[][] = [
    ['Request list', packId],
    ['Method', docs[0]?.method ?? ''],
    [],
    ['Control', 'Population file', 'Population sha256', 'Population rows', 'Passing rows', 'Seed', 'Seed source', 'Plan', 'Size', 'Exceptions (not sampled; listed in the sample file)'],
    ...docs.map((d) => [
      d.control,
      d.population.file,
      d.population.sha256,
      String(d.population.rows),
      String(d.population.eligible),
      d.seed,
      d.seedSource === 'given' ? 'given' : "the population's sha256",
      describePlan(d.plan),
      String(d.size),
      String(d.exceptions?.total ?? 0),
    ]),
    [],
    [...requestListColumns],
  ];
  let n = 0;
  for (const d of docs) {
    const rows = await populationRows(packDir, d);
    for (const s of d.sample) {
      const r = rows.get(s.row);
      if (!r || r.key !== s.key) throw new InputError(d.population.file, `row ${s.row}`, `not the row the sample of ${d.control} names (${s.key})`);
      lines.push([
        String(++n),
        d.control,
        String(s.row),
        s.key,
        r.account ?? '',
        r.region ?? '',
        r.resource_type ?? '',
        r.resource_id ?? '',
        r.status ?? '',
        r.items_file ?? '',
        r.items_line ?? '',
        '',
        '',
        '',
        '',
      ]);
    }
  }
  const text = lines.map((l) => `${l.map(csvField).join(',')}\r\n`).join('');
  await writeFile(file, text);
  return { name: requestListName(packId), items: n, controls, sha256: createHash('sha256').update(text).digest('hex') };
}
