/** How AWS Config names a delivered snapshot file: <account>_Config_<region>_ConfigSnapshot_<yyyymmddThhmmssZ>_<id>.json[.gz]. */
export const deliveredSnapshotName = /^(\d{12})_Config_([a-z0-9-]+)_ConfigSnapshot_(\d{8}T\d{6}Z)_([\w-]+)\.json(\.gz)?$/;

/** Account, region and snapshot time (ISO) from a delivered file's name (a path or S3 key is fine). */
export function parseDeliveredName(path: string): { name: string; account: string; region: string; time: string } | undefined {
  const name = path.split('/').pop()!;
  const m = deliveredSnapshotName.exec(name);
  if (!m) return undefined;
  const t = m[3]!;
  return { name, account: m[1]!, region: m[2]!, time: `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}.000Z` };
}
