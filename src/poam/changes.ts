// What changed in the POA&M between two packs, for `diff` (and drift.json) and `attach`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { poamFile, type PoamDocument } from './poam.ts';

export interface PoamChanges {
  open: number;
  overdue: number;
  /** Open now, not open in the previous pack (ids). */
  new: string[];
  /** Open in the previous pack, closed or gone now (ids). */
  closed: string[];
}

/** A pack directory's poam.json, if it has one (packs made before POA&Ms were written have none). */
export function readPoamOf(dir: string): PoamDocument | undefined {
  const file = join(dir, poamFile);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PoamDocument) : undefined;
}

export function poamChanges(previous: PoamDocument | undefined, current: PoamDocument | undefined): PoamChanges | undefined {
  if (!current) return undefined;
  const openIds = (d?: PoamDocument) => new Set((d?.items ?? []).filter((i) => i.status !== 'closed').map((i) => i.id));
  const before = openIds(previous);
  const now = openIds(current);
  return {
    open: current.counts.open,
    overdue: current.counts.overdue,
    new: [...now].filter((id) => !before.has(id)).sort(),
    closed: [...before].filter((id) => !now.has(id)).sort(),
  };
}

/** "37 open (2 overdue); 3 new, 1 closed": one line for a ticket or the drift. */
export function poamChangesLine(c: PoamChanges): string {
  return `${c.open} open (${c.overdue} overdue); ${c.new.length} new, ${c.closed.length} closed`;
}
