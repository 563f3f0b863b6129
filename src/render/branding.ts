import { readFileSync, statSync } from 'node:fs';
import { UserError } from '../errors.ts';

export interface Branding { logo?: string; accent?: string }

const types: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', svg: 'image/svg+xml' };

/** The logo as a data: URI (the report loads nothing from anywhere) and a validated accent colour. */
export function loadBranding(opts: { logo?: string; accent?: string }): Branding {
  const branding: Branding = {};
  if (opts.accent !== undefined) {
    if (!/^#[0-9a-fA-F]{6}$/.test(opts.accent)) throw new UserError(`--accent ${opts.accent}: expected a colour as #rrggbb`);
    branding.accent = opts.accent;
  }
  if (opts.logo) {
    const type = types[opts.logo.split('.').pop()!.toLowerCase()];
    if (!type) throw new UserError(`--logo ${opts.logo}: expected a .png, .jpg or .svg file`);
    let size: number;
    try {
      size = statSync(opts.logo).size;
    } catch {
      throw new UserError(`--logo ${opts.logo}: file not found`);
    }
    if (size > 1024 * 1024) throw new UserError(`--logo ${opts.logo}: larger than 1 MiB`);
    branding.logo = `data:${type};base64,${readFileSync(opts.logo).toString('base64')}`;
  }
  return branding;
}
