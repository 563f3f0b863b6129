// The FedRAMP 20x Key Security Indicator catalog (catalogs/ksi/, written by import-ksi.ts): loaded and validated
// like the other catalog files, errors naming file:line and field. It lives outside catalogs/frameworks/: it is
// not a framework section of the report but a roll-up of another framework's statuses (`controlsOf`).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { compileSchema, loadYamlFile } from '../core/data-file.ts';
import { InputError } from '../core/errors.ts';
import { catalogsDir } from '../core/paths.ts';

export const ksiCatalogPath = 'ksi/fedramp-20x-ksi.yaml';

export type KsiLevel = 'required' | 'optional' | 'not-applicable';

export interface KsiIndicator {
  id: string;
  fka?: string;
  name: string;
  low: KsiLevel;
  moderate: KsiLevel;
  controls: string[];
}
export interface KsiTheme {
  id: string;
  name: string;
  indicators: KsiIndicator[];
}

export interface KsiCatalog {
  framework: string;
  title: string;
  /** The framework whose control ids `controls` are: its statuses are what the indicators roll up. */
  controlsOf: string;
  /** The view (catalogs/frameworks/) whose controls' evidence UCM is tied to. */
  ucmView: string;
  provenance: { publisher: string; file: string; version: string; lastUpdated: string; sha256: string; repository: string }[];
  /** The UCM standard (using cryptographic modules): its id and requirement ids, for the FIPS evidence to cite. */
  ucm: { id: string; name: string; requirements: { id: string; name: string; moderate?: string }[] };
  themes: KsiTheme[];
}

const str = { type: 'string', minLength: 1 } as const;
const level = { enum: ['required', 'optional', 'not-applicable'] } as const;
const nistId = { type: 'string', pattern: '^[A-Z]{2}-\\d+(\\(\\d+\\))?$' } as const;

export const ksiCatalogSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['framework', 'title', 'controlsOf', 'ucmView', 'provenance', 'ucm', 'themes'],
  properties: {
    framework: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]*$' },
    title: str,
    controlsOf: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]*$' },
    ucmView: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]*$' },
    provenance: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['publisher', 'file', 'version', 'lastUpdated', 'sha256', 'repository'],
        properties: { publisher: str, file: str, version: str, lastUpdated: str, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' }, repository: str },
      },
    },
    ucm: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name', 'requirements'],
      properties: {
        id: str,
        name: str,
        requirements: {
          type: 'array',
          minItems: 1,
          items: { type: 'object', additionalProperties: false, required: ['id', 'name'], properties: { id: str, name: str, moderate: { enum: ['MUST', 'SHOULD', 'MAY'] } } },
        },
      },
    },
    themes: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'indicators'],
        properties: {
          id: { type: 'string', pattern: '^KSI-[A-Z]{3}$' },
          name: str,
          indicators: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'name', 'low', 'moderate', 'controls'],
              properties: {
                id: { type: 'string', pattern: '^KSI-[A-Z]{3}-[A-Z0-9]{2,}$' },
                fka: str,
                name: str,
                low: level,
                moderate: level,
                controls: { type: 'array', items: nistId, uniqueItems: true },
              },
            },
          },
        },
      },
    },
  },
} as const;

const validate = compileSchema<KsiCatalog>(ksiCatalogSchema);

/**
 * Loads the KSI catalog; `nistControls` (the NIST catalog's ids, when given) rejects an edge to a
 * control NIST does not define. Returns the sha256 of the file's bytes, which ksi.json records.
 */
export function loadKsiCatalog(dir: string = catalogsDir, nistControls?: ReadonlySet<string>): { catalog: KsiCatalog; sha256: string } {
  const file = join(dir, ksiCatalogPath);
  const { data, bytes } = loadYamlFile(file, validate);
  const seen = new Set<string>();
  data.themes.forEach((theme, i) => {
    theme.indicators.forEach((ind, j) => {
      const at = `themes[${i}].indicators[${j}]`;
      if (seen.has(ind.id)) throw new InputError(file, `${at}.id`, `duplicate indicator ${ind.id}`);
      seen.add(ind.id);
      if (!ind.id.startsWith(`${theme.id}-`)) throw new InputError(file, `${at}.id`, `${ind.id} is not in theme ${theme.id}`);
      ind.controls.forEach((c, k) => {
        if (nistControls && !nistControls.has(c)) throw new InputError(file, `${at}.controls[${k}]`, `unknown ${data.controlsOf} control "${c}"`);
      });
    });
  });
  return { catalog: data, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The indicators that apply at FedRAMP Moderate, in catalog order, with their theme. */
export function moderateIndicators(catalog: KsiCatalog): (KsiIndicator & { theme: KsiTheme })[] {
  return catalog.themes.flatMap((theme) => theme.indicators.filter((i) => i.moderate === 'required').map((i) => ({ ...i, theme })));
}
