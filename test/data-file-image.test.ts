// The built-in catalogs' data is parsed at build time (dist/data-files.json); a file whose bytes differ is parsed as
// ever, and the line of a field is still found for an error.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { compiled, root, tempDir } from './helpers.ts';

const { imagedData, dataFileImage } = await compiled<typeof import('../src/core/data-file-image.ts')>('core/data-file-image');
const { compileSchema, loadYamlFile } = await compiled<typeof import('../src/core/data-file.ts')>('core/data-file');

const catalogFiles = (readdirSync(join(root, 'catalogs'), { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml')).map((f) => join(root, 'catalogs', f));

describe('the build-time image of the built-in catalogs', () => {
  it('holds every built-in catalog file, by the sha256 of its bytes, with the data the YAML parses to', () => {
    const image = JSON.parse(readFileSync(dataFileImage, 'utf8')) as Record<string, string>;
    assert.equal(Object.keys(image).length, catalogFiles.length);
    for (const file of catalogFiles) {
      const bytes = readFileSync(file);
      assert.ok(image[createHash('sha256').update(bytes).digest('hex')], file);
      assert.deepEqual(imagedData(bytes), parse(bytes.toString('utf8')), file);
    }
  });

  it('gives a fresh copy each time: a caller that changes its data changes no later load', () => {
    const bytes = readFileSync(catalogFiles[0]!);
    const first = imagedData(bytes) as Record<string, unknown>;
    for (const k of Object.keys(first)) delete first[k];
    assert.deepEqual(imagedData(bytes), parse(bytes.toString('utf8')));
  });

  it('parses a file whose bytes differ, and names the line of a field in an imaged file', (t) => {
    const dir = tempDir(t);
    const controls = catalogFiles.find((f) => f.includes('/controls/'))!;
    cpSync(controls, join(dir, 'same.yaml'));
    const edited = `${readFileSync(controls, 'utf8')}\n# an edit\n`;
    assert.equal(imagedData(Buffer.from(edited)), undefined);
    const refuse = compileSchema({ type: 'object', required: ['no-such-key'] });
    assert.throws(() => loadYamlFile(join(dir, 'same.yaml'), refuse), /same\.yaml(:\d+)?: /);
    const id = compileSchema({ type: 'object', properties: { controls: { type: 'array', items: { type: 'object', properties: { id: { type: 'string', pattern: '^never$' } } } } } });
    const line =
      readFileSync(controls, 'utf8')
        .split('\n')
        .findIndex((l) => /^\s*-?\s*id:/.test(l)) + 1;
    assert.throws(() => loadYamlFile(join(dir, 'same.yaml'), id), new RegExp(`same\\.yaml:${line}: controls\\[0\\]\\.id`));
  });
});
