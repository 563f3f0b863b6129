// Credentials that expire during a collection: no call after the first expired-token error (ExpiredToken from a
// query-protocol service such as IAM, ExpiredTokenException from a JSON one, whichever call comes first), what was
// collected is kept, one line names the expiry, exit 9 (README "Exit codes").
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fakeAwsEnv, startFakeAws } from './fake-aws.ts';
import { runCliInProcess, tempDir } from './helpers.ts';

describe('collect with credentials that expire midway', () => {
  it('stops calling, keeps what it has, names the expiry in one line and exits 9', { timeout: 120_000 }, async (t) => {
    const answered = 12;
    const aws = await startFakeAws({ account: '777788889999', regions: { 'us-east-1': { resources: [], directories: [] }, 'eu-west-1': { resources: [], directories: [] } }, expireAfter: answered });
    t.after(() => aws.close());
    const out = join(tempDir(t), 'evidence');
    const r = await runCliInProcess(['collect', '--region', 'us-east-1', '--region', 'eu-west-1', '--out', out], fakeAwsEnv(aws.url));
    assert.equal(r.code, 9, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0]!,
      /^evidence-pack: collect: the credentials expired during the collection \(.*ExpiredToken(?:Exception)?: The security token included in the request is expired.*\); \d+ call\(s\) not made after it, each a gap; what was collected is kept in .*evidence: renew the credentials and collect again$/,
    );
    assert.ok(existsSync(join(out, 'snapshot.json')), 'what was collected is kept');
    const meta = JSON.parse(readFileSync(join(out, 'snapshot.json'), 'utf8')) as { gaps: { reason: string }[] };
    const notCalled = meta.gaps.filter((g) => g.reason.includes('not called: the credentials expired'));
    assert.ok(notCalled.length > 0, 'the calls not made are gaps that say why');
    const made = [...aws.calls.values()].reduce((a, b) => a + b, 0);
    // Calls already in flight when the first expired answer came (at most the collector's concurrency per region and the account reads) may still be made; nothing after.
    assert.ok(made <= answered + 12, `made ${made} calls, ${answered} answered before the expiry`);
    t.diagnostic(`expired after ${answered} answers: ${made} calls made, ${notCalled.length} not made (gaps naming the expiry), ${meta.gaps.length} gaps in all`);
  });
});
