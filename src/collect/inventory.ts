import { checks } from '../checks/index.ts';
import { apiResourceTypes } from '../evidence/read.ts';

// Recorded types the catalog reads besides those its typed checks name: the untyped checks (tags,
// names, URLs) and the AWS Config rules look at these too.
const alsoNeeded = ['AWS::IAM::User', 'AWS::WorkSpaces::ConnectionAlias', 'AWS::AppStream::Fleet'];

/** The AWS Config resource types the collector queries. */
export function inventoryResourceTypes(): string[] {
  const api = new Set<string>(Object.values(apiResourceTypes));
  const typed = checks.flatMap((c) => (c.resourceTypes === '*' ? [] : c.resourceTypes)).filter((t) => !api.has(t));
  return [...new Set([...typed, ...alsoNeeded])].sort();
}

const fields = [
  'resourceId',
  'resourceName',
  'resourceType',
  'arn',
  'accountId',
  'awsRegion',
  'availabilityZone',
  'configuration',
  'supplementaryConfiguration',
  'tags',
  'relationships',
  'configurationItemCaptureTime',
  'configurationItemStatus',
  'configurationStateId',
  'resourceCreationTime',
];

export function inventoryQuery(types: string[] = inventoryResourceTypes()): string {
  return `SELECT ${fields.join(', ')} WHERE resourceType IN (${types.map((t) => `'${t}'`).join(', ')})`;
}
