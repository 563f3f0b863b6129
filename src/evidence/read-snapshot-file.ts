// One configuration snapshot file (delivered by AWS Config or written by collect), streamed item by item.
import { join } from 'node:path';
import { InputError } from '../core/errors.ts';
import { checkConfigItem, checkSnapshotHeader, resourceFromConfigurationItem } from './config-items.ts';
import { parseDeliveredName } from './delivered-name.ts';
import { streamConfigSnapshot } from './snapshot-stream.ts';
import type { EvidenceCopies } from './evidence-copies.ts';
import { copiesVerbatim } from '../redact/detect.ts';
import type { Resource } from './types.ts';

export const configSnapshotFile = /^config-snapshots\/[^/]+\.json(\.gz)?$/;

export interface SnapshotFileContext {
  dir: string;
  /** The path errors name for a file of the evidence directory. */
  shown(rel: string): string;
  /** Throws when an account or region is outside snapshot.json's scope. */
  inScope(file: string, account: string, region: string): void;
  copies?: EvidenceCopies;
  /** Each configuration item, in order. */
  addResource(r: Resource): void;
}

export interface SnapshotFileRead {
  rel: string;
  sha256: string;
  bytes: number;
  /** Whose inventory the file is: from its name, else from its first item (an empty unnamed file says nothing). */
  located?: { account: string; region: string };
  delivered?: ReturnType<typeof parseDeliveredName>;
}

export async function readConfigSnapshotFile(rel: string, ctx: SnapshotFileContext): Promise<SnapshotFileRead> {
  const shown = ctx.shown(rel);
  const delivered = parseDeliveredName(rel);
  // AWS names delivered files <account>_Config_<region>_ConfigSnapshot_…; an empty file still says where it is from.
  let located = delivered ? { account: delivered.account, region: delivered.region } : undefined;
  if (located) ctx.inScope(shown, located.account, located.region);
  const copy = ctx.copies?.snapshot(rel);
  const streamed = await streamConfigSnapshot(join(ctx.dir, rel), shown, async (ci: any, i, text) => {
    const field = `configurationItems[${i}]`;
    checkConfigItem(ci, text, shown, field);
    const account = ci.awsAccountId ?? ci.accountId;
    ctx.inScope(shown, account, ci.awsRegion);
    located ??= { account, region: ci.awsRegion };
    // AWS delivers one account and region's items (and global resources) in a file named for them.
    if (delivered && account !== delivered.account) throw new InputError(shown, `${field}.awsAccountId`, `account ${account}, but the file is named for account ${delivered.account}`);
    if (delivered && ci.awsRegion !== delivered.region && ci.awsRegion !== 'global')
      throw new InputError(shown, `${field}.awsRegion`, `region ${ci.awsRegion}, but the file is named for region ${delivered.region}`);
    const clean = copiesVerbatim(text);
    ctx.addResource({ ...resourceFromConfigurationItem(ci, { file: rel, pointer: `/configurationItems/${i}`, api: 'AWS Config snapshot' }, shown, field), textClean: clean });
    await copy?.item(ci, text, clean);
  });
  checkSnapshotHeader(streamed.header, shown);
  await copy?.end(streamed.header);
  return { rel, sha256: streamed.sha256, bytes: streamed.bytes, located, delivered };
}
