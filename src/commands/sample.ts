import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, InputError, UserError } from '../errors.ts';
import { removeOnInterrupt } from '../interrupt.ts';
import { extractPackArchive } from '../pack/archive.ts';
import { populationIndexFile } from '../sampling/pack-sampling.ts';
import { populationFileOf } from '../sampling/population.ts';
import { drawFromPopulationFile, sampleDifferences, sampleSchema, type SampleDocument } from '../sampling/sample.ts';
import { confidences, defaultPlan, describePlan, sampleSizeTable, tablePlan, tolerableDeviations, type Confidence, type SamplePlan, type TolerableDeviation } from '../sampling/sizes.ts';
import { report, type GlobalOptions } from './output.ts';
import { stdout, stderr } from '../io.ts';

export interface SampleOptions extends GlobalOptions {
  pack: string;
  control?: string;
  size?: number;
  confidence?: number;
  tolerableDeviation?: number;
  seed?: string;
  verify?: string;
  out?: string;
}

const sha256Of = (path: string) => new Promise<string>((resolve, reject) => {
  const hash = createHash('sha256');
  createReadStream(path).on('error', reject).on('data', (c) => hash.update(c)).on('end', () => resolve(hash.digest('hex')));
});

function planOf(opts: SampleOptions): SamplePlan {
  if (opts.size !== undefined) {
    if (opts.confidence !== undefined || opts.tolerableDeviation !== undefined) throw new UserError('--size: give either a size or --confidence and --tolerable-deviation, not both');
    return { kind: 'given', size: opts.size };
  }
  const confidence = (opts.confidence ?? defaultPlan.confidence) as Confidence;
  const tolerable = (opts.tolerableDeviation ?? defaultPlan.tolerableDeviation) as TolerableDeviation;
  if (!confidences.includes(confidence)) throw new UserError(`--confidence ${opts.confidence}: choose ${confidences.join(' or ')}`);
  if (!tolerableDeviations.includes(tolerable)) throw new UserError(`--tolerable-deviation ${opts.tolerableDeviation}: choose ${tolerableDeviations.join(' or ')}`);
  return tablePlan(confidence, tolerable);
}

/** The controls whose populations the pack holds (populations/index.json). */
function controlsOf(packDir: string): string[] {
  const file = join(packDir, populationIndexFile);
  if (!existsSync(file)) throw new InputError(file, undefined, 'not found: the pack has no populations (made before sampling, or rendered without the report)');
  const index = JSON.parse(readFileSync(file, 'utf8')) as { populations?: { control?: unknown }[] };
  if (!Array.isArray(index.populations)) throw new InputError(file, 'populations', 'missing or not a list');
  return index.populations.map((p) => String(p.control));
}

async function draw(packDir: string, control: string, plan: SamplePlan, seed?: string): Promise<SampleDocument> {
  if (!/^[A-Za-z0-9][\w.-]*$/.test(control)) throw new UserError(`--control ${control}: not a control id`);
  const file = populationFileOf(control);
  const path = join(packDir, file);
  if (!existsSync(path)) throw new UserError(`--control ${control}: no population file ${file} in ${packDir}`);
  return drawFromPopulationFile(path, { control, population: { file, sha256: await sha256Of(path) }, plan, seed });
}

function readSampleFile(file: string, flag: string): SampleDocument {
  if (!existsSync(file)) throw new UserError(`${flag} ${file}: no such file`);
  let doc: SampleDocument;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as SampleDocument;
  } catch (e) {
    throw new InputError(file, undefined, `not a sample file (${(e as Error).message.split('\n')[0]})`);
  }
  if (doc?.schema !== sampleSchema) throw new InputError(file, 'schema', `expected ${sampleSchema}`);
  if (typeof doc.control !== 'string' || typeof doc.seed !== 'string' || !doc.population || !Array.isArray(doc.sample)) throw new InputError(file, undefined, 'not a sample file (control, seed, population and sample expected)');
  return doc;
}

/** The plan a sample file claims, checked against the table: a table size edited in the file is a mismatch, not a new plan. */
function claimedPlan(doc: SampleDocument): SamplePlan {
  const p = doc.plan;
  if (p?.kind === 'table' && confidences.includes(p.confidence) && tolerableDeviations.includes(p.tolerableDeviation)) return tablePlan(p.confidence, p.tolerableDeviation);
  if (p?.kind === 'given' && Number.isInteger(p.size) && p.size > 0) return { kind: 'given', size: p.size };
  throw new UserError(`plan: ${JSON.stringify(p)} is not a plan this tool draws (table ${confidences.join('/')}% × ${tolerableDeviations.join('/')}%, or a given size)`, ExitCode.verifyFailed);
}

/** Reads a sample file and draws it again from the pack's population file: `problems` is empty when they match. */
export async function reDeriveSampleFile(packDir: string, file: string, flag = '--verify') {
  const doc = readSampleFile(file, flag);
  const plan = claimedPlan(doc);
  const derived = await draw(packDir, doc.control, plan, doc.seedSource === 'given' ? doc.seed : undefined);
  const problems = sampleDifferences(doc, derived);
  if (doc.seedSource !== 'given' && doc.seed !== derived.seed) problems.unshift(`seed: ${doc.seed} is not the population's sha256 ${derived.seed}`);
  if (doc.plan.kind === 'table' && doc.plan.size !== sampleSizeTable[plan.kind === 'table' ? plan.confidence : 95][plan.kind === 'table' ? plan.tolerableDeviation : 5]) problems.unshift(`plan.size: ${doc.plan.size}, where the table gives ${plan.size}`);
  return { doc, plan, derived, problems };
}

async function verifySample(packDir: string, opts: SampleOptions): Promise<number> {
  const { doc, plan, derived, problems } = await reDeriveSampleFile(packDir, opts.verify!);
  if (problems.length) {
    if (opts.json) stdout(`${JSON.stringify({ sample: opts.verify, matches: false, problems }, null, 2)}\n`);
    else {
      for (const p of problems) stderr(`${opts.verify}: ${p}\n`);
      stderr(`FAILED ${opts.verify}: does not match the sample re-derived from ${derived.population.file} (${problems.length} difference(s))\n`);
    }
    return ExitCode.verifyFailed;
  }
  report(opts, `Sample ${opts.verify} matches: ${derived.size} of ${derived.population.eligible} passing rows of ${derived.population.file} (sha256 ${derived.population.sha256}), ${describePlan(plan)}, seed ${doc.seedSource === 'given' ? 'given' : "the population's sha256"}`,
    { sample: opts.verify, matches: true, control: doc.control, population: derived.population, size: derived.size });
  return ExitCode.ok;
}

async function drawSamples(packDir: string, opts: SampleOptions): Promise<number> {
  const plan = planOf(opts);
  if (opts.seed !== undefined && !opts.seed.trim()) throw new UserError('--seed: empty; give the seed text, or leave it out to seed with the population\'s sha256');
  const controls = opts.control ? [opts.control] : controlsOf(packDir);
  const docs: SampleDocument[] = [];
  for (const c of controls) docs.push(await draw(packDir, c, plan, opts.seed));
  if (opts.out) {
    await mkdir(opts.out, { recursive: true });
    for (const d of docs) {
      const file = join(opts.out, `${d.control}.json`);
      if (existsSync(file)) throw new UserError(`${file}: already exists`);
      await writeFile(file, `${JSON.stringify(d, null, 2)}\n`);
    }
  }
  if (opts.json) stdout(`${JSON.stringify(docs, null, 2)}\n`);
  else if (!opts.quiet) {
    stdout(`Method: ${docs[0]?.method ?? ''}\nSize: ${describePlan(plan)}${plan.kind === 'table' ? ` (${plan.source})` : ''}\n`);
    for (const d of docs) {
      stdout(`${d.control}: ${d.size} of ${d.population.eligible} passing rows of ${d.population.file} (${d.population.rows} rows, sha256 ${d.population.sha256}); seed ${d.seedSource === 'given' ? JSON.stringify(d.seed) : "the population's sha256"}; ${d.exceptions.total} exception(s)\n`);
      for (const s of d.sample) stdout(`  row ${s.row}: ${s.key}\n`);
    }
    if (opts.out) stdout(`Wrote ${docs.length} sample file(s) into ${opts.out}\n`);
  }
  return ExitCode.ok;
}

/** Draws samples from a pack's populations, or re-derives a sample file (--verify): 0 when it matches, 3 when not. */
export async function sampleCommand(opts: SampleOptions): Promise<number> {
  const run = (dir: string) => (opts.verify ? verifySample(dir, opts) : drawSamples(dir, opts));
  if (!opts.pack.endsWith('.zip')) return run(opts.pack);
  const tmp = await mkdtemp(join(tmpdir(), 'evidence-pack-sample-'));
  const forget = removeOnInterrupt(tmp);
  try {
    return await run(await extractPackArchive(opts.pack, tmp));
  } finally {
    await rm(tmp, { recursive: true, force: true });
    forget();
  }
}
