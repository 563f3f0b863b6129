// Benchmark: each stage run as a user runs it, on generated estates, side by side with the floor
// (stream-read + gunzip + JSON.parse of the same files) and sha256sum. Writes BENCHMARKS.md.
//   npm run bench                      10k, 100k, 1M items, 3 runs each
//   npm run bench -- --quick           one small size, one run (smoke)
//   npm run bench -- --sizes 10000,100000 --repeats 3 --out BENCHMARKS.md
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { findChromium } from '../render/chromium.ts';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../core/paths.ts';
import { listPackFiles } from '../sign/sign.ts';
import { benchAggregator, benchCollect, type AggregatorMeasure, type CollectMeasure } from './collect-bench.ts';
import { generateEstate } from './generate.ts';

export interface Measure {
  seconds: number;
  maxRssMb: number;
  ok: boolean;
  note?: string;
}

export const cli = join(packageRoot, 'dist/bin/evidence-pack.js');
const stageTimeoutMs = 30 * 60 * 1000;

/** Runs a command under GNU time; wall seconds and peak RSS of the process tree's largest member. */
export function timed(cmd: string, args: string[], cwd?: string): Measure {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { cwd, encoding: 'utf8', timeout: stageTimeoutMs, env: { ...process.env, CI: '1' }, maxBuffer: 64 * 1024 * 1024 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const m = /^([\d.]+) (\d+)$/.exec(last);
  const ok = r.status === 0 && !!m;
  return {
    seconds: m ? Number(m[1]) : NaN,
    maxRssMb: m ? Number(m[2]) / 1024 : NaN,
    ok,
    note: ok ? undefined : `exit ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').slice(-2, -1)[0] ?? ''}`.slice(0, 160),
  };
}

export const floorScript = `
const { createReadStream, readdirSync } = require('node:fs');
const { createGunzip } = require('node:zlib');
const dir = process.argv[1];
(async () => {
  let items = 0;
  for (const f of readdirSync(dir)) {
    const chunks = [];
    for await (const c of createReadStream(dir + '/' + f).pipe(createGunzip())) chunks.push(c);
    items += JSON.parse(Buffer.concat(chunks).toString('utf8')).configurationItems.length;
  }
  console.log(items);
})();`;

function summary(ms: Measure[]): { min: number; median: number; rss: number; ok: boolean; note?: string } {
  const ok = ms.filter((m) => m.ok);
  if (!ok.length) return { min: NaN, median: NaN, rss: Math.max(...ms.map((m) => m.maxRssMb)), ok: false, note: ms[0]?.note };
  const s = ok.map((m) => m.seconds).sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, rss: Math.max(...ok.map((m) => m.maxRssMb)), ok: true };
}

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim().split('\n')[0]!;
  } catch {
    return 'not found';
  }
}

/** A measure that also needs its output file: a tool that exits 0 without writing one has failed. */
function producing(file: string, m: Measure): Measure {
  const size = existsSync(file) ? statSync(file).size : 0;
  return size > 0 || !m.ok ? m : { ...m, ok: false, note: 'produced no PDF' };
}

function commit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: packageRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function pdfPages(file: string): number {
  try {
    return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

const cell = (s: ReturnType<typeof summary>) => (s.ok ? `${s.min.toFixed(2)} / ${s.median.toFixed(2)} s, ${s.rss.toFixed(0)} MiB` : `failed (${s.note}; peak ${s.rss.toFixed(0)} MiB)`);

/** Start-up: the compiled command against the same sources through tsx, and Node itself; `verify` of the sample pack. */
function startupRows(repeats: number): string[] {
  const work = mkdtempSync(join(tmpdir(), 'evidence-pack-bench-startup-'));
  try {
    const out = join(work, 'out');
    const made = spawnSync(process.execPath, [cli, 'run', '--no-pdf', '--json', '--out', out], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
    const key = (JSON.parse(made.stdout || '{}') as { keyFingerprint?: string }).keyFingerprint ?? '';
    const zip = (readdirSync(out, { recursive: true }) as string[]).find((f) => /pack-[^/]+\.zip$/.test(f));
    const source = ['--import', 'tsx', join(packageRoot, 'src/bin/evidence-pack.ts')];
    const cell = (args: string[]) => {
      const m = summary(Array.from({ length: repeats }, () => timed(process.execPath, args, packageRoot)));
      return m.ok ? `${Math.round(m.min * 1000)} / ${Math.round(m.median * 1000)} ms` : `failed: ${m.note}`;
    };
    const node = summary(Array.from({ length: repeats }, () => timed(process.execPath, ['-e', '0']))).median;
    const rows = [`| \`node -e 0\` | ${Math.round(node * 1000)} ms | | |`];
    for (const [name, args] of [
      ['--version', ['--version']],
      ['verify (sample pack)', ['verify', join(out, zip ?? 'missing.zip'), '--expect-key', key]],
    ] as const) {
      const compiled = summary(Array.from({ length: repeats }, () => timed(process.execPath, [cli, ...args], packageRoot)));
      rows.push(`| \`evidence-pack ${name}\` | ${cell([cli, ...args])} | ${cell([...source, ...args])} | ${(compiled.median / node).toFixed(1)}× |`);
    }
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function bench(opts: { sizes: number[]; repeats: number; out: string; command: string; pdf?: boolean; pdfMax?: number }): Promise<string> {
  const rows: string[] = [];
  const collectRows: string[] = [];
  const aggregatorRows: string[] = [];
  const pdfRows: string[] = [];
  const weasyprint = version('weasyprint', ['--version']);
  const startup = startupRows(Math.max(opts.repeats, 5));
  for (const size of opts.sizes) {
    const work = mkdtempSync(join(tmpdir(), `evidence-pack-bench-${size}-`));
    try {
      const estate = join(work, 'estate');
      await generateEstate({ items: size, accounts: 4, regions: 2, seed: 1, out: estate });
      const snapshots = join(estate, 'config-snapshots');
      const runs = {
        floor: [] as Measure[],
        evaluate: [] as Measure[],
        render: [] as Measure[],
        oscal: [] as Measure[],
        verify: [] as Measure[],
        sha256sum: [] as Measure[],
        pdf: [] as Measure[],
        rawPdf: [] as Measure[],
        weasy: [] as Measure[],
      };
      let pages = 0;
      const collected: CollectMeasure[] = [];
      for (let i = 0; i < opts.repeats; i++) {
        const out = join(work, `collected-${i}`);
        collected.push(await benchCollect(estate, out, cli));
        rmSync(out, { recursive: true, force: true });
      }
      const c = summary(collected);
      const last = collected.at(-1)!;
      collectRows.push(
        `| ${size.toLocaleString('en-US')} | ${c.ok ? `${c.min.toFixed(2)} / ${c.median.toFixed(2)} s, ${c.rss.toFixed(0)} MiB` : `failed (${c.note})`} | ${last.items.toLocaleString('en-US')} | ${last.calls} / ${last.minimum} = ${(last.calls / last.minimum).toFixed(3)} |`,
      );
      const aggregated: AggregatorMeasure[] = [];
      for (let i = 0; i < opts.repeats; i++) {
        const out = join(work, `aggregated-${i}`);
        aggregated.push(await benchAggregator(estate, out, join(work, `aggregated-work-${i}`), cli));
        rmSync(out, { recursive: true, force: true });
        rmSync(join(work, `aggregated-work-${i}`), { recursive: true, force: true });
      }
      const mb = (aggregated.at(-1)!.bytes / 1e6).toFixed(0);
      aggregatorRows.push(`| ${size.toLocaleString('en-US')} | ${mb} MB | ${cell(summary(aggregated.map((a) => a.collect)))} | ${cell(summary(aggregated.map((a) => a.evaluate)))} |`);
      for (let i = 0; i < opts.repeats; i++) {
        const out = join(work, `work-${i}`);
        runs.floor.push(timed(process.execPath, ['-e', floorScript, snapshots]));
        runs.evaluate.push(timed(process.execPath, [cli, 'evaluate', '--evidence', estate, '--out', out, '-q']));
        if (!runs.evaluate.at(-1)!.ok) break;
        runs.render.push(timed(process.execPath, [cli, 'render', out, '--no-pdf', '--only', 'html,csv', '-q']));
        runs.oscal.push(timed(process.execPath, [cli, 'render', out, '--no-pdf', '--only', 'oscal', '-q']));
        execFileSync(process.execPath, [cli, 'sign', out, '-q'], { env: { ...process.env, CI: '1' } });
        runs.verify.push(timed(process.execPath, [cli, 'verify', out, '-q']));
        runs.sha256sum.push(timed('sha256sum', listPackFiles(out), out));
        if (opts.pdf !== false && size <= (opts.pdfMax ?? Infinity)) {
          runs.pdf.push(timed(process.execPath, [cli, 'render', out, '--force', '-q']));
          pages = pdfPages(join(out, 'report.pdf'));
          const raw = join(work, 'raw.pdf');
          rmSync(raw, { force: true });
          runs.rawPdf.push(
            producing(raw, timed(findChromium(), ['--headless', '--no-sandbox', '--disable-gpu', `--print-to-pdf=${raw}`, '--no-pdf-header-footer', pathToFileURL(join(out, 'report.html')).href])),
          );
          // WeasyPrint once per size: it is the comparison, not the product, and it is slow on large reports.
          if (i === 0 && weasyprint !== 'not found') {
            const weasy = join(work, 'weasyprint.pdf');
            runs.weasy.push(producing(weasy, timed('weasyprint', ['-q', join(out, 'report.html'), weasy])));
          }
        }
        rmSync(out, { recursive: true, force: true });
      }
      const f = summary(runs.floor);
      const e = summary(runs.evaluate);
      const r = summary(runs.render);
      const o = summary(runs.oscal);
      const v = summary(runs.verify);
      const h = summary(runs.sha256sum);
      const ratio = e.ok && r.ok && f.ok ? ((e.median + r.median) / f.median).toFixed(1) : 'n/a';
      const vratio = v.ok && h.ok ? (h.median / v.median).toFixed(2) : 'n/a';
      rows.push(`| ${size.toLocaleString('en-US')} | ${cell(f)} | ${cell(e)} | ${cell(r)} | ${ratio}× | ${cell(o)} | ${cell(v)} | ${cell(h)} | ${vratio} |`);
      if (opts.pdf !== false && size <= (opts.pdfMax ?? Infinity)) {
        const p = summary(runs.pdf);
        const raw = summary(runs.rawPdf);
        const w = summary(runs.weasy);
        // Ours renders HTML, CSV and OSCAL too: the PDF's own share is the difference from rendering those alone.
        const vsRaw = p.ok && raw.ok && r.ok && o.ok ? `${(p.median / raw.median).toFixed(2)}× (PDF alone ${((p.median - r.median - o.median) / raw.median).toFixed(2)}×)` : 'n/a';
        pdfRows.push(`| ${size.toLocaleString('en-US')} | ${cell(p)} | ${pages.toLocaleString('en-US')} | ${cell(raw)} | ${vsRaw} | ${runs.weasy.length ? cell(w) : 'not installed'} |`);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const doc = `# Benchmarks

Measured by \`${opts.command}\` on ${new Date().toISOString().slice(0, 10)}${commit() ? `, at commit ${commit()}` : ''}.

Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB memory, Node ${process.version},
${version('chromium', ['--version'])}, ${version('sha256sum', ['--version'])}.

Each estate is generated (\`npm run gen -- --items N --accounts 4 --regions 2 --seed 1\`, gzipped snapshot files). Each stage
runs as a user runs it (\`evidence-pack evaluate --evidence ESTATE --out WORK\`, \`evidence-pack render WORK --no-pdf --only html,csv\`,
then \`--only oscal\`, \`evidence-pack verify WORK\`), ${opts.repeats} time(s); cells give min / median wall time and peak RSS (GNU time).
Evaluate runs with its default threads: the delivered snapshot files a unit (account and region) at a time, one worker
thread per core when they hold more than about 25,000 items; render writes a CSV over 64 MiB of items in two threads.
Floor: stream-read + gunzip + JSON.parse of the same snapshot files in one Node process (one core). Verify is compared with
\`sha256sum\` over the same files (throughput ratio = sha256sum time / verify time; target ≥ 0.8).

Start-up: min / median wall time (GNU time) of ${Math.max(opts.repeats, 5)} runs; the installed command runs compiled JavaScript
from dist/ (\`npm run build\`), against the same sources through tsx as before issue 25. \`verify\` is pinned to the run's key.

| command | compiled (dist/) | source through tsx | compiled / \`node -e 0\` |
|---|---|---|---:|
${startup.join('\n')}

| items | floor | evaluate | render (HTML, CSV) | (evaluate+render) / floor | OSCAL | verify | sha256sum | verify throughput vs sha256sum |
|---:|---|---|---|---:|---|---|---|---:|
${rows.join('\n')}

Collection: \`evidence-pack collect --region … --out DIR\` against the tests' fake AWS endpoint on 127.0.0.1 (real SDK
clients) serving the same estate's items from SelectResourceConfig, 100 a page, in one account; ${opts.repeats} time(s). API calls are
counted by the endpoint; the minimum is what the page sizes allow (target ≤ 1.05).

| items | collect | items collected | API calls made / minimum |
|---:|---|---:|---:|
${collectRows.join('\n')}

Through an aggregator: the same estate, its accounts and regions kept, collected with \`evidence-pack collect --aggregator
org-all --region us-east-1\` from the fake endpoint (one SelectAggregateResourceConfig file of every item, read a page at a
time; the per-account reads are gaps without a member role, exit 5), then \`evidence-pack evaluate\` on it (default
threads: runs of pages, a thread per core above about 25,000 items).

| items | SelectAggregateResourceConfig.json | collect through the aggregator | evaluate |
|---:|---:|---|---|
${aggregatorRows.join('\n')}

PDF: \`evidence-pack render WORK --force\` (HTML, CSV, OSCAL and the signed PDF, printed in parts above
2,000 evidence rows), against Chromium printing the same report.html in one piece (\`chromium --headless
--print-to-pdf\`, no header or footer; "produced no PDF" when it exits without one) and WeasyPrint (${weasyprint}) on
the same file, once per size.

| items | render with PDF | PDF pages | raw Chromium print of report.html | ours / raw | WeasyPrint |
|---:|---|---:|---|---:|---|
${pdfRows.join('\n')}

Targets (issue 9): evaluate + HTML + CSV ≤ 1.5 × floor at 1,000,000 items with peak RSS ≤ 1 GiB; verify ≥ 0.8 × sha256sum.
`;
  writeFileSync(opts.out, doc);
  return doc;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const quick = args.includes('--quick');
  const sizes = (value('sizes') ?? (quick ? '2000' : '10000,100000,1000000')).split(',').map(Number);
  const repeats = Number(value('repeats') ?? (quick ? 1 : 3));
  const out = value('out') ?? join(packageRoot, 'BENCHMARKS.md');
  // The report lists a bounded number of rows a control (exceptions up to 100, a sample of passing items), so the PDF
  // is printed and compared at every size.
  const pdfMax = Number(value('pdf-max') ?? 1000000);
  const doc = await bench({ sizes, repeats, out, pdfMax, command: `npm run bench -- ${args.join(' ')}`.trim() });
  process.stdout.write(doc);
}
