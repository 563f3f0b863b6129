import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { listFiles, runCliInProcess, sampleDir, tempDir } from './helpers.ts';

interface Case {
  name: string;
  breakIt: (evidence: string) => void;
  /** exit 2 with this one-line message, or 0 when the input is acceptable. */
  expect: { code: 0 } | { code: 2; message: RegExp };
}

const snapshotOf = (dir: string) =>
  join(
    dir,
    'config-snapshots',
    readdirSync(join(dir, 'config-snapshots')).find((f) => f.startsWith('111111111111_Config_us-east-1'))!,
  );
const editSnapshot = (edit: (doc: any) => void) => (e: string) => {
  const doc = JSON.parse(readFileSync(snapshotOf(e), 'utf8'));
  edit(doc);
  writeFileSync(snapshotOf(e), JSON.stringify(doc));
};
/** Writes the snapshot with one member written twice: JSON.parse would keep the second silently. */
const duplicateIn = (edit: (doc: any) => void, marker: string, twice: string) => (e: string) => {
  const doc = JSON.parse(readFileSync(snapshotOf(e), 'utf8'));
  edit(doc);
  writeFileSync(snapshotOf(e), JSON.stringify(doc).replace(marker, twice));
};
const directories = (e: string) => join(e, 'aws/222222222222/us-east-1/workspaces/DescribeWorkspaceDirectories.json');
const gz = (e: string) => join(e, 'config-snapshots', '111111111111_Config_us-east-1_ConfigSnapshot_20261031T000000Z_extra.json.gz');

const cases: Case[] = [
  {
    name: 'truncated JSON',
    breakIt: (e) => writeFileSync(snapshotOf(e), readFileSync(snapshotOf(e), 'utf8').slice(0, 300)),
    expect: { code: 2, message: /ConfigSnapshot_.*\.json: truncated JSON: the document ends early$/ },
  },
  { name: 'garbled gzip', breakIt: (e) => writeFileSync(gz(e), Buffer.from('\x1f\x8b\x08 this is not deflate data')), expect: { code: 2, message: /_extra\.json\.gz: not a valid gzip file$/ } },
  { name: 'truncated gzip', breakIt: (e) => writeFileSync(gz(e), gzipSync(readFileSync(snapshotOf(e))).subarray(0, 200)), expect: { code: 2, message: /_extra\.json\.gz: not a valid gzip file$/ } },
  {
    name: 'wrong type',
    breakIt: editSnapshot((d) => {
      d.configurationItems[0].configurationItemStatus = 7;
    }),
    expect: { code: 2, message: /configurationItems\[0\]\.configurationItemStatus: must be equal to one of the allowed values/ },
  },
  {
    name: 'missing required field',
    breakIt: editSnapshot((d) => {
      delete d.configurationItems[2].resourceId;
    }),
    expect: { code: 2, message: /configurationItems\[2\]\.resourceId: must have required property 'resourceId'$/ },
  },
  {
    name: 'deep nesting',
    breakIt: editSnapshot((d) => {
      let v: unknown = 1;
      for (let i = 0; i < 1000; i++) v = [v];
      d.configurationItems[0].configuration.deep = v;
    }),
    expect: { code: 2, message: /configurationItems\[0\]\.configuration\.deep\[0\].*: nested deeper than 64 levels$/ },
  },
  {
    name: '100 MB single string',
    breakIt: editSnapshot((d) => {
      d.configurationItems[0].tags.Huge = 'x'.repeat(100 * 1024 * 1024);
    }),
    expect: { code: 2, message: /configurationItems\[0\]\.tags\.Huge: a string of 104857600 characters is longer than the 8 MiB limit$/ },
  },
  {
    name: 'invalid UTF-8',
    breakIt: (e) => writeFileSync(snapshotOf(e), Buffer.concat([readFileSync(snapshotOf(e)).subarray(0, 50), Buffer.from([0xc3, 0x28]), readFileSync(snapshotOf(e)).subarray(50)])),
    expect: { code: 2, message: /ConfigSnapshot_.*\.json: not valid UTF-8$/ },
  },
  {
    name: 'future fileVersion',
    breakIt: editSnapshot((d) => {
      d.fileVersion = '2.0';
    }),
    expect: { code: 2, message: /fileVersion: must be equal to constant$/ },
  },
  {
    name: 'account outside the scope',
    breakIt: editSnapshot((d) => {
      d.configurationItems[0].awsAccountId = '999999999999';
    }),
    expect: { code: 2, message: /account 999999999999 is not in snapshot\.json scope\.accounts$/ },
  },
  {
    name: 'configuration string that is not JSON',
    breakIt: editSnapshot((d) => {
      d.configurationItems[0].configuration = '{not json';
    }),
    expect: { code: 2, message: /configurationItems\[0\]\.configuration: configuration is a string but not JSON$/ },
  },
  {
    name: 'not a snapshot at all',
    breakIt: (e) => writeFileSync(snapshotOf(e), '[1, 2, 3]'),
    expect: { code: 2, message: /ConfigSnapshot_.*\.json: not an AWS Config snapshot \(the file does not start with an object\)$/ },
  },
  {
    name: 'duplicate member in an item',
    breakIt: duplicateIn(
      (d) => {
        d.configurationItems[1].configuration = { RootVolumeEncryptionEnabled: 'DUP' };
      },
      '{"RootVolumeEncryptionEnabled":"DUP"}',
      '{"RootVolumeEncryptionEnabled":false,"RootVolumeEncryptionEnabled":true}',
    ),
    expect: { code: 2, message: /ConfigSnapshot_.*\.json: configurationItems\[1\]\.configuration\.RootVolumeEncryptionEnabled: member written twice \(JSON readers disagree on which value counts\)$/ },
  },
  {
    name: 'duplicate top-level member',
    breakIt: duplicateIn(() => undefined, '{"fileVersion":"1.0"', '{"fileVersion":"1.0","fileVersion":"2.0"'),
    expect: { code: 2, message: /ConfigSnapshot_.*\.json: fileVersion: member written twice \(JSON readers disagree on which value counts\)$/ },
  },
  {
    name: 'duplicate member in an API response',
    breakIt: (e) =>
      writeFileSync(
        directories(e),
        readFileSync(directories(e), 'utf8').replace('"EndpointEncryptionMode": "STANDARD_TLS"', '"EndpointEncryptionMode": "STANDARD_TLS", "EndpointEncryptionMode": "FIPS_VALIDATED"'),
      ),
    expect: { code: 2, message: /DescribeWorkspaceDirectories\.json: Directories\[0\]\.EndpointEncryptionMode: member written twice \(JSON readers disagree on which value counts\)$/ },
  },
  {
    name: 'a permission error kept as the Macie response',
    breakIt: (e) =>
      writeFileSync(
        join(e, 'aws/111111111111/us-east-1/macie2/GetMacieSession.json'),
        JSON.stringify({ Error: { Code: 'AccessDeniedException', Message: 'User is not authorized to perform: macie2:GetMacieSession' } }),
      ),
    expect: {
      code: 2,
      message:
        /GetMacieSession\.json: Error: AccessDeniedException: User is not authorized to perform: macie2:GetMacieSession is not an answer about the account; a failed call is a gap in snapshot\.json, not a response$/,
    },
  },
  { name: 'byte-order mark (accepted)', breakIt: (e) => writeFileSync(snapshotOf(e), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(snapshotOf(e))])), expect: { code: 0 } },
  {
    name: 'unknown resource type (accepted)',
    breakIt: editSnapshot((d) => {
      d.configurationItems[0].resourceType = 'AWS::Future::Thing';
    }),
    expect: { code: 0 },
  },
  {
    name: 'empty snapshot (accepted: absence recorded)',
    breakIt: editSnapshot((d) => {
      d.configurationItems = [];
    }),
    expect: { code: 0 },
  },
];

describe('malformed evidence corpus', () => {
  it('gives one clear line and exit 2, or a pack; never a crash, a stack trace or a partial pack', async (t) => {
    const work = tempDir(t);
    const outcomes = { rejected: 0, accepted: 0, crashes: 0, stackTraces: 0, partial: 0 };
    const runCase = async (c: Case, i: number) => {
      const evidence = join(work, `case-${i}`);
      cpSync(sampleDir, evidence, { recursive: true });
      c.breakIt(evidence);
      const out = join(work, `out-${i}`);
      mkdirSync(out);
      const r = await runCliInProcess(['run', '--evidence', evidence, '--out', out, '--no-pdf']);
      if (r.code === 1) outcomes.crashes++;
      if (/\n\s+at /.test(r.stderr)) outcomes.stackTraces++;
      const left = listFiles(out);
      if (c.expect.code === 2) {
        assert.equal(r.code, 2, `${c.name}: ${r.stderr}`);
        assert.equal(r.stderr.trimEnd().split('\n').length, 1, `${c.name}: one line`);
        assert.match(r.stderr.trimEnd(), c.expect.message, c.name);
        if (left.length) outcomes.partial++;
        assert.deepEqual(left, [], `${c.name}: nothing written`);
        outcomes.rejected++;
      } else {
        assert.equal(r.code, 0, `${c.name}: ${r.stderr}`);
        outcomes.accepted++;
      }
    };
    for (let i = 0; i < cases.length; i += 3) await Promise.all(cases.slice(i, i + 3).map((c, j) => runCase(c, i + j)));
    t.diagnostic(
      `hostile/malformed: ${cases.length} cases, ${outcomes.rejected} rejected with one line, ${outcomes.accepted} accepted, ${outcomes.crashes} crashes, ${outcomes.stackTraces} stack traces, ${outcomes.partial} partial packs`,
    );
    assert.deepEqual({ crashes: outcomes.crashes, stackTraces: outcomes.stackTraces, partial: outcomes.partial }, { crashes: 0, stackTraces: 0, partial: 0 });
  });
});
