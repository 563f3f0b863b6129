import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ExitCode, UserError } from '../core/errors.ts';

export const chromiumEnv = 'EVIDENCE_PACK_CHROMIUM';
const candidates = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium to print with: $EVIDENCE_PACK_CHROMIUM, else the first of `chromium`, … on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const named = env[chromiumEnv];
  if (named) {
    if (!executable(named)) throw new UserError(`${chromiumEnv}=${named}: not an executable file`, ExitCode.environment);
    return named;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const name of candidates) {
      const p = join(dir, name);
      if (executable(p)) return p;
    }
  }
  throw new UserError(`Chromium not found: install it (Debian/Ubuntu: apt-get install -y chromium) or set ${chromiumEnv} to its path`, ExitCode.environment);
}
