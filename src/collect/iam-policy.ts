import { actionsFor, operations, type CollectOption } from './operations.ts';

const policy = (Statement: object[]) => ({ Version: '2012-10-17', Statement });

/** The least-privilege IAM policy for what `collect` calls with these options: generated from the collector's operation table. */
export function collectorPolicy(options: CollectOption[] = []): object {
  return policy([{ Sid: 'EvidencePackCollectorReadOnly', Effect: 'Allow', Action: actionsFor('account', options), Resource: '*' }]);
}

/** For `collect --aggregator` (in the aggregator's account); with --assume-role, leave to assume that one role in member accounts. */
export function aggregatorPolicy(assumeRole?: string): object {
  const read = { Sid: 'EvidencePackAggregatorReadOnly', Effect: 'Allow', Action: actionsFor('aggregator'), Resource: '*' };
  if (!assumeRole) return policy([read]);
  return policy([
    read,
    { Sid: 'EvidencePackAssumeMemberRole', Effect: 'Allow', Action: actionsFor('aggregator', ['assume-role']).filter((a) => a.startsWith('sts:')), Resource: `arn:aws:iam::*:role/${assumeRole}` },
  ]);
}

/** For the role assumed in each member account: only the reads an aggregator cannot give. */
export function memberRolePolicy(): object {
  return policy([{ Sid: 'EvidencePackMemberReadOnly', Effect: 'Allow', Action: actionsFor('member'), Resource: '*' }]);
}

/** For `collect --from-files s3://bucket/prefix`: list that prefix, read the objects under it. */
export function deliveredFilesPolicy(bucket: string, prefix: string): object {
  const list = operations['s3:ListObjectsV2'].iamAction;
  const get = operations['s3:GetObject'].iamAction;
  return policy([
    { Sid: 'EvidencePackListSnapshots', Effect: 'Allow', Action: [list], Resource: `arn:aws:s3:::${bucket}`, ...(prefix ? { Condition: { StringLike: { 's3:prefix': [`${prefix}*`] } } } : {}) },
    { Sid: 'EvidencePackReadSnapshots', Effect: 'Allow', Action: [get], Resource: `arn:aws:s3:::${bucket}/${prefix}*` },
  ]);
}

/** kms:GetPublicKey and kms:Sign on one key: what signing with --kms-key-id needs (given to the identity that signs). */
export function signingPolicy(keyArn: string): object {
  return policy([{ Sid: 'EvidencePackSigning', Effect: 'Allow', Action: ['kms:GetPublicKey', 'kms:Sign'], Resource: keyArn }]);
}
