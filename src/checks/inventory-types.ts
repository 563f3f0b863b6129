import { apiResourceTypes } from '../evidence/read-service-apis.ts';
import { checks } from './index.ts';

// Recorded types the catalog reads besides those its typed checks name: the untyped checks (tags,
// names, URLs) and the AWS Config rules look at these too.
const alsoNeeded = ['AWS::IAM::User', 'AWS::WorkSpaces::ConnectionAlias', 'AWS::AppStream::Fleet'];

/** The AWS Config resource types the collector queries: what the checks read that no service API gives. */
export function inventoryResourceTypes(): string[] {
  const api = new Set<string>(Object.values(apiResourceTypes));
  const typed = checks.flatMap((c) => (c.resourceTypes === '*' ? [] : c.resourceTypes)).filter((t) => !api.has(t));
  return [...new Set([...typed, ...alsoNeeded])].sort();
}
