// Organization scale (issue 26): the pack against its evidence at 10k–1M items, over 8 and 200 account/regions.
// Each cell is one run as a user runs it; the floor is read + gunzip + JSON.parse of the same snapshot files in the
// same run. Writes its section of BENCHMARKS.md (between the scale markers), leaving the rest as it is.
//   npm run bench:scale                                   10k, 100k and 1M items, 8 and 200 account/regions
//   npm run bench:scale -- --sizes 10000 --out /tmp/b.md  a smoke run
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { packageRoot } from '../core/paths.ts';
import { cli, floorScript, timed, type Measure } from './bench.ts';
import { generateEstate } from './generate.ts';

const layouts = [
  { accounts: 4, regions: 2 },
  { accounts: 50, regions: 4 },
] as const;

/** Bytes of every file under a directory. */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, entry);
    const s = lstatSync(path);
    if (s.isFile()) total += s.size;
  }
  return total;
}

/** The evidence as received (gzipped snapshot files as they are) and uncompressed. */
function evidenceBytes(dir: string): { stored: number; uncompressed: number } {
  let stored = 0;
  let uncompressed = 0;
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, entry);
    const stat = statSync(path);
    if (!stat.isFile()) continue;
    const size = stat.size;
    stored += size;
    uncompressed += path.endsWith('.gz') ? gunzipSync(readFileSync(path)).length : size;
  }
  return { stored, uncompressed };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
const cell = (m: Measure) => (m.ok ? `${m.seconds.toFixed(1)} s, ${m.maxRssMb.toFixed(0)} MiB` : `failed (${m.note})`);

export interface ScaleRow {
  items: number;
  scopes: number;
  files: number;
  floor: Measure;
  evaluate: Measure;
  render: Measure;
  oscal: Measure;
  evidence: { stored: number; uncompressed: number };
  afterEvaluate: number;
  afterRender: number;
}

export async function scaleRow(size: number, layout: { accounts: number; regions: number }, work: string): Promise<ScaleRow> {
  const estate = join(work, 'estate');
  const made = await generateEstate({ items: size, ...layout, seed: 1, out: estate });
  const out = join(work, 'pack');
  const floor = timed(process.execPath, ['-e', floorScript, join(estate, 'config-snapshots')]);
  const evaluate = timed(process.execPath, [cli, 'evaluate', '--evidence', estate, '--out', out, '-q']);
  const afterEvaluate = evaluate.ok ? bytesUnder(out) : NaN;
  const render = evaluate.ok ? timed(process.execPath, [cli, 'render', out, '--no-pdf', '--only', 'html,csv', '-q']) : evaluate;
  const oscal = evaluate.ok ? timed(process.execPath, [cli, 'render', out, '--no-pdf', '--only', 'oscal', '-q']) : evaluate;
  const afterRender = existsSync(out) ? bytesUnder(out) : NaN;
  const row = { items: made.items, scopes: layout.accounts * layout.regions, files: made.files, floor, evaluate, render, oscal, evidence: evidenceBytes(estate), afterEvaluate, afterRender };
  rmSync(estate, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  return row;
}

export function scaleTable(rows: ScaleRow[]): string {
  const lines = rows.map((r) => {
    const total = r.evaluate.seconds + r.render.seconds + r.oscal.seconds;
    return `| ${r.items.toLocaleString('en-US')} | ${r.scopes} (${r.files} files) | ${cell(r.floor)} | ${cell(r.evaluate)} | ${cell(r.render)} | ${cell(r.oscal)} | ${(total / r.floor.seconds).toFixed(1)}× | ${mb(r.evidence.stored)} / ${mb(r.evidence.uncompressed)} | ${mb(r.afterEvaluate)} (${(r.afterEvaluate / r.evidence.uncompressed).toFixed(2)}×) | ${mb(r.afterRender)} (${(r.afterRender / r.evidence.uncompressed).toFixed(2)}×) |`;
  });
  return [
    '| items | account/regions | floor | evaluate | render (HTML, CSV) | OSCAL | (evaluate+render+OSCAL) / floor | evidence gzipped / uncompressed | work dir after evaluate (/ evidence uncompressed) | after render |',
    '|---:|---:|---|---|---|---|---:|---:|---:|---:|',
    ...lines,
  ].join('\n');
}

const begin = '<!-- scale:begin -->';
const end = '<!-- scale:end -->';

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const sizes = (value('sizes') ?? '10000,100000,1000000').split(',').map(Number);
  const out = value('out') ?? join(packageRoot, 'BENCHMARKS.md');
  const rows: ScaleRow[] = [];
  for (const size of sizes) {
    for (const layout of layouts) {
      const work = mkdtempSync(join(tmpdir(), `evidence-pack-scale-${size}-`));
      try {
        rows.push(await scaleRow(size, layout, work));
        process.stderr.write(`${scaleTable(rows).split('\n').at(-1)}\n`);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
  }
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: packageRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout
  }
  const section = `${begin}
## Organization scale

Measured by \`${`npm run bench:scale -- ${args.join(' ')}`.replace(/ -- $/, '')}\` on ${new Date().toISOString().slice(0, 10)}${commit ? ` at commit ${commit}` : ''}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.

Each estate is generated (\`npm run gen -- --items N --accounts A --regions R --seed 1\`: 4 × 2 = 8 or 50 × 4 = 200
account/regions, one gzipped snapshot file each). One run a cell, as a user runs it: \`evidence-pack evaluate --evidence
ESTATE --out WORK\` (default threads), \`evidence-pack render WORK --no-pdf --only html,csv\`, then \`--only oscal\`;
wall time and peak RSS (GNU time). Floor: read + gunzip + JSON.parse of the same snapshot files in one Node process (one
core), in the same run. Work dir: every file under WORK after evaluate, and after render (with evidence.csv,
populations/, samples/, report.html and OSCAL). Targets (issue 26) at 1,000,000 items over 200 account/regions:
evaluate + render ≤ 2 × floor; peak RSS ≤ 1 GiB; work dir ≤ evidence uncompressed.

${scaleTable(rows)}
${end}`;
  const doc = existsSync(out) ? readFileSync(out, 'utf8') : '# Benchmarks\n';
  const at = doc.indexOf(begin);
  const next = at >= 0 ? `${doc.slice(0, at)}${section}${doc.slice(doc.indexOf(end) + end.length)}` : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(out, next);
  process.stdout.write(`${section}\n`);
}
