import { mkdtemp, rm } from 'node:fs/promises';
import { removeOnInterrupt } from '../interrupt.ts';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { diffPacks, driftMarkdown, type Drift } from '../diff/diff.ts';
import { ExitCode } from '../errors.ts';
import { openVerifiedPack } from '../pack/open-verified.ts';

export type FailOn = 'regressed' | 'gap' | 'fail';

const verifiedPack = async (pack: string, tmp: string) => {
  const opened = await openVerifiedPack(pack, tmp, 'compare');
  return { dir: opened.dir, result: opened.result };
};

function tripped(d: Drift, failOn: FailOn[]): string[] {
  const hits: string[] = [];
  if (failOn.includes('regressed') && d.counts.regressed + d.counts['new-failing'] + d.counts['waiver-expired'] > 0) hits.push('regressed');
  if (failOn.includes('gap') && d.counts['new-gap'] > 0) hits.push('gap');
  if (failOn.includes('fail') && d.controls.some((c) => c.after === 'fail')) hits.push('fail');
  return hits;
}

export async function diffCommand(opts: { previous: string; current: string; format: 'md' | 'json'; failOn?: FailOn[] }): Promise<number> {
  const tmp = await mkdtemp(join(tmpdir(), 'evidence-pack-diff-'));
  const forget = removeOnInterrupt(tmp);
  try {
    const drift = await diffPacks(await verifiedPack(opts.previous, tmp), await verifiedPack(opts.current, tmp));
    const names = { previous: basename(opts.previous).replace(/\.zip$/, ''), current: basename(opts.current).replace(/\.zip$/, '') };
    process.stdout.write(opts.format === 'json' ? `${JSON.stringify({ ...names, ...drift }, null, 2)}\n` : driftMarkdown(drift, names));
    const hits = tripped(drift, opts.failOn ?? []);
    if (hits.length) process.stderr.write(`evidence-pack: --fail-on ${hits.join(', ')}: condition met\n`);
    return hits.length ? ExitCode.failOn : ExitCode.ok;
  } finally {
    await rm(tmp, { recursive: true, force: true });
    forget();
  }
}
