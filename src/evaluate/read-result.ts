import { readJsonFile } from '../evidence/json-file.ts';
import { InputError } from '../core/errors.ts';
import { frameworksFromLegacy } from './legacy-frameworks.ts';
import { readLineBatches } from './item-files.ts';
import { legacyResultSchemaVersions, resultSchemaVersion, type ControlResult, type EvidenceItem, type JsonLinesFile, type Result, type ResultResource } from './result.ts';

const readable: readonly string[] = [resultSchemaVersion, ...legacyResultSchemaVersions];

/** Reads a result.json for rendering: this schema, or an older one whose documents carry every item inline. */
export function readResult(file: string): Result {
  const { value } = readJsonFile<Partial<Result>>(file, file);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(file, undefined, 'not a result document');
  if (!readable.includes(value.schema as string)) {
    throw new InputError(file, 'schema', `unsupported result schema ${JSON.stringify(value.schema)} (this tool reads ${readable.join(', ')})`);
  }
  for (const field of [
    'controls',
    'gaps',
    ...(value.schema === 'evidence-pack/result@1' ? (['resources'] as const) : []),
    ...(value.schema === resultSchemaVersion || value.schema === 'evidence-pack/result@4' ? (['frameworks'] as const) : []),
  ] as const) {
    if (!Array.isArray(value[field])) throw new InputError(file, field, 'missing or not a list');
  }
  if (value.schema === 'evidence-pack/result@1') return frameworksFromLegacy(value as Result);
  if (typeof value.inventory !== 'object' || value.inventory === null) throw new InputError(file, 'inventory', 'missing');
  if (value.schema === resultSchemaVersion || value.schema === 'evidence-pack/result@4') return value as Result;
  return frameworksFromLegacy(value.schema === 'evidence-pack/result@3' ? (value as Result) : partsFromResult2(value as Result));
}

/** result@2 pinned each JSON-lines file as one file: the same as a list of one part. */
function partsFromResult2(result: Result): Result {
  const parts = (f: unknown) => (f === undefined || Array.isArray(f) ? f : [f]) as JsonLinesFile[] | undefined;
  return { ...result, inventory: parts(result.inventory), controls: result.controls.map((c) => (c.items ? { ...c, items: parts(c.items) } : c)) };
}

/** Every evidence item of a control, in batches: from its JSON-lines file in the pack, or inline in an older result. */
export async function* controlItemBatches(packDir: string, control: Pick<ControlResult, 'items' | 'evidence'>): AsyncGenerator<EvidenceItem[]> {
  if (control.items) yield* readLineBatches<EvidenceItem>(packDir, control.items);
  else yield control.evidence;
}

/** Every resource evaluated, in batches: from resources.jsonl in the pack, or inline in an older result. */
export async function* resultResourceBatches(packDir: string, result: Result): AsyncGenerator<ResultResource[]> {
  if (result.inventory) yield* readLineBatches<ResultResource>(packDir, result.inventory);
  else yield result.resources ?? [];
}
