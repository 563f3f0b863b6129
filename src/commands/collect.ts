import { basename, dirname } from 'node:path';
import { runTime } from '../clock.ts';
import { collect } from '../collect/collect.ts';
import { ExitCode, UserError } from '../errors.ts';
import { writeDirAtomically } from '../pack/atomic-dir.ts';
import { createProgress } from '../progress.ts';
import { report, type GlobalOptions } from './output.ts';

export interface CollectCommandOptions extends GlobalOptions {
  region?: string[];
  allRegions?: boolean;
  profile?: string;
  out: string;
  organization: string;
  force?: boolean;
}

/** Live AWS → an evidence directory that `run --evidence` reads like the sample. */
export async function collectCommand(opts: CollectCommandOptions): Promise<number> {
  if (!opts.region?.length && !opts.allRegions) throw new UserError('collect: name the regions with --region (repeatable) or use --all-regions');
  if (opts.region?.length && opts.allRegions) throw new UserError('collect: --region and --all-regions exclude each other');
  const regions = opts.allRegions ? 'all' as const : opts.region!;
  const progress = createProgress({ quiet: opts.quiet || opts.json, total: (regions === 'all' ? 17 : regions.length) * 7 });
  const done = await writeDirAtomically(dirname(opts.out), async (tmp) => ({
    name: basename(opts.out),
    outcome: await collect(tmp, { regions, profile: opts.profile, organization: opts.organization, collectedAt: runTime(), onProgress: (l) => progress.stage(l) }),
  }), { force: opts.force });
  progress.done();
  const { outcome } = done;
  const calls = outcome.log.calls.reduce((n, c) => n + Math.max(c.pages, 1), 0);
  report(opts,
    `Wrote ${done.path}: account ${outcome.account}, ${outcome.regions.length} region(s), ${outcome.log.calls.length} operations (${calls} API pages), ${outcome.gaps.length} gap(s)${outcome.gaps.length ? `: ${outcome.gaps.slice(0, 3).map((g) => `${g.region} ${g.api}`).join('; ')}${outcome.gaps.length > 3 ? '; …' : ''}` : ''}`,
    { snapshot: done.path, account: outcome.account, identity: outcome.identity, regions: outcome.regions, gaps: outcome.gaps, operations: outcome.log.calls.length });
  return outcome.gaps.length ? ExitCode.completedWithGaps : ExitCode.ok;
}
