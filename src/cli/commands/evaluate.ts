import { basename, dirname } from 'node:path';
import { runTime } from '../../core/clock.ts';
import { createProgress } from '../../core/progress.ts';
import { readSnapshotMeta } from '../../evidence/read.ts';
import { resolvePeriod } from '../../core/period.ts';
import { writeDirAtomically } from '../../core/atomic-dir.ts';
import { evaluateStage } from '../../pack/stages.ts';
import { sampleEvidenceDir } from '../../core/paths.ts';
import { evaluateOptions } from './evaluate-options.ts';
import { report, statusCounts, type GlobalOptions } from './output.ts';

export async function evaluateCommand(
  opts: GlobalOptions & {
    evidence?: string;
    out: string;
    force?: boolean;
    attestations?: string;
    waivers?: string;
    organization?: string;
    period?: string;
    from?: string;
    to?: string;
    tz?: string;
    maxEvaluationAge?: number;
    threads?: number;
    catalog?: string[];
  },
): Promise<number> {
  const period = resolvePeriod(opts, runTime(), readSnapshotMeta(opts.evidence ?? sampleEvidenceDir));
  const generatedAt = runTime();
  const progress = createProgress({ quiet: opts.quiet || opts.json, total: 1 });
  progress.stage('Evaluating evidence');
  const done = await writeDirAtomically(
    dirname(opts.out),
    async (tmp) => ({
      name: basename(opts.out),
      result: await evaluateStage(
        opts.evidence ?? sampleEvidenceDir,
        tmp,
        generatedAt,
        evaluateOptions(opts, period, (t) => progress.detail(t)),
      ),
    }),
    { force: opts.force },
  );
  progress.done();
  report(opts, `Wrote ${done.path}/result.json: ${done.result.controls.length} controls: ${statusCounts(done.result.summary.controls)}`, {
    result: `${done.path}/result.json`,
    controls: done.result.summary.controls,
    evidence: done.result.summary.evidence,
  });
  return 0;
}
