import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { basename, join } from 'node:path';
import { TZDate } from '@date-fns/tz';
import { UTCDate } from '@date-fns/utc';
import { format } from 'date-fns';
import Handlebars from 'handlebars';
import { InputError, UserError } from '../core/errors.ts';
import { entryKind, shownName } from '../core/files.ts';
import { templatesDir } from '../core/paths.ts';

const isTemplate = (name: string) => /\.(hbs|css)$/.test(name);

/**
 * A user's template file or partials folder that is a link, named pipe or device is refused (exit 2, naming
 * it), as in an evidence folder: skipping it silently printed the built-in file in its place.
 */
function checkUserEntry(dir: string, sub: string, e: Dirent): void {
  const wanted = sub === '' && e.name === 'partials' ? e.isDirectory() : e.isFile();
  if (!wanted) throw new InputError(join(dir, sub, shownName(e.name)), undefined, `${entryKind(e)}, not a regular file: refused (links and special files are not followed)`);
  if (shownName(e.name) !== e.name) throw new InputError(join(dir, sub, shownName(e.name)), undefined, 'a file name with control characters (a newline, an escape…): refused; rename it');
}

/** Template files by name (report.hbs, partials/*.hbs, report.css): the built-ins, overlaid by the user's directory. */
function templateFiles(userDir?: string): Map<string, string> {
  const files = new Map<string, string>();
  const add = (dir: string, sub = '', user = false) => {
    const d = join(dir, sub);
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (user && (isTemplate(e.name) || (sub === '' && e.name === 'partials'))) checkUserEntry(dir, sub, e);
      if (e.isFile() && isTemplate(e.name)) files.set(join(sub, e.name), join(d, e.name));
    }
  };
  add(templatesDir);
  add(templatesDir, 'partials');
  if (userDir) {
    if (!existsSync(userDir)) throw new UserError(`--templates ${userDir}: directory not found`);
    if (!statSync(userDir).isDirectory()) throw new UserError(`--templates ${userDir}: not a directory`);
    add(userDir, '', true);
    add(userDir, 'partials', true);
  }
  return files;
}

export interface ReportTemplates {
  render(view: object): string;
  /** Evidence rows alone (partials/evidence-row.hbs); absent when a user's evidence-table.hbs predates deferred rows. */
  renderRows?(items: object[]): string;
}

export function loadTemplates(userDir?: string): ReportTemplates {
  const hb = Handlebars.create();
  hb.registerHelper('date', (iso: unknown) => {
    if (typeof iso !== 'string' || iso === '') return '';
    const d = new UTCDate(iso);
    return Number.isNaN(d.getTime()) ? iso : `${format(d, 'd MMM yyyy, HH:mm')} UTC`;
  });
  // {{day iso}} in UTC, {{day iso tz}} in a time zone (a period's days are days where it is reported).
  hb.registerHelper('day', (iso: unknown, tz: unknown) => (typeof iso === 'string' && iso ? format(typeof tz === 'string' ? new TZDate(iso, tz) : new UTCDate(iso), 'd MMM yyyy') : ''));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // Escapes, then keeps each redaction mask on one line so it reads (and extracts from the PDF) whole.
  hb.registerHelper(
    'text',
    (value: unknown) => new hb.SafeString(hb.Utils.escapeExpression(typeof value === 'string' ? value : '').replace(/\[REDACTED [a-z-]+ #[0-9a-f]{8}\]/g, (m) => `<span class="redacted">${m}</span>`)),
  );
  hb.registerHelper('short', (hash: unknown) => (typeof hash === 'string' ? hash.slice(0, 16) : ''));

  const files = templateFiles(userDir);
  let css = '';
  for (const [name, path] of files) {
    const text = readFileSync(path, 'utf8');
    if (name.startsWith('partials')) hb.registerPartial(basename(name, '.hbs'), text);
    if (name === 'report.css') css = text;
  }
  const main = files.get('report.hbs');
  const where = userDir ? `--templates ${userDir}` : 'built-in templates';
  if (!main) throw new UserError(`${where}: report.hbs not found`);
  const template = hb.compile(readFileSync(main, 'utf8'), { strict: false, preventIndent: true });
  const table = files.get('partials/evidence-table.hbs');
  const rows = table && readFileSync(table, 'utf8').includes('rowsMarker') ? hb.compile('{{#each items}}{{> evidence-row}}{{/each}}', { strict: false, preventIndent: true }) : undefined;
  const guarded = <T>(make: () => T): T => {
    try {
      return make();
    } catch (e) {
      // Handlebars puts the line on the first line of a parse error and the culprit on the next ones.
      const lines = (e as Error).message
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const expecting = lines.find((l) => l.startsWith('Expecting'));
      throw new UserError(`${where}: ${lines[0]?.startsWith('Parse error') ? `${lines[0]} ${lines[1] ?? ''}${expecting ? ` (${expecting.slice(0, 120)})` : ''}` : lines[0]}`);
    }
  };
  if (!userDir) {
    return {
      render: (view) => guarded(() => template({ ...view, css })),
      ...(rows ? { renderRows: (items: object[]) => guarded(() => rows({ items })) } : {}),
    };
  }
  // A user's templates are held to what the built-in report promises: no script, and the built-in
  // Content-Security-Policy in the head. A report that breaks either is refused before it is signed.
  const checked = (html: string, whole: boolean) => {
    const problem = activeContent(html) ?? (whole ? missingPolicy(html) : undefined);
    if (problem) throw new UserError(`${where}: the report would ${problem}: refused (user templates may restyle the report, not make it run code)`);
    return html;
  };
  return {
    render: (view) =>
      checked(
        guarded(() => template({ ...view, css })),
        true,
      ),
    ...(rows
      ? {
          renderRows: (items: object[]) =>
            checked(
              guarded(() => rows({ items })),
              false,
            ),
        }
      : {}),
  };
}

/** The policy every report carries in its head (templates/report.hbs). */
export const reportPolicy = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`;

/** What in a rendered report could run or load something, or undefined. */
function activeContent(html: string): string | undefined {
  const m =
    /<(script|iframe|frame|object|embed|applet|base|link|form|portal)\b|<meta[^>]+http-equiv\s*=\s*["']?refresh|<[^>]*\son[a-z]+\s*=|<[^>]*(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(?:javascript|vbscript):/i.exec(
      html,
    );
  return m ? `carry active content (${m[0].trim().slice(0, 40)})` : undefined;
}

function missingPolicy(html: string): string | undefined {
  const at = html.indexOf(reportPolicy);
  const body = html.search(/<body\b/i);
  return at < 0 || (body >= 0 && at > body) ? 'lack the built-in Content-Security-Policy in its head' : undefined;
}
