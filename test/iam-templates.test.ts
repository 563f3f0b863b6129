import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { root, runCliInProcess } from './helpers.ts';

const shipped = (f: string) => JSON.parse(readFileSync(join(root, 'templates/aws', f), 'utf8'));

describe('member-account role as infrastructure code', () => {
  it('the shipped CloudFormation and Terraform files are what iam-policy generates (regenerate with the commands in the README)', async () => {
    for (const [format, file] of [
      ['cloudformation', 'evidence-pack-member-role.cfn.json'],
      ['terraform', 'evidence-pack-member-role.tf.json'],
    ] as const) {
      const r = await runCliInProcess(['iam-policy', '--member-role', '--format', format]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(shipped(file), JSON.parse(r.stdout), `templates/aws/${file} is stale: evidence-pack iam-policy --member-role --format ${format} > templates/aws/${file}`);
    }
  });

  it('CloudFormation: one IAM role, trusted by the collector principal only, with exactly the member policy', async () => {
    const cfn = shipped('evidence-pack-member-role.cfn.json');
    const member = JSON.parse((await runCliInProcess(['iam-policy', '--member-role'])).stdout);
    const resources = Object.values(cfn.Resources) as { Type: string; Properties: any }[];
    assert.deepEqual(
      resources.map((r) => r.Type),
      ['AWS::IAM::Role'],
    );
    const role = resources[0]!.Properties;
    assert.deepEqual(role.AssumeRolePolicyDocument.Statement, [{ Effect: 'Allow', Principal: { AWS: { Ref: 'CollectorPrincipalArn' } }, Action: 'sts:AssumeRole' }]);
    assert.deepEqual(role.Policies[0].PolicyDocument, member);
    assert.equal(cfn.Parameters.RoleName.Default, 'EvidencePackReadOnly');
    assert.match('arn:aws:iam::999999999999:role/EvidencePackCollector', new RegExp(cfn.Parameters.CollectorPrincipalArn.AllowedPattern));
    assert.doesNotMatch('*', new RegExp(cfn.Parameters.CollectorPrincipalArn.AllowedPattern), 'a wildcard principal is refused');
  });

  const cfnLint = spawnSync('cfn-lint', ['--version']).status === 0;
  it('passes cfn-lint', { skip: !cfnLint && 'cfn-lint is not installed (pip install cfn-lint)' }, () => {
    const r = spawnSync('cfn-lint', [join(root, 'templates/aws/evidence-pack-member-role.cfn.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('Terraform: the same trust and policy, with the principal interpolated', async () => {
    const tf = shipped('evidence-pack-member-role.tf.json');
    const member = JSON.parse((await runCliInProcess(['iam-policy', '--member-role'])).stdout);
    const trust = JSON.parse(tf.resource.aws_iam_role.evidence_pack_read_only.assume_role_policy);
    assert.equal(trust.Statement[0].Principal.AWS, '${var.collector_principal_arn}');
    assert.deepEqual(JSON.parse(tf.resource.aws_iam_role_policy.evidence_pack_member_read.policy), member);
    assert.equal(tf.resource.aws_iam_role_policy.evidence_pack_member_read.role, '${aws_iam_role.evidence_pack_read_only.id}');
  });
});
