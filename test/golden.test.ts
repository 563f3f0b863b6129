import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { onlyPack, root, runCli, tempDir } from './helpers.ts';

const golden = join(root, 'test/golden/sample-report.html');

/** A fixed Ed25519 key made from a constant seed, so the signer fingerprint on the cover is stable. */
function fixedKeyPem(): string {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, 7)]);
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString();
}

describe('golden report', () => {
  it('the sample renders to the reviewed HTML (UPDATE_GOLDEN=1 rewrites it after a deliberate change)', async (t) => {
    const work = tempDir(t);
    writeFileSync(join(work, 'key.pem'), fixedKeyPem());
    const r = await runCli(['run', '--out', join(work, 'out'), '--no-pdf', '--signing-key', join(work, 'key.pem')], { SOURCE_DATE_EPOCH: '1793491200' });
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(join(onlyPack(join(work, 'out')), 'report.html'), 'utf8');
    if (process.env.UPDATE_GOLDEN === '1') {
      writeFileSync(golden, html);
      t.diagnostic(`wrote ${golden}`);
      return;
    }
    assert.ok(existsSync(golden), 'test/golden/sample-report.html is missing: record it with UPDATE_GOLDEN=1 and review it');
    const expected = readFileSync(golden, 'utf8');
    if (html !== expected) {
      const a = html.split('\n');
      const b = expected.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      assert.fail(
        `report.html differs from test/golden/sample-report.html at line ${line + 1}:\n  got:      ${a[line]?.slice(0, 200)}\n  expected: ${b[line]?.slice(0, 200)}\nReview the change; if intended: UPDATE_GOLDEN=1 node --import tsx --test test/golden.test.ts`,
      );
    }
  });
});
