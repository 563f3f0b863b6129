// The member-account role that `collect --aggregator --assume-role` assumes, as infrastructure code:
// a CloudFormation template (for a service-managed StackSet over the organization) and the same
// role in Terraform's JSON syntax. Both carry the policy generated from the collector's operation table.
import { memberRolePolicy } from './iam-policy.ts';

export const defaultMemberRoleName = 'EvidencePackReadOnly';
const description =
  'Read-only role that evidence-pack assumes in each member account for the evidence an AWS Config aggregator does not hold (whether its AWS Config recorders run, WorkSpaces directories, Macie session, CloudTrail event sample, AppStream stacks, IAM credential report)';

export function memberRoleCloudFormation(): object {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `${description}. Deploy to every account with a service-managed StackSet in one region (IAM is global).`,
    Parameters: {
      CollectorPrincipalArn: {
        Type: 'String',
        Description: 'ARN of the role that runs evidence-pack collect (in the aggregator account)',
        AllowedPattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$',
      },
      RoleName: { Type: 'String', Default: defaultMemberRoleName, Description: 'Name passed to collect --assume-role' },
    },
    Resources: {
      EvidencePackReadOnlyRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: { Ref: 'RoleName' },
          Description: description,
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: { Ref: 'CollectorPrincipalArn' } }, Action: 'sts:AssumeRole' }],
          },
          Policies: [{ PolicyName: 'evidence-pack-member-read', PolicyDocument: memberRolePolicy() }],
        },
      },
    },
    Outputs: { RoleArn: { Value: { 'Fn::GetAtt': ['EvidencePackReadOnlyRole', 'Arn'] } } },
  };
}

/** Terraform JSON syntax (*.tf.json): strings are templates, so ${var.…} interpolates inside the policy text. */
export function memberRoleTerraform(): object {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '${var.collector_principal_arn}' }, Action: 'sts:AssumeRole' }] };
  return {
    '//': `${description}. Apply in each member account (e.g. one provider alias per account), or use the CloudFormation template with a StackSet.`,
    variable: {
      collector_principal_arn: { type: 'string', description: 'ARN of the role that runs evidence-pack collect (in the aggregator account)' },
      role_name: { type: 'string', default: defaultMemberRoleName, description: 'Name passed to collect --assume-role' },
    },
    resource: {
      aws_iam_role: {
        evidence_pack_read_only: { name: '${var.role_name}', description, max_session_duration: 3600, assume_role_policy: JSON.stringify(trust) },
      },
      aws_iam_role_policy: {
        evidence_pack_member_read: { name: 'evidence-pack-member-read', role: '${aws_iam_role.evidence_pack_read_only.id}', policy: JSON.stringify(memberRolePolicy()) },
      },
    },
    output: { role_arn: { value: '${aws_iam_role.evidence_pack_read_only.arn}' } },
  };
}
