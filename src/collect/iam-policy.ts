import { operations } from './operations.ts';

/** The least-privilege IAM policy for what `collect` calls: generated from the collector's operation table. */
export function collectorPolicy(): object {
  const actions = [...new Set(Object.values(operations).map((o) => o.iamAction).filter((a): a is NonNullable<typeof a> => a !== undefined))].sort();
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'EvidencePackCollectorReadOnly', Effect: 'Allow', Action: actions, Resource: '*' }],
  };
}
