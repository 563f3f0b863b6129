// Evidence from the configuration snapshot files AWS Config delivered (to S3, or copied to a local
// directory): per account and region, the snapshot closest to the period end is copied, as a stream,
// into the evidence directory, and the choice is recorded.
import { createWriteStream } from 'node:fs';
import { listFilesUnder } from '../core/files.ts';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { UserError } from '../core/errors.ts';
import { parseDeliveredName } from '../evidence/delivered-name.ts';
import type { SnapshotMeta } from '../evidence/types.ts';
import type { Period } from '../core/period.ts';
import { clientConfigFor, snapshotIdFor, writeSnapshotFiles, type CollectOutcome } from './collect.ts';
import type { CollectionLog } from './log.ts';
import { CollectionSession, paginate } from './session.ts';

export interface DeliveredFile {
  location: string;
  name: string;
  account: string;
  region: string;
  time: string;
}

export interface SnapshotChoice {
  account: string;
  region: string;
  file: string;
  snapshotTime: string;
  /** How the chosen file relates to the period end. */
  relation: 'at-or-before-end' | 'after-end' | 'latest';
  candidates: number;
}

export interface DeliveredOptions {
  /** A local directory, or s3://bucket/prefix. */
  source: string;
  period?: Period;
  region?: string;
  profile?: string;
  organization: string;
  collectedAt: string;
  onProgress?: (label: string) => void;
}

function delivered(location: string): DeliveredFile | undefined {
  const parsed = parseDeliveredName(location);
  return parsed && { location, ...parsed };
}

/** Per account and region: the latest snapshot at or before the period end, else the first after it (said so); without a period, the latest. */
export function chooseSnapshots(files: DeliveredFile[], period?: Period): { file: DeliveredFile; choice: SnapshotChoice }[] {
  const groups = new Map<string, DeliveredFile[]>();
  for (const f of files) {
    const key = `${f.account}/${f.region}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(f);
  }
  return [...groups.values()]
    .map((group) => {
      const sorted = group.sort((a, b) => a.time.localeCompare(b.time) || a.name.localeCompare(b.name));
      const before = period ? sorted.filter((f) => f.time < period.to) : sorted;
      const file = before.at(-1) ?? sorted[0]!;
      const relation = !period ? 'latest' : before.length ? 'at-or-before-end' : 'after-end';
      return { file, choice: { account: file.account, region: file.region, file: file.name, snapshotTime: file.time, relation, candidates: group.length } as SnapshotChoice };
    })
    .sort((a, b) => a.file.account.localeCompare(b.file.account) || a.file.region.localeCompare(b.file.region));
}

function localFiles(dir: string): DeliveredFile[] {
  let entries: string[];
  try {
    entries = listFilesUnder(dir).map((p) => join(dir, p));
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`--from-files ${dir}: cannot read the directory (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return entries.map((p) => delivered(p)).filter((f): f is DeliveredFile => f !== undefined);
}

export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!m) throw new UserError(`--from-files ${url}: not an s3://bucket/prefix address`);
  return { bucket: m[1]!, prefix: m[2] ?? '' };
}

export async function collectDelivered(dir: string, opts: DeliveredOptions): Promise<CollectOutcome> {
  const session = new CollectionSession(dir, opts.onProgress);
  const s3Source = opts.source.startsWith('s3://') ? parseS3Url(opts.source) : undefined;
  let found: DeliveredFile[];
  let s3: S3Client | undefined;
  let identity = 'local files';
  const where = { account: '-', region: opts.region ?? '-' };
  try {
    if (s3Source) {
      const { bucket, prefix } = s3Source;
      const config = clientConfigFor(opts.profile)(opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1');
      // An endpoint other than AWS's (tests, S3-compatible stores) usually serves buckets by path.
      s3 = new S3Client({ ...config, forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL) });
      const keys: string[] = [];
      const listed = await session.run('s3:ListObjectsV2', where, opts.source, async () => {
        let pages = 0;
        let attempts = 0;
        for await (const page of paginate(paginateListObjectsV2, { client: s3!, pageSize: 1000 }, { Bucket: bucket, Prefix: prefix })) {
          pages++;
          attempts += page.$metadata.attempts ?? 1;
          for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
        }
        return { pages: Array.from({ length: pages }), attempts };
      });
      if (!listed) throw new UserError(`--from-files ${opts.source}: cannot list the bucket: ${session.gaps.at(-1)!.reason}`);
      found = keys.map((k) => delivered(k)).filter((f): f is DeliveredFile => f !== undefined);
      identity = `s3://${bucket}`;
    } else {
      found = localFiles(opts.source);
    }
    if (found.length === 0) throw new UserError(`--from-files ${opts.source}: no AWS Config snapshot files (<account>_Config_<region>_ConfigSnapshot_<time>_<id>.json[.gz]) found`);

    const chosen = chooseSnapshots(found, opts.period);
    await mkdir(join(dir, 'config-snapshots'), { recursive: true });
    for (const { file } of chosen) {
      const target = join(dir, 'config-snapshots', file.name);
      if (s3Source) {
        await session.run('s3:GetObject', { account: file.account, region: file.region }, file.location, async () => {
          const out = await s3!.send(new GetObjectCommand({ Bucket: s3Source.bucket, Key: file.location }));
          await pipeline(out.Body as Readable, createWriteStream(target));
          return { pages: [out.ContentLength], attempts: out.$metadata.attempts ?? 1 };
        });
      } else {
        await copyFile(file.location, target);
      }
    }
    const copied = chosen.filter(({ file }) => !session.gaps.some((g) => g.api === 's3:GetObject' && g.account === file.account && g.region === file.region));
    if (copied.length === 0) throw new UserError(`--from-files ${opts.source}: no snapshot file could be read (${session.gaps[0]?.reason ?? 'unknown'})`);

    const { calls, gaps } = session.sorted();
    const log: CollectionLog & { snapshots: SnapshotChoice[] } = { schema: 'evidence-pack/collection-log@1', calls, snapshots: chosen.map((c) => c.choice) };
    const accounts = [...new Set(chosen.map((c) => c.file.account))].sort();
    const regions = [...new Set(chosen.map((c) => c.file.region))].sort();
    const evidenceTime = copied
      .map((c) => c.file.time)
      .sort()
      .at(-1)!;
    const afterEnd = chosen.filter((c) => c.choice.relation === 'after-end');
    const meta: SnapshotMeta = {
      schema: 'evidence-pack/snapshot@1',
      snapshotId: snapshotIdFor(accounts.join('-').slice(0, 64), evidenceTime).replace(/^live-/, 'files-'),
      organization: opts.organization,
      collectedAt: evidenceTime,
      collector: {
        method: 'files',
        description:
          `AWS Config snapshot files from ${opts.source}: ${found.length} found, ${chosen.length} chosen, ` +
          (opts.period ? `the latest at or before the end of ${opts.period.label} (${opts.period.to}) per account and region` : 'the latest per account and region') +
          (afterEnd.length ? `; none before the end for ${afterEnd.map((c) => `${c.file.account}/${c.file.region}`).join(', ')}, so the first after it` : ''),
        identity,
      },
      scope: { accounts, regions },
      gaps,
      ...(opts.period && !afterEnd.length ? { asOf: { period: opts.period.label, to: opts.period.to, basis: 'delivered-snapshots' as const } } : {}),
    };
    await writeSnapshotFiles(dir, log, meta);
    return { account: accounts[0]!, accounts, identity, regions, gaps, log };
  } finally {
    s3?.destroy();
  }
}
