// What render adds to a pack for the auditor: every control's population file and, per automated control,
// the default sample (seeded by the population's sha256, so it is fixed once the pack is signed).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceItem, Result } from '../evaluate/result.ts';
import { listedExceptions } from './draw.ts';
import { populationsDir, writePopulation, type PopulationInfo } from './population.ts';
import { drawFromItems, sampleFileOf, samplesDir } from './sample.ts';
import { defaultPlan, describePlan, tablePlan } from './sizes.ts';

export const populationIndexFile = `${populationsDir}/index.json`;

export interface ControlSampling {
  population: PopulationInfo;
  /** Automated controls only: the default sample of passing items. */
  sample?: { file: string; size: number; eligible: number; plan: string; items: EvidenceItem[] };
}

/** The report's view of a pack's populations and samples, by control id. */
export type PackSampling = ReadonlyMap<string, ControlSampling>;

/** Writes populations/ (one CSV a control and index.json) and samples/ (one JSON an automated control) into outDir. */
export async function writeSampling(result: Result, packDir: string, outDir: string): Promise<{ written: string[]; sampling: PackSampling }> {
  await mkdir(join(outDir, populationsDir), { recursive: true });
  await mkdir(join(outDir, samplesDir), { recursive: true });
  const sampling = new Map<string, ControlSampling>();
  const plan = tablePlan(defaultPlan.confidence, defaultPlan.tolerableDeviation);
  for (const c of result.controls) {
    const population = await writePopulation(packDir, outDir, c);
    const entry: ControlSampling = { population };
    if (c.assessment === 'automated') {
      const { document, items } = await drawFromItems(packDir, c, population, plan);
      const file = sampleFileOf(c.id);
      await writeFile(join(outDir, file), `${JSON.stringify(document, null, 2)}\n`);
      entry.sample = { file, size: document.size, eligible: document.population.eligible, plan: describePlan(plan), items };
    }
    sampling.set(c.id, entry);
  }
  const index = {
    schema: 'evidence-pack/populations@1',
    exceptionsListed: listedExceptions,
    populations: [...sampling.values()].map((s) => ({ ...s.population, sample: s.sample?.file })),
  };
  await writeFile(join(outDir, populationIndexFile), `${JSON.stringify(index, null, 2)}\n`);
  return { written: [populationsDir, samplesDir], sampling };
}
