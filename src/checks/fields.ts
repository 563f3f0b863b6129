import type { Resource } from '../evidence/types.ts';
import { MissingEvidence } from './types.ts';

type Part = 'configuration' | 'supplementary';

function lookup(resource: Resource, part: Part, path: string): unknown {
  let value: unknown = resource[part];
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const prefix: Record<Part, string> = { configuration: 'configuration', supplementary: 'supplementaryConfiguration' };

/** A field the check cannot decide without: absent or of the wrong type throws MissingEvidence. */
export function requireField<T extends 'boolean' | 'string' | 'object'>(
  resource: Resource,
  part: Part,
  path: string,
  type: T,
): T extends 'boolean' ? boolean : T extends 'string' ? string : Record<string, unknown> {
  const value = lookup(resource, part, path);
  if (value === undefined || value === null || typeof value !== type) throw new MissingEvidence(`${prefix[part]}.${path}`);
  return value as never;
}

/** A field whose absence is itself the answer (e.g. no default-encryption configuration). */
export function optionalField(resource: Resource, part: Part, path: string): unknown {
  return lookup(resource, part, path);
}

/** Every string in a JSON value with its dotted path (for scanning free-form configuration). */
export function* strings(value: unknown, path = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* strings(value[i], `${path}[${i}]`);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* strings(v, path ? `${path}.${k}` : k);
  }
}
