import type { ControlStatus } from '../evaluate/result.ts';
import { redactJson, redactText } from '../redact/detect.ts';
import { statusOrder } from '../render/status.ts';
import { stdout } from '../io.ts';

export interface GlobalOptions { quiet?: boolean; json?: boolean }

/** "fail 8, gap 1, manual 3" in report order, zero counts left out. */
export function statusCounts(counts: Record<ControlStatus, number>): string {
  return statusOrder.filter((s) => counts[s] > 0).map((s) => `${s} ${counts[s]}`).join(', ');
}

/** The final line (or JSON document) a command prints on stdout, values from the evidence masked. */
export function report(opts: GlobalOptions, line: string, data: object): void {
  if (opts.json) stdout(`${JSON.stringify(redactJson(data), null, 2)}\n`);
  else if (!opts.quiet) stdout(`${redactText(line).text}\n`);
}
