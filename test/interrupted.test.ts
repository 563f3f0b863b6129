// What an interrupted run leaves: the next run completes a pack left without its archive or index entry
// (when it verifies) and removes dead runs' temporaries; a run that fails while archiving leaves nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { onlyPack, runCliInProcess, tempDir } from './helpers.ts';

/** A process id no process has: that of a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

const indexOf = (orgDir: string) => JSON.parse(readFileSync(join(orgDir, 'index.json'), 'utf8')) as { packs: { packId: string }[] };

describe('a run after an interrupted one', () => {
  it("completes a pack left without its archive and index entry, byte for byte, and removes dead runs' temporaries", { timeout: 180_000 }, async (t) => {
    const out = join(tempDir(t), 'out');
    const first = await runCliInProcess(['run', '--no-pdf', '-q', '--out', out]);
    assert.equal(first.code, 0, first.stderr);
    const pack = onlyPack(out);
    const orgDir = dirname(dirname(pack));
    const zip = readFileSync(`${pack}.zip`);
    // What kill -9 leaves between the pack's rename and its index entry: no archive, no entry, a partial zip, an index temporary.
    rmSync(`${pack}.zip`);
    writeFileSync(join(orgDir, 'index.json'), JSON.stringify({ organization: basename(orgDir), packs: [] }));
    const dead = deadPid();
    writeFileSync(join(out, `.tmp-${dead}-${basename(pack)}.zip`), 'PK\u0003\u0004 truncated');
    writeFileSync(join(orgDir, `index.json.tmp-${dead}`), '{"packs": [');

    const second = await runCliInProcess(['run', '--no-pdf', '--out', out], { SOURCE_DATE_EPOCH: String(1793491200 + 3600) });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, new RegExp(`evidence-pack: ${pack}: completed \\(${basename(pack)}\\.zip and index entry\\) after an interrupted run`));
    assert.ok(readFileSync(`${pack}.zip`).equals(zip), 'the archive the interrupted run would have written');
    const indexed = indexOf(orgDir).packs.map((p) => p.packId);
    assert.equal(indexed.length, 2, 'the completed pack and the new one');
    assert.ok(indexed.includes(basename(pack)) && indexed.some((id) => id.startsWith('pack-20261101T010000Z-')), indexed.join(', '));
    assert.deepEqual(
      readdirSync(out).filter((n) => n.startsWith('.tmp-')),
      [],
      "the dead run's partial zip removed",
    );
    assert.deepEqual(
      readdirSync(orgDir).filter((n) => n.includes('.tmp-')),
      [],
      "the dead run's index temporary removed",
    );
  });

  it('leaves a pack that does not verify as it is, and names it', { timeout: 180_000 }, async (t) => {
    const out = join(tempDir(t), 'out');
    assert.equal((await runCliInProcess(['run', '--no-pdf', '-q', '--out', out])).code, 0);
    const pack = onlyPack(out);
    rmSync(`${pack}.zip`);
    appendFileSync(join(pack, 'result.json'), ' ');
    const again = await runCliInProcess(['run', '--no-pdf', '--out', out], { SOURCE_DATE_EPOCH: String(1793491200 + 3600) });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, new RegExp(`evidence-pack: ${pack}: left by an interrupted run without its archive or index entry, and does not verify: left as it is`));
    assert.ok(!existsSync(`${pack}.zip`), 'no archive made of a pack that does not verify');
  });

  it('a full disk while archiving: exit 2, and no pack, partial zip or index temporary left', { timeout: 180_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-pack-fs-'));
    const mount = (size: string) => spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0;
    if (!mount('8m')) {
      rmdirSync(dir);
      t.skip('mounting a tmpfs needs root on Linux');
      return;
    }
    // A write stream the failed run gave up on (exceljs's, say) closes a moment after the run's answer: in-process,
    // its descriptor can still hold the tmpfs for that moment.
    const unmount = async () => {
      for (let tries = 0; spawnSync('umount', [dir]).status !== 0 && tries < 50; tries++) await new Promise((r) => setTimeout(r, 100));
    };
    t.after(async () => {
      await unmount();
      rmdirSync(dir);
    });
    // Sized from this pack: room for the pack folder, not for its archive as well.
    assert.equal((await runCliInProcess(['run', '--no-pdf', '-q', '--out', join(dir, 'probe')])).code, 0);
    const probe = onlyPack(join(dir, 'probe'));
    const kib = (p: string) => Number(spawnSync('du', ['-sk', p]).stdout.toString().split('\t')[0]);
    const size = kib(probe) + Math.floor(kib(`${probe}.zip`) / 2);
    await unmount();
    assert.ok(mount(`${size}k`));
    const out = join(dir, 'out');
    const r = await runCliInProcess(['run', '--no-pdf', '--out', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr.trim(), /^evidence-pack: cannot write .*: no space left on the device \(ENOSPC\); nothing was left behind$/);
    const left = existsSync(out) ? (readdirSync(out, { recursive: true }) as string[]).filter((p) => /pack-|\.tmp-/.test(p)) : [];
    assert.deepEqual(left, [], 'nothing was left behind, as the message says');
  });
});
