import { operations, type CollectOption } from './operations.ts';

/** The least-privilege IAM policy for what `collect` calls with these options: generated from the collector's operation table. */
export function collectorPolicy(options: CollectOption[] = []): object {
  const actions = Object.values(operations)
    .filter((o) => !('only' in o) || options.includes(o.only))
    .map((o) => o.iamAction)
    .filter((a): a is NonNullable<typeof a> => a !== undefined);
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'EvidencePackCollectorReadOnly', Effect: 'Allow', Action: [...new Set(actions)].sort(), Resource: '*' }],
  };
}

/** kms:GetPublicKey and kms:Sign on one key: what signing with --kms-key-id needs (given to the identity that signs). */
export function signingPolicy(keyArn: string): object {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'EvidencePackSigning', Effect: 'Allow', Action: ['kms:GetPublicKey', 'kms:Sign'], Resource: keyArn }],
  };
}
