// The dependency rule (.dependency-cruiser.cjs) fails on what it names: modules planted in a scratch tree with an
// import into a layer above, a cycle, a check through the reader barrel, and a verifier that reaches a renderer.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { cruise, type ICruiseOptions, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';
import { tempDir } from './helpers.ts';

const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as { forbidden: IForbiddenRuleType[]; options: ICruiseOptions };

async function violationsIn(t: { after(fn: () => void): void }, files: Record<string, string>): Promise<string[]> {
  const dir = tempDir(t);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const { output } = await cruise(['src'], { baseDir: dir, validate: true, ruleSet: { forbidden: config.forbidden }, tsPreCompilationDeps: true });
  return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name} ${v.from} ${v.to}`).sort();
}

describe('the dependency rule', () => {
  it('passes imports down the layers and fails one up, a cycle, the reader barrel in a check, and a verifier loading a renderer', async (t) => {
    const found = await violationsIn(t, {
      'src/core/errors.ts': 'export const e = 1;\n',
      'src/render/html.ts': "import { e } from '../core/errors.ts';\nimport { layout } from '../pack/layout.ts';\nexport const html = e + layout;\n",
      'src/pack/layout.ts': 'export const layout = 1;\n',
      'src/pack/stages.ts': "import { html } from '../render/html.ts';\nexport const stages = html;\n",
      'src/pack/open-verified.ts': "import { stages } from './stages.ts';\nexport const opened = stages;\n",
      'src/evidence/a.ts': "import { b } from './b.ts';\nexport const a = 1;\nexport const ab = b;\n",
      'src/evidence/b.ts': "import { a } from './a.ts';\nexport const b = a;\n",
      'src/evidence/read.ts': "export { a } from './a.ts';\n",
      'src/checks/s3/check.ts': "import { a } from '../../evidence/read.ts';\nexport const check = a;\n",
    });
    assert.deepEqual(found, [
      'checks-import-the-reader-barrel src/checks/s3/check.ts src/evidence/read.ts',
      'no-circular src/evidence/a.ts src/evidence/b.ts',
      'render-imports-layer-above src/render/html.ts src/pack/layout.ts',
      'verifying-loads-renderers src/pack/open-verified.ts src/render/html.ts',
    ]);
  });

  it("holds for the product's own modules, with no known exception left", async () => {
    // As `npm run lint:deps` runs it, so a violation the config were to list as known (ignored) fails here too.
    const { output } = await cruise(['src'], { ...config.options, baseDir: fileURLToPath(new URL('..', import.meta.url)), validate: true, ruleSet: { forbidden: config.forbidden } });
    assert.deepEqual(
      (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name} ${v.from} ${v.to}`),
      [],
    );
  });
});
