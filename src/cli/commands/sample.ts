import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, InputError, UserError } from '../../core/errors.ts';
import { removeOnInterrupt } from '../../core/interrupt.ts';
import { extractPackArchive } from '../../sign/read-archive.ts';
import { populationIndexFile } from '../../sampling/pack-sampling.ts';
import { drawFromPack, reDeriveSampleFile } from '../../sampling/re-derive.ts';
import type { SampleDocument } from '../../sampling/sample.ts';
import { confidences, defaultPlan, describePlan, tablePlan, tolerableDeviations, type Confidence, type SamplePlan, type TolerableDeviation } from '../../sampling/sizes.ts';
import { report, type GlobalOptions } from './output.ts';
import { stdout, stderr } from '../../core/io.ts';

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
  report(
    opts,
    `Sample ${opts.verify} matches: ${derived.size} of ${derived.population.eligible} passing rows of ${derived.population.file} (sha256 ${derived.population.sha256}), ${describePlan(plan)}, seed ${doc.seedSource === 'given' ? 'given' : "the population's sha256"}`,
    { sample: opts.verify, matches: true, control: doc.control, population: derived.population, size: derived.size },
  );
  return ExitCode.ok;
}

async function drawSamples(packDir: string, opts: SampleOptions): Promise<number> {
  const plan = planOf(opts);
  if (opts.seed !== undefined && !opts.seed.trim()) throw new UserError("--seed: empty; give the seed text, or leave it out to seed with the population's sha256");
  const controls = opts.control ? [opts.control] : controlsOf(packDir);
  const docs: SampleDocument[] = [];
  for (const c of controls) docs.push(await drawFromPack(packDir, c, plan, opts.seed));
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
      stdout(
        `${d.control}: ${d.size} of ${d.population.eligible} passing rows of ${d.population.file} (${d.population.rows} rows, sha256 ${d.population.sha256}); seed ${d.seedSource === 'given' ? JSON.stringify(d.seed) : "the population's sha256"}; ${d.exceptions.total} exception(s)\n`,
      );
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
