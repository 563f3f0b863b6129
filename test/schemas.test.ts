import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compiled, root } from './helpers.ts';

describe("the program's schemas", () => {
  it('all compile under ajv strict mode, those of paths seldom taken included (they compile when first used)', async () => {
    const sources = (readdirSync(join(root, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts') && f !== 'core/data-file.ts');
    const declaring = sources.filter((f) => /compileSchema(<[^>]*>)?\(/.test(readFileSync(join(root, 'src', f), 'utf8').replace(/typeof compileSchema<[^>]*>/g, '')));
    assert.ok(declaring.length >= 5, `modules that declare schemas: ${declaring.join(', ')}`);
    for (const f of declaring) await compiled(f.replace(/\.ts$/, ''));
    const { compileDeclaredSchemas } = await compiled<typeof import('../src/core/data-file.ts')>('core/data-file');
    const calls = declaring.reduce((n, f) => n + (readFileSync(join(root, 'src', f), 'utf8').match(/\bcompileSchema(<[^>]*>)?\(/g) ?? []).length, 0);
    assert.ok(compileDeclaredSchemas() >= calls, 'every call site declared its schema on load');
  });
});
