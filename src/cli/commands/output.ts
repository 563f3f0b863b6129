import { redactJson, redactText } from '../../redact/detect.ts';
import { stdout } from '../../core/io.ts';

export { statusCounts } from '../../render/status.ts';

export interface GlobalOptions {
  quiet?: boolean;
  json?: boolean;
}

/** The final line (or JSON document) a command prints on stdout, values from the evidence masked. */
export function report(opts: GlobalOptions, line: string, data: object): void {
  if (opts.json) stdout(`${JSON.stringify(redactJson(data), null, 2)}\n`);
  else if (!opts.quiet) stdout(`${redactText(line).text}\n`);
}
