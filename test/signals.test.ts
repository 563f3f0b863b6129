// Signals at points read from the CLI's own files: each command stops with 128 + the signal's number,
// one line on stderr, and nothing of its temporaries (pack folders, profile folders, Chromium) left.
// SIGHUP and SIGINT while Chromium prints, and kill -9, are in test/slow/signals.test.ts (a full run each).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fakeAwsEnv, startFakeAws, type FakeAws } from './fake-aws.ts';
import { tempDir } from './helpers.ts';
import { itStopsWhilePrinting, needsProc, startCli, waitFor } from './signal-helpers.ts';

describe('signals', { skip: needsProc }, () => {
  let aws: FakeAws;
  before(async () => {
    aws = await startFakeAws({
      account: '444455556666',
      regions: {
        'us-east-1': {
          resources: [{ resourceType: 'AWS::IAM::User', resourceId: 'AIDAFAKE1', resourceName: 'alice', accountId: '444455556666', awsRegion: 'us-east-1', configuration: { userName: 'alice' } }],
          directories: [],
        },
      },
      hold: ['us-east-1|config.SelectResourceConfig'],
    });
  });
  after(() => aws.close());

  it('SIGTERM during collect: exit 143, one line, no .tmp-* folder with raw evidence', { timeout: 120_000 }, async (t) => {
    const work = tempDir(t);
    const run = startCli(['collect', '--region', 'us-east-1', '--out', join(work, 'evidence')], fakeAwsEnv(aws.url));
    const held = await waitFor('the held call', () => aws.calls.get('us-east-1|config.SelectResourceConfig'));
    assert.ok(held);
    const tmp = await waitFor("the collection's temporary folder", () => readdirSync(work).find((n) => n.startsWith('.tmp-')));
    assert.ok((readdirSync(join(work, tmp), { recursive: true }) as string[]).length > 0, 'evidence was being written');
    run.child.kill('SIGTERM');
    const r = await run.done;
    assert.equal(r.code, 143, r.stderr);
    assert.match(r.stderr.trim(), /^evidence-pack: stopped by SIGTERM; its temporary files were removed$/);
    assert.deepEqual(readdirSync(work), [], 'nothing left: no evidence folder, no temporary');
  });

  itStopsWhilePrinting('SIGTERM');
});
