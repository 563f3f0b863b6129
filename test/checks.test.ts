// The check registry as a whole: discovery of src/checks/<service>/<check-id>/ and what it refuses.
// Each check's own tests are beside it (src/checks/<service>/<check-id>/check.test.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadCatalog } from '../src/catalog/load.ts';
import { discoverChecks } from '../src/checks/discover.ts';
import { checks, checksById } from '../src/checks/index.ts';
import { root, tempDir } from './helpers.ts';

const checksDir = join(root, 'src/checks');
const folders = readdirSync(checksDir, { withFileTypes: true })
  .filter((s) => s.isDirectory())
  .flatMap((s) =>
    readdirSync(join(checksDir, s.name), { withFileTypes: true })
      .filter((c) => c.isDirectory())
      .map((c) => `${s.name}/${c.name}`),
  );

/** A check module as a folder holds it; `id` is its check's id. */
const checkModule = (id: string) =>
  `export const check = { id: '${id}', title: '${id}', service: 'Test', resourceTypes: '*', source: { kind: 'config' }, remediation: 'none', evaluate: () => ({ status: 'pass', message: 'ok' }) };\n`;

/** A checks directory with `files` (path → text) under a temporary root. */
function checksRoot(t: Parameters<typeof tempDir>[0], files: Record<string, string>): string {
  const dir = tempDir(t, 'evidence-pack-checks-');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Discovery fails with one line that names `folder` and says `problem`. */
async function refuses(dir: string, moduleFile: string, folder: string, problem: RegExp) {
  await assert.rejects(discoverChecks({ root: dir, moduleFile }), (e: Error) => {
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    assert.ok(e.message.startsWith(`${join(dir, folder)}: `), e.message);
    assert.match(e.message, problem);
    return true;
  });
}

describe('the check registry', () => {
  it('holds every check folder, once, sorted by service and id', () => {
    assert.equal(checksById.size, checks.length);
    assert.deepEqual(
      checks.map((c) => c.id),
      folders.sort().map((f) => f.split('/')[1]),
    );
    assert.ok(checks.length >= 17, `${checks.length} checks`);
  });

  it('each check folder holds its test', () => {
    for (const f of folders) assert.ok(existsSync(join(checksDir, f, 'check.test.ts')), `src/checks/${f}/check.test.ts`);
  });

  it('a built-in check no control names fails the catalog in one line naming its folder', () => {
    assert.throws(
      () => loadCatalog(new Set([...checksById.keys(), 'ec2-new-check'])),
      (e: Error) =>
        !e.message.includes('\n') &&
        /^src\/checks\/\*\/ec2-new-check\/: built-in check "ec2-new-check" is on no control: name it in a control's evidence\.checks in .*catalogs\/controls\/.*\.yaml$/.test(e.message),
    );
  });
});

describe('check discovery', () => {
  it('finds check.ts in every <service>/<check-id>/ folder, in sorted order; helpers and fixtures are not checks', async (t) => {
    const dir = checksRoot(t, {
      'zeta/zeta-b/check.ts': checkModule('zeta-b'),
      'alpha/alpha-b/check.ts': checkModule('alpha-b'),
      'alpha/alpha-a/check.ts': checkModule('alpha-a'),
      'alpha/alpha-a/check.test.ts': 'throw new Error("a test is not loaded by discovery");\n',
      'alpha/alpha-a/fixtures/item.json': '{}\n',
      'alpha/helper.ts': 'throw new Error("a helper is not a check");\n',
      'types.ts': 'export {};\n',
    });
    assert.deepEqual(
      (await discoverChecks({ root: dir, moduleFile: 'check.ts' })).map((c) => c.id),
      ['alpha-a', 'alpha-b', 'zeta-b'],
    );
  });

  it("compiled: finds check.js, the loader's own extension, and not check.ts", async (t) => {
    // As tsc emits it (the tests run under tsx, which would resolve check.js to a check.ts beside it: none in dist/).
    const dir = checksRoot(t, {
      's3/s3-a/check.js': checkModule('s3-a'),
      's3/s3-a/check.d.ts': 'export declare const check: unknown;\n',
      's3/s3-a/check.test.js': 'throw new Error("not shipped, not loaded");\n',
    });
    assert.deepEqual(
      (await discoverChecks({ root: dir, moduleFile: 'check.js' })).map((c) => c.id),
      ['s3-a'],
    );
    await refuses(checksRoot(t, { 's3/s3-a/check.ts': checkModule('s3-a') }), 'check.js', 's3/s3-a', /: no check\.js \(each folder under a service folder is one check\)$/);
  });

  it('refuses a folder without its check module', async (t) => {
    await refuses(checksRoot(t, { 's3/s3-a/check.ts': checkModule('s3-a'), 's3/s3-b/fixtures/item.json': '{}' }), 'check.ts', 's3/s3-b', /: no check\.ts /);
  });

  it('refuses a module without a `check` export', async (t) => {
    await refuses(checksRoot(t, { 's3/s3-a/check.ts': "export const s3A = { id: 's3-a' };\n" }), 'check.ts', 's3/s3-a', /: check\.ts does not export `check`/);
    await refuses(checksRoot(t, { 's3/s3-a/check.ts': "export const check = { id: 's3-a' };\n" }), 'check.ts', 's3/s3-a', /: check\.ts does not export `check` \(a Check with an id and evaluate\)$/);
  });

  it('refuses a module that does not load, in one line', async (t) => {
    await refuses(checksRoot(t, { 's3/s3-a/check.ts': "import { nothing } from './missing.ts';\nexport const check = nothing;\n" }), 'check.ts', 's3/s3-a', /: check\.ts does not load: /);
  });

  it('refuses a duplicate id, naming both folders', async (t) => {
    const dir = checksRoot(t, { 'common/s3-a/check.ts': checkModule('s3-a'), 's3/s3-a/check.ts': checkModule('s3-a') });
    await refuses(dir, 'check.ts', 's3/s3-a', new RegExp(`: duplicate check id "s3-a" \\(also ${join(dir, 'common/s3-a').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\)$`));
  });

  it("refuses a check whose id is not its folder's name", async (t) => {
    await refuses(checksRoot(t, { 's3/s3-a/check.ts': checkModule('s3-other') }), 'check.ts', 's3/s3-a', /: check id "s3-other" is not the folder's name$/);
  });
});
