import { readJsonFile } from '../evidence/json-file.ts';
import { InputError } from '../errors.ts';
import { resultSchemaVersion, type Result } from './result.ts';

/** Reads a result.json for rendering; older schema versions would be upgraded here. */
export function readResult(file: string): Result {
  const { value } = readJsonFile<Partial<Result>>(file, file);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(file, undefined, 'not a result document');
  if (value.schema !== resultSchemaVersion) {
    throw new InputError(file, 'schema', `unsupported result schema ${JSON.stringify(value.schema)} (this tool reads ${resultSchemaVersion})`);
  }
  for (const field of ['controls', 'resources', 'gaps'] as const) {
    if (!Array.isArray(value[field])) throw new InputError(file, field, 'missing or not a list');
  }
  return value as Result;
}
