// CloudTrail log files (.json.gz, as CloudTrail delivers them to S3 and a user copies them) read in
// full: every event's TLS details, summarised per account and region into the evidence directory
// with the sha256 of each file read, so the evidence states exactly which files it stands for.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFilesUnder } from '../core/files.ts';
import pLimit from 'p-limit';
import { UserError } from '../core/errors.ts';
import { gunzipBounded } from '../evidence/gzip-limits.ts';
import { parseZonedTime } from '../evidence/json-file.ts';
import { TlsSummaryBuilder, type TrailEvent } from '../evidence/cloudtrail-summary.ts';
import type { SnapshotMeta } from '../evidence/types.ts';
import type { Period } from '../core/period.ts';
import { ensureDir } from '../core/ensure-dir.ts';

interface LogRecord extends TrailEvent {
  awsRegion?: string;
  recipientAccountId?: string;
}

export interface CloudTrailLogOutcome {
  files: number;
  events: number;
  /** Events left out: another account or region than the snapshot's, or outside the period. */
  outOfScope: number;
  /** The account/region pairs that got a summary. */
  written: string[];
}

/** The log files under dir, as '/'-separated paths relative to it. */
function listLogFiles(dir: string): string[] {
  let files: string[];
  try {
    files = listFilesUnder(dir).filter((f) => /\.json(\.gz)?$/.test(f));
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`--cloudtrail-logs ${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (e as Error).message}`);
  }
  if (files.length === 0) throw new UserError(`--cloudtrail-logs ${dir}: no CloudTrail log files (*.json.gz) in it`);
  return files;
}

/** Reads every log file under dir and writes aws/<account>/<region>/cloudtrail/LogFiles.json into evidenceDir. */
export async function summarizeCloudTrailLogs(
  dir: string,
  evidenceDir: string,
  scope: { accounts: string[]; regions: string[] },
  period?: Period,
  onProgress?: (label: string) => void,
): Promise<CloudTrailLogOutcome> {
  const files = listLogFiles(dir);
  const groups = new Map<string, { summary: TlsSummaryBuilder; files: { path: string; sha256: string; bytes: number; events: number }[] }>();
  const limit = pLimit(4);
  let events = 0;
  let outOfScope = 0;
  const window = period && { from: Date.parse(period.from), to: Date.parse(period.to) };
  await Promise.all(
    files.map((shown) =>
      limit(async () => {
        const file = join(dir, shown);
        const bytes = await readFile(file);
        let records: LogRecord[];
        try {
          const text = file.endsWith('.gz') ? gunzipBounded(bytes, file).toString('utf8') : bytes.toString('utf8');
          records = (JSON.parse(text) as { Records?: LogRecord[] }).Records as LogRecord[];
        } catch (e) {
          if (e instanceof UserError) throw e;
          throw new UserError(`${file}: not a CloudTrail log file (${(e as Error).message.split('\n')[0]})`);
        }
        if (!Array.isArray(records)) throw new UserError(`${file}: Records: missing; a CloudTrail log file holds {"Records": [...]}`);
        const perGroup = new Map<string, number>();
        for (const r of records) {
          const account = r.recipientAccountId;
          const at = typeof r.eventTime === 'string' ? parseZonedTime(r.eventTime) : NaN;
          if (r.eventTime !== undefined && Number.isNaN(at)) throw new UserError(`${file}: eventTime ${JSON.stringify(r.eventTime).slice(0, 60)}: not an ISO 8601 time with its zone`);
          const inPeriod = !window || (at >= window.from && at <= window.to);
          if (!account || !r.awsRegion || !scope.accounts.includes(account) || !scope.regions.includes(r.awsRegion) || !inPeriod) {
            outOfScope++;
            continue;
          }
          const key = `${account}/${r.awsRegion}`;
          const group = groups.get(key) ?? groups.set(key, { summary: new TlsSummaryBuilder(), files: [] }).get(key)!;
          group.summary.add(r);
          perGroup.set(key, (perGroup.get(key) ?? 0) + 1);
          events++;
        }
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        for (const [key, n] of perGroup) groups.get(key)!.files.push({ path: shown, sha256, bytes: bytes.length, events: n });
        onProgress?.(`CloudTrail ${shown}`);
      }),
    ),
  );

  for (const [key, group] of groups) {
    const [account, region] = key.split('/') as [string, string];
    const out = join(evidenceDir, 'aws', account, region, 'cloudtrail');
    await ensureDir(out);
    const summary = group.summary.build({ kind: 'log-files', files: group.files.length });
    const { basis: _basis, ...rest } = summary;
    const doc = { schema: 'evidence-pack/cloudtrail-log-files@1', files: group.files.sort((a, b) => a.path.localeCompare(b.path)), summary: rest };
    await writeFile(join(out, 'LogFiles.json'), `${JSON.stringify(doc, null, 2)}\n`);
  }
  return { files: files.length, events, outOfScope, written: [...groups.keys()].sort() };
}

/** Adds the log files' summaries to a collected evidence directory and says so in its snapshot.json. */
export async function addCloudTrailLogs(evidenceDir: string, logsDir: string, period?: Period, onProgress?: (label: string) => void): Promise<CloudTrailLogOutcome> {
  const metaFile = join(evidenceDir, 'snapshot.json');
  const meta = JSON.parse(await readFile(metaFile, 'utf8')) as SnapshotMeta;
  const outcome = await summarizeCloudTrailLogs(logsDir, evidenceDir, meta.scope, period, onProgress);
  meta.collector.description += `; CloudTrail log files: ${outcome.events} events of ${outcome.written.length} account-region(s) from ${outcome.files} file(s)${period ? ` in ${period.label}` : ''}, ${outcome.outOfScope} outside the scope left out`;
  await writeFile(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
  return outcome;
}
