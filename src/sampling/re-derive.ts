// A sample drawn from a pack's population file, and a sample file re-derived from it (`sample --verify`, the request list).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, InputError, UserError } from '../core/errors.ts';
import { populationFileOf } from './population.ts';
import { drawFromPopulationFile, sampleDifferences, sampleSchema, type SampleDocument } from './sample.ts';
import { confidences, sampleSizeTable, tablePlan, tolerableDeviations, type SamplePlan } from './sizes.ts';

const sha256Of = (path: string) =>
  new Promise<string>((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (c) => hash.update(c))
      .on('end', () => resolve(hash.digest('hex')));
  });

/** Draws a sample of one control's population file in the pack (`--control` names the control). */
export async function drawFromPack(packDir: string, control: string, plan: SamplePlan, seed?: string): Promise<SampleDocument> {
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
  if (typeof doc.control !== 'string' || typeof doc.seed !== 'string' || !doc.population || !Array.isArray(doc.sample))
    throw new InputError(file, undefined, 'not a sample file (control, seed, population and sample expected)');
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
  const derived = await drawFromPack(packDir, doc.control, plan, doc.seedSource === 'given' ? doc.seed : undefined);
  const problems = sampleDifferences(doc, derived);
  if (doc.seedSource !== 'given' && doc.seed !== derived.seed) problems.unshift(`seed: ${doc.seed} is not the population's sha256 ${derived.seed}`);
  if (doc.plan.kind === 'table' && doc.plan.size !== sampleSizeTable[plan.kind === 'table' ? plan.confidence : 95][plan.kind === 'table' ? plan.tolerableDeviation : 5])
    problems.unshift(`plan.size: ${doc.plan.size}, where the table gives ${plan.size}`);
  return { doc, plan, derived, problems };
}
