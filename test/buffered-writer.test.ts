// A file writer whose last write fails (a full disk) still closes its file: the error must not leave the descriptor open.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BufferedFileWriter } from '../src/core/buffered-writer.ts';

const openOn = (path: string) =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;

describe('BufferedFileWriter', { skip: !existsSync('/dev/full') && 'needs /dev/full (Linux) to fail a write' }, () => {
  it('closes its file when the last write fails with ENOSPC', () => {
    const before = openOn('/dev/full');
    const out = new BufferedFileWriter('/dev/full', { hashed: false });
    out.write('evidence');
    assert.equal(openOn('/dev/full'), before + 1);
    assert.throws(
      () => out.close(),
      (e: NodeJS.ErrnoException) => e.code === 'ENOSPC',
    );
    assert.equal(openOn('/dev/full'), before, 'the descriptor was closed');
  });
});
