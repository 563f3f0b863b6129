import { mkdtemp, rm } from 'node:fs/promises';
import { removeOnInterrupt } from '../../core/interrupt.ts';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { diffPacks, driftMarkdown, type Drift } from '../../period/drift.ts';
import { ExitCode } from '../../core/errors.ts';
import { openVerifiedPack, signerNotVerifiedLine } from '../../pack/open-verified.ts';
import { trustAnchors, type TrustedKey, type TrustOptions } from '../../sign/trust.ts';
import { stdout, stderr } from '../../core/io.ts';

export type FailOn = 'regressed' | 'gap' | 'fail';

const verifiedPack = async (pack: string, tmp: string, trusted: TrustedKey[]) => {
  const opened = await openVerifiedPack(pack, tmp, 'compare', trusted);
  return { dir: opened.dir, result: opened.result, signer: { key: opened.verification.keyFingerprint, verified: opened.verification.signerVerified } };
};

function tripped(d: Drift, failOn: FailOn[]): string[] {
  const hits: string[] = [];
  if (failOn.includes('regressed') && d.counts.regressed + d.counts['new-failing'] + d.counts['waiver-expired'] > 0) hits.push('regressed');
  if (failOn.includes('gap') && d.counts['new-gap'] > 0) hits.push('gap');
  if (failOn.includes('fail') && d.controls.some((c) => c.after === 'fail')) hits.push('fail');
  return hits;
}

/**
 * Compares two packs, both verified first. A pack signed by a key the anchors do not name is refused
 * (exit 3); with no anchor at all the drift is printed, each unanchored pack is named on stderr and in
 * the output, and the exit code is 8 unless a --fail-on condition (6) was met.
 */
export async function diffCommand(opts: TrustOptions & { previous: string; current: string; format: 'md' | 'json'; failOn?: FailOn[] }): Promise<number> {
  const trusted = await trustAnchors(opts);
  const tmp = await mkdtemp(join(tmpdir(), 'evidence-pack-diff-'));
  const forget = removeOnInterrupt(tmp);
  try {
    const previous = await verifiedPack(opts.previous, tmp, trusted);
    const current = await verifiedPack(opts.current, tmp, trusted);
    const drift = await diffPacks(previous, current);
    const names = { previous: basename(opts.previous).replace(/\.zip$/, ''), current: basename(opts.current).replace(/\.zip$/, '') };
    const signers = { previous: previous.signer, current: current.signer };
    const unverified = (['previous', 'current'] as const).filter((k) => !signers[k].verified);
    const note = unverified.map((k) => `> Signer not verified: ${names[k]} (key ${signers[k].key}); pin it with --expect-key or trusted-keys.\n`).join('');
    stdout(opts.format === 'json' ? `${JSON.stringify({ ...names, signers, ...drift }, null, 2)}\n` : `${driftMarkdown(drift, names)}${note ? `\n${note}` : ''}`);
    for (const k of unverified) stderr(`evidence-pack: ${signerNotVerifiedLine(opts[k], signers[k].key)}\n`);
    const hits = tripped(drift, opts.failOn ?? []);
    if (hits.length) stderr(`evidence-pack: --fail-on ${hits.join(', ')}: condition met\n`);
    return hits.length ? ExitCode.failOn : unverified.length ? ExitCode.signerNotVerified : ExitCode.ok;
  } finally {
    await rm(tmp, { recursive: true, force: true });
    forget();
  }
}
