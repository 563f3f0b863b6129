// The flags `run` and `evaluate` share, as evaluateStage takes them.
import type { Period } from '../../core/period.ts';
import type { EvaluateOptions } from '../../pack/stages.ts';

export interface EvaluateFlags {
  attestations?: string;
  waivers?: string;
  organization?: string;
  maxEvaluationAge?: number;
  threads?: number;
  catalog?: string[];
}

export function evaluateOptions(flags: EvaluateFlags, period: Period, onProgress: (text: string) => void): EvaluateOptions {
  return {
    attestations: flags.attestations,
    waivers: flags.waivers,
    organization: flags.organization,
    period,
    maxEvaluationAgeDays: flags.maxEvaluationAge,
    threads: flags.threads,
    catalogs: flags.catalog,
    onProgress,
  };
}
