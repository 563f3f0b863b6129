// Charts are SVG strings inserted into the report unescaped, so everything that reaches the markup is
// escaped here, and counts are used only when they are whole non-negative numbers: rows may come from
// files a caller did not write (an earlier pack), and a chart must not be the way markup gets in.
import type { ControlStatus } from '../evaluate/result.ts';
import { statusInfo, statusOrder } from './status.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ChartRow {
  label: string;
  counts: Partial<Record<ControlStatus, number>>;
}

/** A count as drawn: a whole non-negative number, else 0 (a string, NaN or a negative count draws nothing). */
const count = (n: unknown): number => (typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : 0);

/** Horizontal stacked bars, one per row, with a legend of the statuses present. */
export function stackedBars(rows: ChartRow[], opts: { width?: number; title: string }): string {
  const width = opts.width ?? 640;
  const labelWidth = 150;
  const barHeight = 22;
  const gap = 10;
  const barWidth = width - labelWidth - 50;
  const max = Math.max(1, ...rows.map((r) => statusOrder.reduce((a, s) => a + count(r.counts[s]), 0)));
  const present = statusOrder.filter((s) => rows.some((r) => count(r.counts[s]) > 0));
  const legendY = rows.length * (barHeight + gap) + 8;
  const legendWidth = (s: ControlStatus) => 30 + statusInfo[s].label.length * 5.6;
  let lines = 1;
  for (let x = labelWidth, i = 0; i < present.length; i++) {
    if (x + legendWidth(present[i]!) > width) {
      lines++;
      x = labelWidth;
    }
    x += legendWidth(present[i]!);
  }
  const height = legendY + 18 * lines + 6;
  const parts: string[] = [];
  rows.forEach((row, i) => {
    const y = i * (barHeight + gap);
    parts.push(`<text x="${labelWidth - 8}" y="${y + barHeight / 2 + 4}" text-anchor="end" class="chart-label">${esc(row.label)}</text>`);
    let x = labelWidth;
    let total = 0;
    for (const s of statusOrder) {
      const n = count(row.counts[s]);
      if (n === 0) continue;
      const w = (n / max) * barWidth;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${statusInfo[s].colour}"><title>${esc(`${statusInfo[s].label}: ${n}`)}</title></rect>`);
      if (w >= 18) parts.push(`<text x="${(x + w / 2).toFixed(1)}" y="${y + barHeight / 2 + 4}" text-anchor="middle" class="chart-count">${esc(String(n))}</text>`);
      x += w;
      total += n;
    }
    parts.push(`<text x="${(x + 6).toFixed(1)}" y="${y + barHeight / 2 + 4}" class="chart-label">${esc(String(total))}</text>`);
  });
  let lx = labelWidth;
  let ly = legendY;
  for (const s of present) {
    if (lx + legendWidth(s) > width) {
      lx = labelWidth;
      ly += 18;
    }
    parts.push(`<rect x="${lx}" y="${ly}" width="12" height="12" fill="${statusInfo[s].colour}"/><text x="${lx + 16}" y="${ly + 10}" class="chart-legend">${esc(statusInfo[s].label)}</text>`);
    lx += legendWidth(s);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(opts.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title>${esc(opts.title)}</title>${parts.join('')}</svg>`;
}
