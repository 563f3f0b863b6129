import { readJsonFile } from '../evidence/json-file.ts';
import { InputError } from '../errors.ts';
import { readLineBatches, readLinesFile } from './item-files.ts';
import { legacyResultSchemaVersions, resultSchemaVersion, type ControlResult, type EvidenceItem, type Result, type ResultResource } from './result.ts';

const readable: readonly string[] = [resultSchemaVersion, ...legacyResultSchemaVersions];

/** Reads a result.json for rendering: this schema, or an older one whose documents carry every item inline. */
export function readResult(file: string): Result {
  const { value } = readJsonFile<Partial<Result>>(file, file);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(file, undefined, 'not a result document');
  if (!readable.includes(value.schema as string)) {
    throw new InputError(file, 'schema', `unsupported result schema ${JSON.stringify(value.schema)} (this tool reads ${readable.join(', ')})`);
  }
  for (const field of ['controls', 'gaps', ...(value.schema === resultSchemaVersion ? [] : ['resources'] as const)] as const) {
    if (!Array.isArray(value[field])) throw new InputError(file, field, 'missing or not a list');
  }
  if (value.schema === resultSchemaVersion && (typeof value.inventory !== 'object' || value.inventory === null)) throw new InputError(file, 'inventory', 'missing');
  return value as Result;
}

/** Every evidence item of a control, in batches: from its JSON-lines file in the pack, or inline in an older result. */
export async function* controlItemBatches(packDir: string, control: ControlResult): AsyncGenerator<EvidenceItem[]> {
  if (control.items) yield* readLineBatches<EvidenceItem>(packDir, control.items);
  else yield control.evidence;
}

/** Every resource evaluated, from resources.jsonl in the pack, or inline in an older result. */
export async function* resultResources(packDir: string, result: Result): AsyncGenerator<ResultResource> {
  if (result.inventory) yield* readLinesFile<ResultResource>(packDir, result.inventory);
  else yield* result.resources ?? [];
}
