import { basename, dirname } from 'node:path';
import { runTime } from '../../core/clock.ts';
import { inventoryResourceTypes } from '../../checks/inventory-types.ts';
import { collect, type CollectOutcome } from '../../collect/collect.ts';
import { credentialsExpiry } from '../../collect/session.ts';
import { ExitCode, UserError } from '../../core/errors.ts';
import { writeDirAtomically } from '../../core/atomic-dir.ts';
import { resolvePeriod, type Period } from '../../core/period.ts';
import type { CloudTrailLogOutcome } from '../../collect/cloudtrail-logs.ts';
import { createProgress } from '../../core/progress.ts';
import { report, type GlobalOptions } from './output.ts';
import { stderr } from '../../core/io.ts';

export interface CollectCommandOptions extends GlobalOptions {
  region?: string[];
  allRegions?: boolean;
  profile?: string;
  out: string;
  organization: string;
  force?: boolean;
  aggregator?: string;
  assumeRole?: string;
  fromFiles?: string;
  cloudtrailLogs?: string;
  period?: string;
  from?: string;
  to?: string;
  tz?: string;
}

/** Live AWS → an evidence directory that `run --evidence` reads like the sample. */
export async function collectCommand(opts: CollectCommandOptions): Promise<number> {
  if (opts.fromFiles) {
    if (opts.aggregator || opts.allRegions || opts.assumeRole) throw new UserError('collect --from-files reads delivered files only: leave out --aggregator, --all-regions and --assume-role');
    if ((opts.region?.length ?? 0) > 1) throw new UserError("collect --from-files: at most one --region (the bucket's)");
  } else if (opts.aggregator) {
    if (opts.period || opts.from || opts.to)
      throw new UserError('collect --aggregator: --period is not available through an aggregator (AWS has no aggregated configuration history); collect the accounts one by one, or use --from-files');
    if (opts.allRegions || opts.region?.length !== 1)
      throw new UserError(`collect --aggregator ${opts.aggregator}: give the aggregator's home region with one --region (the aggregator covers the others)`);
  } else {
    if (!opts.region?.length && !opts.allRegions) throw new UserError('collect: name the regions with --region (repeatable) or use --all-regions');
    if (opts.region?.length && opts.allRegions) throw new UserError('collect: --region and --all-regions exclude each other');
    if (opts.assumeRole) throw new UserError("collect: --assume-role is for --aggregator (the member accounts' role)");
  }
  const regions = opts.allRegions ? ('all' as const) : (opts.region ?? []);
  const progress = createProgress({ quiet: opts.quiet || opts.json, total: opts.aggregator ? 40 : (regions === 'all' ? 17 : regions.length) * 7 });
  const common = { profile: opts.profile, organization: opts.organization, collectedAt: runTime(), resourceTypes: inventoryResourceTypes(), onProgress: (l: string) => progress.stage(l) };
  const period = opts.period || opts.from || opts.to ? resolvePeriod(opts, common.collectedAt) : undefined;
  const done = await writeDirAtomically(
    dirname(opts.out),
    async (tmp) => ({
      name: basename(opts.out),
      outcome: await withCloudTrailLogs(
        tmp,
        opts.cloudtrailLogs,
        period,
        common.onProgress,
        opts.fromFiles
          ? await (
              await import('../../collect/delivered.ts')
            ).collectDelivered(tmp, {
              ...common,
              source: opts.fromFiles,
              region: regions[0],
              period,
            })
          : opts.aggregator
            ? await (await import('../../collect/aggregator.ts')).collectAggregator(tmp, { ...common, aggregator: opts.aggregator, region: regions[0]!, assumeRole: opts.assumeRole })
            : await collect(tmp, { ...common, regions, period }),
      ),
    }),
    { force: opts.force },
  );
  progress.done();
  const { outcome } = done;
  const calls = outcome.log.calls.reduce((n, c) => n + Math.max(c.pages, 1), 0);
  report(
    opts,
    `Wrote ${done.path}: ${opts.fromFiles ? `delivered snapshots of ${outcome.accounts.length} account(s)` : opts.aggregator ? `aggregator ${opts.aggregator} (${outcome.accounts.length} account(s))` : `account ${outcome.account}`}, ${outcome.regions.length} region(s), ${outcome.log.calls.length} operations (${calls} API pages), ${outcome.gaps.length} gap(s)${
      outcome.gaps.length
        ? `: ${outcome.gaps
            .slice(0, 3)
            .map((g) => `${g.region} ${g.api}`)
            .join('; ')}${outcome.gaps.length > 3 ? '; …' : ''}`
        : ''
    }` + (outcome.cloudtrailLogs ? `; CloudTrail log files: ${outcome.cloudtrailLogs.files} read, ${outcome.cloudtrailLogs.events} events summarised` : ''),
    {
      snapshot: done.path,
      ...(outcome.cloudtrailLogs ? { cloudtrailLogs: outcome.cloudtrailLogs } : {}),
      account: outcome.account,
      accounts: outcome.accounts,
      identity: outcome.identity,
      regions: outcome.regions,
      gaps: outcome.gaps,
      operations: outcome.log.calls.length,
    },
  );
  const expiry = credentialsExpiry(outcome.gaps);
  if (expiry) {
    stderr(
      `evidence-pack: collect: the credentials expired during the collection (${expiry.reason}); ${expiry.notCalled} call(s) not made after it, each a gap; what was collected is kept in ${done.path}: renew the credentials and collect again\n`,
    );
    return ExitCode.credentialsExpired;
  }
  return outcome.gaps.length ? ExitCode.completedWithGaps : ExitCode.ok;
}

/** The collection, then the CloudTrail log files of its accounts and regions when --cloudtrail-logs names them. */
async function withCloudTrailLogs(
  dir: string,
  logs: string | undefined,
  period: Period | undefined,
  onProgress: (l: string) => void,
  outcome: CollectOutcome,
): Promise<CollectOutcome & { cloudtrailLogs?: CloudTrailLogOutcome }> {
  if (!logs) return outcome;
  const { addCloudTrailLogs } = await import('../../collect/cloudtrail-logs.ts');
  return { ...outcome, cloudtrailLogs: await addCloudTrailLogs(dir, logs, period, onProgress) };
}
