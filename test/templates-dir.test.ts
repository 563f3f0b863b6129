// --templates DIR is untrusted input like an evidence folder: a link, named pipe or device among its
// template files is refused (exit 2, naming it), never skipped (the built-in file silently took its place).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadTemplates } from '../src/render/templates.ts';
import { root, runCliInProcess, tempDir } from './helpers.ts';

const refused = (dir: string, shown: string, kind: string) => (e: Error) => {
  assert.equal(e.name, 'InputError', `${e.name}: ${e.message}`);
  assert.equal(e.message, `${join(dir, shown)}: ${kind}, not a regular file: refused (links and special files are not followed)`);
  return true;
};

describe('--templates DIR: links and special files are refused, never skipped', () => {
  it('a linked report.hbs, a linked partial, a FIFO partial and a linked partials folder: each refused naming it', (t) => {
    const outside = join(tempDir(t), 'report.hbs');
    writeFileSync(outside, '<p>from elsewhere</p>');

    const linkedMain = tempDir(t);
    symlinkSync(outside, join(linkedMain, 'report.hbs'));
    assert.throws(() => loadTemplates(linkedMain), refused(linkedMain, 'report.hbs', 'a symbolic link'));

    const linkedPartial = tempDir(t);
    mkdirSync(join(linkedPartial, 'partials'));
    symlinkSync(join(root, 'templates/partials/cover.hbs'), join(linkedPartial, 'partials/cover.hbs'));
    assert.throws(() => loadTemplates(linkedPartial), refused(linkedPartial, 'partials/cover.hbs', 'a symbolic link'));

    const fifo = tempDir(t);
    mkdirSync(join(fifo, 'partials'));
    execFileSync('mkfifo', [join(fifo, 'partials/cover.hbs')]);
    assert.throws(() => loadTemplates(fifo), refused(fifo, 'partials/cover.hbs', 'a named pipe (FIFO)'));

    const linkedFolder = tempDir(t);
    symlinkSync(join(root, 'templates/partials'), join(linkedFolder, 'partials'));
    assert.throws(() => loadTemplates(linkedFolder), refused(linkedFolder, 'partials', 'a symbolic link'));

    const device = tempDir(t);
    symlinkSync('/dev/zero', join(device, 'report.css'));
    assert.throws(() => loadTemplates(device), refused(device, 'report.css', 'a symbolic link'));
  });

  it('files the report does not read (not .hbs or .css) are left alone; a regular override still applies', (t) => {
    const dir = tempDir(t);
    symlinkSync('/etc/hostname', join(dir, 'notes.txt'));
    mkdirSync(join(dir, 'partials'));
    writeFileSync(join(dir, 'partials/cover.hbs'), '<p class="mine">my cover</p>');
    assert.doesNotThrow(() => loadTemplates(dir));
  });

  it('--templates naming a file, not a folder: exit 2 in one line', (t) => {
    const file = join(tempDir(t), 'report.hbs');
    writeFileSync(file, 'x');
    assert.throws(
      () => loadTemplates(file),
      (e: Error) => e.name === 'UserError' && e.message === `--templates ${file}: not a directory`,
    );
  });

  it('the CLI: exit 2, one line naming the linked file, nothing signed', { timeout: 120_000 }, async (t) => {
    const work = tempDir(t);
    const dir = join(work, 'mine');
    mkdirSync(join(dir, 'partials'), { recursive: true });
    symlinkSync(join(root, 'templates/partials/cover.hbs'), join(dir, 'partials/cover.hbs'));
    const r = await runCliInProcess(['run', '--no-pdf', '-q', '--templates', dir, '--out', join(work, 'out')]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `evidence-pack: ${join(dir, 'partials/cover.hbs')}: a symbolic link, not a regular file: refused (links and special files are not followed)\n`);
  });
});
