// A data file parsed once per process while its bytes stay the same (tests load the catalog hundreds of times).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileSchema, loadYamlFile } from '../src/core/data-file.ts';
import { parseYamlText } from '../src/core/yaml-documents.ts';
import { tempDir } from './helpers.ts';

const validate = compileSchema<{ name: string; items: number[] }>({
  type: 'object',
  properties: { name: { type: 'string' }, items: { type: 'array', items: { type: 'number' } } },
  required: ['name', 'items'],
  additionalProperties: false,
});

describe('parsed YAML documents', () => {
  it('the same text at the same path is parsed once; other text, or another path, is parsed again', () => {
    const a = parseYamlText('/x/controls.yaml', 'name: a\n');
    assert.equal(parseYamlText('/x/controls.yaml', 'name: a\n').doc, a.doc, 'reused');
    assert.notEqual(parseYamlText('/x/controls.yaml', 'name: b\n').doc, a.doc, 'the file changed');
    assert.notEqual(parseYamlText('/y/controls.yaml', 'name: b\n').doc, a.doc, 'another file');
  });

  it('each load gets its own data: changing what one load returned changes nothing for the next', (t) => {
    const file = join(tempDir(t), 'data.yaml');
    writeFileSync(file, 'name: first\nitems: [1, 2]\n');
    const one = loadYamlFile(file, validate).data;
    one.items.push(3);
    one.name = 'changed';
    assert.deepEqual(loadYamlFile(file, validate).data, { name: 'first', items: [1, 2] });
  });

  it('a file rewritten between loads is read as it is now, and its errors name the line they are on now', (t) => {
    const file = join(tempDir(t), 'data.yaml');
    writeFileSync(file, 'name: first\nitems: [1]\n');
    assert.equal(loadYamlFile(file, validate).data.name, 'first');
    writeFileSync(file, 'name: second\nitems: [1]\n');
    assert.equal(loadYamlFile(file, validate).data.name, 'second');
    writeFileSync(file, 'name: second\n\nitems: [one]\n');
    for (let i = 0; i < 2; i++)
      assert.throws(
        () => loadYamlFile(file, validate),
        (e: Error) => e.message.includes(`${file}:3`) && /items\[0\]/.test(e.message),
        `load ${i + 1}`,
      );
    writeFileSync(file, 'name: [unclosed\n');
    for (let i = 0; i < 2; i++)
      assert.throws(
        () => loadYamlFile(file, validate),
        (e: Error) => e.message.startsWith(`${file}:`),
        `a syntax error, load ${i + 1}`,
      );
  });
});
