// evidence-pack.yaml: what a scheduled run repeats every month. Keys are the command-line flags, as declared
// in options.ts (schema and starter are derived from it); flags given on the command line win. Relative
// paths are relative to the file.
import { dirname, resolve } from 'node:path';
import { defaultConfigFile, settingsOptions, wholeNumberRule, wholeNumberWithin, type OptionSpec, type Section } from './options.ts';
import { compileSchema, loadYamlFile } from '../core/data-file.ts';
import { InputError } from '../core/errors.ts';

export { defaultConfigFile };

const sections = { top: settingsOptions('top'), collect: settingsOptions('collect') };

const str = { type: 'string', minLength: 1 } as const;
/** The schema of one key, from its option: choices, a pattern; whole numbers are checked as flags are (checkWholeNumbers). */
function keySchema(spec: OptionSpec): object {
  const one = spec.choices
    ? { enum: spec.choices }
    : spec.bounds
      ? {}
      : spec.type === 'boolean'
        ? { type: 'boolean' }
        : spec.type === 'number'
          ? { type: 'number' }
          : spec.pattern
            ? { type: 'string', pattern: spec.pattern }
            : str;
  // A repeatable flag: a list, or a single value as a list of one.
  return spec.array ? { anyOf: [one, { type: 'array', items: one, minItems: 1 }] } : one;
}
const sectionSchema = (keys: Map<string, OptionSpec>) => Object.fromEntries([...keys].map(([k, spec]) => [k, keySchema(spec)]));

// An all-comment file (the starter) is an empty document: null.
const schema = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    ...sectionSchema(sections.top),
    collect: { type: 'object', additionalProperties: false, properties: sectionSchema(sections.collect) },
  },
};

type Config = (Record<string, unknown> & { collect?: Record<string, unknown> }) | null;
const validate = compileSchema<Config>(schema);

/** Every key a settings file may hold, by section: what the schema is made of (tests read it). */
export const settingsSchema = schema;

/** The defaults a config file gives one command, paths made absolute. */
export function configDefaults(file: string, command: string): Record<string, unknown> {
  const { data, lineOf } = loadYamlFile(file, validate);
  const { collect, ...top } = data ?? {};
  checkWholeNumbers(file, lineOf, top, 'top');
  if (collect) checkWholeNumbers(file, lineOf, collect, 'collect');
  const section: Section = command === 'collect' ? 'collect' : 'top';
  const chosen: Record<string, unknown> = section === 'collect' ? { ...collect } : top;
  const base = dirname(resolve(file));
  for (const [k, v] of Object.entries(chosen)) {
    const spec = sections[section].get(k)!;
    const list = spec.array && !Array.isArray(v) ? [v] : v;
    chosen[k] = spec.path ? (Array.isArray(list) ? list.map((p: string) => resolve(base, p)) : resolve(base, list as string)) : list;
  }
  return chosen;
}

/** Whole numbers from the file pass the flag's own check (the same bounds, the same words). */
function checkWholeNumbers(file: string, lineOf: (path: string[]) => number | undefined, values: Record<string, unknown>, section: Section): void {
  for (const [k, v] of Object.entries(values)) {
    const bounds = sections[section].get(k)?.bounds;
    if (!bounds || wholeNumberWithin(v, bounds) !== undefined) continue;
    const path = section === 'collect' ? ['collect', k] : [k];
    const line = lineOf(path);
    throw new InputError(line ? `${file}:${line}` : file, path.join('.'), wholeNumberRule(bounds));
  }
}

/** One commented line of the starter: `# key: value   # note`. */
function starterLine(indent: string, key: string, spec: OptionSpec): string {
  const [value, note] = spec.starter ?? ['…'];
  const setting = `# ${indent}${key}: ${value}`;
  return note ? `${setting.padEnd(40)} # ${note}` : setting;
}

export const starterConfig = [
  `# ${defaultConfigFile}: what a monthly run repeats. Every key is a command-line flag; flags win.`,
  '# Paths are relative to this file. Uncomment what you need.',
  '',
  ...[...sections.top].map(([k, spec]) => starterLine('', k, spec)),
  '',
  '# collect:',
  ...[...sections.collect].map(([k, spec]) => starterLine('  ', k, spec)),
  '',
].join('\n');
