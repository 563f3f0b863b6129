import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.ts';
import { regularFile } from '../core/files.ts';

export interface Branding {
  logo?: string;
  accent?: string;
}

const types: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', svg: 'image/svg+xml' };

const maxLogoBytes = 1024 * 1024;

/** Whether the bytes are what the extension says: a file named .png must be a PNG. */
const looksLike: Record<string, (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/svg+xml': (b) => {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(b);
    } catch {
      return false;
    }
    // An XML declaration, comments and a doctype may come first; the root element is <svg>.
    return /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(text);
  },
};

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
      size = regularFile(opts.logo, { followLinks: true, shownAs: `--logo ${opts.logo}` });
    } catch (e) {
      throw (e as NodeJS.ErrnoException).message?.includes('ENOENT') ? new UserError(`--logo ${opts.logo}: file not found`) : e;
    }
    if (size > maxLogoBytes) throw new UserError(`--logo ${opts.logo}: larger than 1 MiB`);
    const bytes = readFileSync(opts.logo);
    if (bytes.length > maxLogoBytes) throw new UserError(`--logo ${opts.logo}: larger than 1 MiB`);
    if (!looksLike[type]!(bytes)) throw new UserError(`--logo ${opts.logo}: not a ${type} image (its first bytes say otherwise)`);
    branding.logo = `data:${type};base64,${bytes.toString('base64')}`;
  }
  return branding;
}
