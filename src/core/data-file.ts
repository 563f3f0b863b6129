import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { isNode } from 'yaml';
import { imagedData } from './data-file-image.ts';
import { InputError } from './errors.ts';
import { parseYamlText } from './yaml-documents.ts';

const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });

const declared: (() => unknown)[] = [];

/**
 * Compiles every schema declared so far and returns how many: a test loads the program's schemas and calls it, so
 * a mistake in the schema of a path seldom taken is found by the tests, not by the user who first takes it.
 */
export function compileDeclaredSchemas(): number {
  for (const compile of declared) compile();
  return declared.length;
}

/**
 * A validator for the schema, compiled when it first validates: modules declare their schemas at load, and a
 * command compiles only those it uses (compiling them all cost every start about 0.15 s).
 */
export function compileSchema<T>(schema: object): ValidateFunction<T> {
  let compiled: ValidateFunction<T> | undefined;
  const compile = () => (compiled ??= ajv.compile<T>(schema));
  declared.push(compile);
  const validate = ((data: unknown) => {
    const compiledValidate = compile();
    const valid = compiledValidate(data);
    validate.errors = compiledValidate.errors;
    return valid;
  }) as ValidateFunction<T>;
  validate.schema = schema;
  return validate;
}

/** "/controls/3/assessment" → "controls[3].assessment" */
export function fieldPath(instancePath: string, extra?: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra) parts.push(extra);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

export function describeAjvError(err: { instancePath: string; message?: string; params: Record<string, unknown> }): { field: string; problem: string } {
  const extra = (err.params.additionalProperty ?? err.params.missingProperty) as string | undefined;
  const problem = err.params.additionalProperty ? 'unknown field' : err.params.allowedValues ? `${err.message}: ${(err.params.allowedValues as unknown[]).join(', ')}` : (err.message ?? 'invalid');
  return { field: fieldPath(err.instancePath, extra) || '(top level)', problem };
}

/** A data file's bytes and data, as read; `lineOf` finds the line of a field for an error. */
export interface DataFile {
  file: string;
  data: unknown;
  bytes: Buffer;
  lineOf: (path: (string | number)[]) => number | undefined;
}

/**
 * Reads a YAML (or JSON) data file: the build's image of it when it is a built-in catalog file as shipped
 * (data-file-image.ts), else parsed. A file that does not parse is an error naming file:line.
 */
export function readDataFile(file: string): DataFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError(file, undefined, `cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // The YAML is parsed for an imaged file only when an error needs a line.
  const parsed = () => parseYamlText(file, bytes.toString('utf8'));
  const lineOf = (path: (string | number)[]) => {
    const { doc, lineCounter } = parsed();
    const node = doc.getIn(path, true);
    return isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
  const imaged = imagedData(bytes);
  if (imaged !== undefined) return { file, data: imaged, bytes, lineOf };
  const { doc } = parsed();
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new InputError(pos ? `${file}:${pos.line}` : file, undefined, e.message.split('\n')[0]!);
  }
  try {
    // Aliases are expanded as they are met: a few lines can name billions of nodes ("billion laughs").
    return { file, data: doc.toJS({ maxAliasCount: 100 }), bytes, lineOf };
  } catch (e) {
    throw new InputError(file, undefined, (e as Error).message.split('\n')[0]!);
  }
}

/** A data file read by readDataFile, validated: errors name file:line and the field. */
export function validateDataFile<T>(read: DataFile, validate: ValidateFunction<T>): { data: T; bytes: Buffer; lineOf: DataFile['lineOf'] } {
  const { file, data, bytes, lineOf } = read;
  if (!validate(data)) {
    const err = validate.errors![0]!;
    const { field, problem } = describeAjvError(err);
    const line = lineOf(
      err.instancePath
        .split('/')
        .slice(1)
        .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
    );
    throw new InputError(line ? `${file}:${line}` : file, field, problem);
  }
  return { data, bytes, lineOf };
}

/**
 * Reads a YAML (or JSON) data file and validates it; errors name file:line and the field. `lineOf` finds
 * the line of a field for errors found later (cross-checks between files).
 */
export function loadYamlFile<T>(file: string, validate: ValidateFunction<T>): { data: T; bytes: Buffer; lineOf: DataFile['lineOf'] } {
  return validateDataFile(readDataFile(file), validate);
}
