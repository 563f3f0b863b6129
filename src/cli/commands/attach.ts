import { existsSync } from 'node:fs';
import { removeOnInterrupt } from '../../core/interrupt.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { copyFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { commentOnGithub, parseGithubIssue } from '../../attach/github.ts';
import { attachmentName, attachToJira, type JiraFlavor } from '../../attach/jira.ts';
import { parseControlList, requestListName, writeRequestList } from '../../attach/request-list.ts';
import { packFacts } from '../../attach/summary.ts';
import { ExitCode, UserError } from '../../core/errors.ts';
import { writePackArchive } from '../../pack/archive.ts';
import { openVerifiedPack, signerNotVerifiedLine } from '../../pack/open-verified.ts';
import { trustAnchors, type TrustedKey, type TrustOptions } from '../../sign/trust.ts';
import { outputs } from '../../pack/stages.ts';
import { createProgress } from '../../core/progress.ts';
import { report, type GlobalOptions } from './output.ts';

export interface AttachOptions extends GlobalOptions, TrustOptions {
  pack: string;
  jira?: string;
  jiraFlavor?: JiraFlavor;
  issue?: string;
  github?: string;
  link?: string;
  /** Attach the sample as the auditor's request list: '' for every sampled control, or "A,B". */
  requestList?: string;
  /** Sample files (evidence-pack sample --out) listed instead of the pack's default samples. */
  sample?: string[];
}

/**
 * The archive that will be uploaded, verified as it is: the .zip given, the .zip beside a pack
 * directory, or one made now from the (verified) directory.
 */
async function verifiedArchive(pack: string, tmp: string, trusted: TrustedKey[]) {
  const dir = pack.replace(/\/+$/, '');
  if (dir.endsWith('.zip')) return { archive: dir, pack: await signedByTrustedKey(dir, tmp, trusted) };
  const beside = `${dir}.zip`;
  if (existsSync(beside)) return { archive: beside, pack: await signedByTrustedKey(beside, tmp, trusted) };
  const opened = await signedByTrustedKey(dir, tmp, trusted);
  const archive = join(tmp, `${opened.verification.packId ?? basename(dir)}.zip`);
  await writePackArchive(dir, opened.verification.packId ?? basename(dir), archive, new Date(opened.result.generatedAt));
  return { archive, pack: opened };
}

/** A ticket is where a pack is handed over as evidence: one whose signer nobody vouched for is not sent (exit 8). */
async function signedByTrustedKey(pack: string, tmp: string, trusted: TrustedKey[]) {
  const opened = await openVerifiedPack(pack, tmp, 'attach it', trusted);
  if (!opened.verification.signerVerified) throw new UserError(`${signerNotVerifiedLine(pack, opened.verification.keyFingerprint)}; refusing to attach it`, ExitCode.signerNotVerified);
  return opened;
}

export async function attachCommand(opts: AttachOptions): Promise<number> {
  if (!opts.jira && !opts.github) throw new UserError('attach: name a ticket with --jira URL --issue KEY, or --github owner/repo#N');
  if (opts.jira && !opts.issue) throw new UserError('--jira needs --issue KEY (e.g. AUDIT-42)');
  if (opts.github && parseGithubIssue(opts.github) && !opts.link)
    throw new UserError(`--github ${opts.github}: GitHub cannot hold the archive: store it (an Actions artifact, S3, a share) and name the place with --link`);
  if (!existsSync(opts.pack)) throw new UserError(`${opts.pack}: not found`);
  const trusted = await trustAnchors(opts);
  const tmp = await mkdtemp(join(tmpdir(), 'evidence-pack-attach-'));
  const forget = removeOnInterrupt(tmp);
  try {
    const { archive, pack } = await verifiedArchive(opts.pack, tmp, trusted);
    const facts = await packFacts(pack, archive, opts.link);
    const pdf = join(pack.dir, outputs.pdf);
    const files = existsSync(pdf) ? [archive, pdf] : [archive];
    let besidePack: string | undefined;
    if (opts.requestList !== undefined || opts.sample?.length) {
      const list = join(tmp, requestListName(facts.packId));
      const written = await writeRequestList(pack.dir, facts.packId, { controls: parseControlList(opts.requestList ?? ''), sampleFiles: opts.sample ?? [] }, list);
      files.push(list);
      // GitHub holds no files: the list is written beside the pack, to be stored with the archive.
      if (opts.github) await copyFile(list, (besidePack = join(dirname(opts.pack.replace(/\/+$/, '')), written.name)));
      facts.requestList = { ...written, where: opts.jira ? 'attached' : `written beside the pack by attach, to be stored with the archive${opts.link ? ` (${opts.link})` : ''}` };
    }
    const progress = createProgress({ quiet: opts.quiet || opts.json, total: (opts.jira ? files.length + 2 : 0) + (opts.github ? 1 : 0) });
    const done: string[] = [];
    const outcome: Record<string, unknown> = {
      packId: facts.packId,
      manifestSha256: facts.manifestSha256,
      archive: facts.archive,
      ...(facts.requestList ? { requestList: { ...facts.requestList, ...(besidePack ? { file: besidePack } : {}) } } : {}),
    };
    if (opts.jira) {
      const jira = await attachToJira(opts.jira, opts.issue!, files, facts, (s) => progress.stage(s), process.env, opts.jiraFlavor);
      outcome.jira = { issue: opts.issue, ...jira };
      const sent = files.map((f) => attachmentName(f, facts.packId)).filter((n) => !jira.alreadyAttached.includes(n));
      const already = jira.alreadyAttached.length ? ` (${jira.alreadyAttached.join(' and ')} already there)` : '';
      done.push(
        `${sent.length ? `attached ${sent.join(' and ')}` : 'attached nothing new'}${already} to Jira ${opts.issue} ${jira.commentAlreadyThere ? 'which already has the comment' : 'with a comment'}`,
      );
    }
    if (opts.github) {
      progress.stage(`Commenting on ${opts.github}`);
      const { url, alreadyThere } = await commentOnGithub(opts.github, facts);
      outcome.github = { issue: opts.github, comment: url, alreadyThere };
      done.push(alreadyThere ? `GitHub ${opts.github} already has the comment (${url})` : `commented on GitHub ${opts.github} (${url})`);
    }
    if (besidePack) done.push(`wrote the request list to ${besidePack}: store it with the archive`);
    progress.done();
    report(opts, `${facts.packId}: ${done.join('; ')}: ${facts.controls}`, outcome);
    return 0;
  } finally {
    await rm(tmp, { recursive: true, force: true });
    forget();
  }
}
