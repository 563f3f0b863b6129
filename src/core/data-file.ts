import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { isNode } from 'yaml';
import { imagedData } from './data-file-image.ts';
import { InputError } from './errors.ts';
import { parseYamlText } from './yaml-documents.ts';

const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });

export function compileSchema<T>(schema: object): ValidateFunction<T> {
  return ajv.compile<T>(schema);
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

/**
 * Reads a YAML (or JSON) data file and validates it; errors name file:line and the field. `lineOf` finds
 * the line of a field for errors found later (cross-checks between files).
 */
export function loadYamlFile<T>(file: string, validate: ValidateFunction<T>): { data: T; bytes: Buffer; lineOf: (path: (string | number)[]) => number | undefined } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError(file, undefined, `cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const text = bytes.toString('utf8');
  const imaged = imagedData(bytes);
  let data: unknown = imaged;
  if (imaged === undefined) {
    const { doc } = parseYamlText(file, text);
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const pos = e.linePos?.[0];
      throw new InputError(pos ? `${file}:${pos.line}` : file, undefined, e.message.split('\n')[0]!);
    }
    try {
      // Aliases are expanded as they are met: a few lines can name billions of nodes ("billion laughs").
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new InputError(file, undefined, (e as Error).message.split('\n')[0]!);
    }
  }
  // Lines are looked up only for an error: an imaged file is parsed then.
  const lineOf = (path: (string | number)[]) => {
    const { doc, lineCounter } = parseYamlText(file, text);
    const node = doc.getIn(path, true);
    return isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
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
