// What the report says of a control's population and the items it lists: exceptions up to a bound, the
// sample of passing items, and where every item is.
import { linesFileNames, type ControlResult, type EvidenceItem } from '../evaluate/result.ts';
import { listedExceptions, selectionMethod } from './draw.ts';
import { defaultPlan, describePlan, sampleSizeSource, tablePlan } from './sizes.ts';
import type { ControlSampling, PackSampling } from './pack-sampling.ts';

export type { PackSampling };

const n = (x: number) => x.toLocaleString('en-US');

export function samplingNote(c: ControlResult, s: ControlSampling | undefined) {
  if (!s) return undefined;
  const exceptions = c.counts.fail + c.counts.gap + c.counts.waived;
  const listed = Math.min(exceptions, listedExceptions);
  return {
    exceptionsListed: listedExceptions,
    sampleItems: s.sample?.items ?? ([] as EvidenceItem[]),
    population: { file: s.population.file, rows: n(s.population.rows), sha256: s.population.sha256 },
    listing: {
      bound: n(listedExceptions),
      exceptions: n(exceptions),
      exceptionsListed: n(listed),
      exceptionsUnlisted: exceptions > listed ? n(exceptions - listed) : undefined,
      itemsFiles: c.items?.length ? linesFileNames(c.items) : 'result.json',
      sample: s.sample && {
        file: s.sample.file,
        size: n(s.sample.size),
        eligible: n(s.sample.eligible),
        plan: s.sample.plan,
        census: s.sample.size === s.sample.eligible,
        none: s.sample.eligible === 0,
      },
      passingUnlisted: !s.sample && c.counts.pass ? n(c.counts.pass) : undefined,
      notApplicable: c.counts['not-applicable'] ? n(c.counts['not-applicable']) : undefined,
    },
  };
}

/** The method section's paragraph: the bound, the selection and the table it sizes from. */
export function samplingMethod() {
  return { exceptionsListed: n(listedExceptions), plan: describePlan(tablePlan(defaultPlan.confidence, defaultPlan.tolerableDeviation)), source: sampleSizeSource, selection: selectionMethod };
}
