import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { readSnapshot } from '../src/evidence/read.ts';
import { operationReaders, parseApiFile, readServices, readerFor } from '../src/evidence/readers/registry.ts';
import { sampleDir, tempDir } from './helpers.ts';

const at = (path: string) => parseApiFile(`aws/111111111111/us-east-1/${path}`);
const readerAt = (path: string) => {
  const file = at(path);
  return file && readerFor(file);
};

describe('reader registry: a saved response is read by its service and operation', () => {
  it('names the account, region, service, operation and what follows it', () => {
    assert.deepEqual(parseApiFile('aws/111111111111/eu-west-1/cloudtrail/GetTrailStatus/org%20trail.json.gz'), {
      rel: 'aws/111111111111/eu-west-1/cloudtrail/GetTrailStatus/org%20trail.json.gz',
      account: '111111111111',
      region: 'eu-west-1',
      service: 'cloudtrail',
      path: 'GetTrailStatus/org%20trail',
      operation: 'GetTrailStatus',
      rest: 'org%20trail',
    });
    assert.equal(parseApiFile('aws/111111111111/us-east-1/ec2/DescribeInstances.json'), undefined, 'a service without readers');
    assert.equal(parseApiFile('aws/1111/us-east-1/config/DescribeConfigRules.json'), undefined, 'not an account id');
  });

  it("finds each registered reader, once, and only where the file name has the reader's shape", () => {
    assert.equal(new Set(operationReaders.map((r) => `${r.service}:${r.operation}`)).size, operationReaders.length);
    assert.deepEqual([...readServices].sort(), ['appstream', 'cloudtrail', 'config', 'iam', 'macie2', 'workspaces']);
    for (const r of operationReaders) {
      const path = `${r.service}/${r.operation}${r.after === 'nothing' ? '' : '/x'}.json`;
      assert.equal(readerAt(path), r, path);
    }
    assert.equal(readerAt('config/DescribeConfigRules.json')?.operation, 'DescribeConfigRules');
    assert.equal(readerAt('config/DescribeConfigRules/extra.json'), undefined, 'nothing may follow');
    assert.equal(readerAt('config/GetComplianceDetailsByConfigRule.json'), undefined, 'a rule name must follow');
    assert.equal(readerAt('config/GetResourceConfigHistory/AWS::S3::Bucket/b.json')?.operation, 'GetResourceConfigHistory', 'any path may follow');
    assert.equal(readerAt('cloudtrail/GetTrailStatus.json'), undefined, 'a trail name must follow');
    assert.equal(readerAt('cloudtrail/GetTrailStatus/a/b.json'), undefined, 'one name, not a path');
    assert.equal(readerAt('config/DescribeSomethingNew.json'), undefined);
  });
});

describe('reader registry: an evidence file no reader takes is one clear error naming it', () => {
  const withFile = async (t: Parameters<typeof tempDir>[0], rel: string) => {
    const evidence = join(tempDir(t), 'evidence');
    cpSync(sampleDir, evidence, { recursive: true });
    mkdirSync(dirname(join(evidence, rel)), { recursive: true });
    writeFileSync(join(evidence, rel), '{}');
    return { evidence, read: () => readSnapshot(evidence) };
  };

  it('an operation of a known service', async (t) => {
    const { evidence, read } = await withFile(t, 'aws/111111111111/us-east-1/config/DescribeSomethingNew.json');
    await assert.rejects(read(), {
      name: 'InputError',
      message: `${join(evidence, 'aws/111111111111/us-east-1/config/DescribeSomethingNew.json')}: unrecognised config response "DescribeSomethingNew"`,
    });
  });

  it('an operation of a known service with a name after it that the reader does not take', async (t) => {
    const { read } = await withFile(t, 'aws/111111111111/us-east-1/config/DescribeConfigRules/extra.json');
    await assert.rejects(read(), { name: 'InputError', message: /: unrecognised config response "DescribeConfigRules\/extra"$/ });
  });

  it('a service no reader reads', async (t) => {
    const { read } = await withFile(t, 'aws/111111111111/us-east-1/ec2/DescribeInstances.json');
    await assert.rejects(read(), { name: 'InputError', message: /ec2\/DescribeInstances\.json: unrecognised evidence file \(the evidence layout is in the README\)$/ });
  });

  it('the scope is checked before the operation', async (t) => {
    const { read } = await withFile(t, 'aws/999999999999/us-east-1/config/DescribeSomethingNew.json');
    await assert.rejects(read(), { name: 'InputError', message: /: account: account 999999999999 is not in snapshot.json scope.accounts$/ });
  });
});
