import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { driftFile } from '../../period/drift.ts';
import { readSnapshotMeta } from '../../evidence/read.ts';
import { previousPeriod, resolvePeriod } from '../../core/period.ts';
import { organizationSlug } from '../../period/placement.ts';
import { trendFile } from '../../period/trend.ts';
import { buildPoam, poamFile } from '../../poam/poam.ts';
import { buildTrend, driftFromPrevious, previousPoam } from '../../pack/earlier-packs.ts';
import { packReadme } from '../../pack/readme.ts';
import { runTime } from '../../core/clock.ts';
import { writeDirAtomically } from '../../core/atomic-dir.ts';
import { completeInterruptedPacks, finishPack } from '../../pack/finish.ts';
import { evaluateStage, packIdFor, renderStage } from '../../pack/stages.ts';
import { sampleEvidenceDir, tool } from '../../core/paths.ts';
import { createProgress } from '../../core/progress.ts';
import type { Paper } from '../../render/pdf.ts';
import { signingKeyFor, type SigningKeyOptions } from '../../sign/signing-key-for.ts';
import { loadBranding } from '../../render/branding.ts';
import { signPack } from '../../sign/sign.ts';
import { trustAnchors } from '../../sign/trust.ts';
import { evaluateOptions } from './evaluate-options.ts';
import { report, statusCounts, type GlobalOptions } from './output.ts';
import { stderr } from '../../core/io.ts';

export interface RunOptions extends GlobalOptions, SigningKeyOptions {
  evidence?: string;
  out: string;
  templates?: string;
  paper: Paper;
  rowsPerPrint?: number;
  pdf: boolean;
  force?: boolean;
  attestations?: string;
  waivers?: string;
  pdfCertificate?: string;
  organization?: string;
  logo?: string;
  accent?: string;
  period?: string;
  from?: string;
  to?: string;
  tz?: string;
  maxEvaluationAge?: number;
  threads?: number;
  trustedKeys?: string;
  catalog?: string[];
}

export async function runCommand(opts: RunOptions): Promise<number> {
  const evidence = opts.evidence ?? sampleEvidenceDir;
  const generatedAt = runTime();
  const key = await signingKeyFor(opts);
  // Earlier periods' packs (drift, trend) count only when signed by this run's key or one the settings trust.
  const trusted = [{ fingerprint: key.fingerprint, source: "this run's signing key" }, ...(await trustAnchors({ trustedKeys: opts.trustedKeys }))];
  const warn = (line: string) => {
    if (!opts.quiet) stderr(`evidence-pack: ${line}\n`);
  };
  const pdfCertificate = opts.pdfCertificate ? (await import('../../sign/pdf-signature.ts')).pdfCertificateFromFile(opts.pdfCertificate) : undefined;
  const branding = loadBranding(opts);
  const period = resolvePeriod(opts, generatedAt, readSnapshotMeta(evidence));
  const progress = createProgress({ quiet: opts.quiet || opts.json, total: opts.pdf ? 4 : 3 });
  const pack = await writeDirAtomically(
    opts.out,
    async (tmp) => {
      progress.stage('Evaluating evidence');
      const result = await evaluateStage(
        evidence,
        tmp,
        generatedAt,
        evaluateOptions(opts, period, (t) => progress.detail(t)),
      );
      const packId = packIdFor(result);
      const org = organizationSlug(result.organization);
      for (const note of await completeInterruptedPacks(opts.out, org)) if (!opts.quiet) stderr(`evidence-pack: ${note}\n`);
      // The POA&M remembers the previous period's verified pack (a refused pack is said once, for the drift);
      // written before the drift, which counts its new and closed items.
      const poam = await buildPoam(result, tmp, packId, await previousPoam(opts.out, org, previousPeriod(period), trusted));
      await writeFile(join(tmp, poamFile), `${JSON.stringify(poam, null, 2)}\n`);
      const drift = await driftFromPrevious(opts.out, org, previousPeriod(period), result, tmp, trusted);
      if (drift.state === 'previous-pack-refused') warn(`previous pack ${join(org, drift.previousPeriod, drift.previousPack)}: ${drift.problems.join(', ')}: not used`);
      await writeFile(join(tmp, driftFile), `${JSON.stringify(drift, null, 2)}\n`);
      const trend = await buildTrend(opts.out, org, { period: period.label, packId, result }, trusted);
      for (const p of trend) if (!p.verified && p.period !== drift.previousPeriod) warn(`earlier pack ${join(org, p.period, p.packId)}: ${p.notUsed}: not used in the trend`);
      await writeFile(join(tmp, trendFile), `${JSON.stringify(trend, null, 2)}\n`);
      progress.stage(opts.pdf ? 'Rendering HTML, CSV and printing the PDF' : 'Rendering HTML and CSV');
      await renderStage(result, tmp, {
        pack: { packId, signer: { fingerprint: key.fingerprint, label: key.label, managed: key.managed }, branding },
        templates: opts.templates,
        paper: opts.paper,
        pdf: opts.pdf,
        pdfCertificate,
        drift,
        trend,
        poam,
        rowsPerPrint: opts.rowsPerPrint,
        onProgress: (t) => progress.detail(t),
      });
      await writeFile(join(tmp, 'README.txt'), packReadme(result, packId, key));
      progress.stage('Signing');
      const manifest = await signPack(tmp, { packId, createdAt: generatedAt, tool, key });
      return { name: join(org, period.label, packId), packId, org, result, manifest };
    },
    { force: opts.force },
  );
  const { archive, indexProblem } = await finishPack(opts.out, pack.org, pack.path, {
    period: period.label,
    packId: pack.packId,
    path: join(period.label, pack.packId),
    generatedAt,
    controls: pack.result.summary.controls,
  });
  progress.done();
  if (indexProblem) warn(indexProblem);
  const files = pack.manifest.files.length + 3;
  report(
    opts,
    `Wrote ${pack.path} and ${basename(archive)} (period ${period.label}, ${files} files, signed with ${key.managed ? '' : 'demo key '}${key.fingerprint.slice(0, 23)}…): ${pack.result.controls.length} controls: ${statusCounts(pack.result.summary.controls)}`,
    {
      pack: pack.path,
      archive,
      packId: pack.packId,
      period: period.label,
      files,
      keyFingerprint: key.fingerprint,
      managedKey: key.managed,
      controls: pack.result.summary.controls,
      evidence: pack.result.summary.evidence,
      gaps: pack.result.gaps.length,
      outputs: readdirSync(pack.path).sort(),
    },
  );
  return 0;
}
