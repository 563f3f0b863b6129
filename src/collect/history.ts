// Evidence as of a period's end from a live account: for each resource of the current inventory, AWS
// Config's configuration history gives the item that was current at the end (and how often it changed
// during the period). A resource created after the end has no item then, and is recorded as absent.
// A resource deleted since the end is not in the current inventory: ListDiscoveredResources, asked for
// deleted resources too, names it, and its history gives its state at the end all the same.
import { GetResourceConfigHistoryCommand, paginateListDiscoveredResources, type ConfigServiceClient, type ResourceIdentifier, type ResourceType } from '@aws-sdk/client-config-service';
import type { Period } from '../core/period.ts';
import { paginate, type CallScope, type CollectionSession } from './session.ts';

/** Changes read per resource within the period; more are reported as "at least" this many. */
export const maxChangesRead = 100;

export interface HistoryRecord {
  schema: 'evidence-pack/resource-history@1';
  period: { label: string; from: string; to: string };
  resourceType: string;
  resourceId: string;
  /** The raw GetResourceConfigHistory responses, each with its request. */
  calls: { request: Record<string, unknown>; response: unknown }[];
}

export function historyPath(account: string, region: string, resourceType: string, resourceId: string): string {
  return `aws/${account}/${region}/config/GetResourceConfigHistory/${resourceType.replace(/::/g, '.')}/${encodeURIComponent(resourceId)}.json`;
}

/**
 * Reads, for one resource, the items captured within the period (newest first, up to maxChangesRead)
 * and, when there is none, the last item before the period: together, the state at the period end.
 */
export async function readResourceHistory(session: CollectionSession, scope: CallScope, client: ConfigServiceClient, period: Period, resource: { type: string; id: string }): Promise<void> {
  const record: HistoryRecord = {
    schema: 'evidence-pack/resource-history@1',
    period: { label: period.label, from: period.from, to: period.to },
    resourceType: resource.type,
    resourceId: resource.id,
    calls: [],
  };
  const call = async (request: { earlierTime?: Date; laterTime: Date; limit: number }) => {
    const input = { resourceType: resource.type as ResourceType, resourceId: resource.id, ...request };
    const pages = await session.run('config:GetResourceConfigHistory', scope, `${resource.type} ${resource.id}`, async () => {
      const out = await client.send(new GetResourceConfigHistoryCommand(input));
      const { $metadata, ...response } = out;
      return { pages: [response], attempts: $metadata.attempts ?? 1 };
    });
    if (!pages) return undefined;
    record.calls.push({ request: { ...input, earlierTime: request.earlierTime?.toISOString(), laterTime: request.laterTime.toISOString() }, response: pages[0] });
    return (pages[0] as { configurationItems?: unknown[] }).configurationItems ?? [];
  };
  const within = await call({ earlierTime: new Date(period.from), laterTime: new Date(period.to), limit: maxChangesRead });
  if (!within) return;
  if (within.length === 0 && !(await call({ laterTime: new Date(period.from), limit: 1 }))) return;
  await session.save(historyPath(scope.account, scope.region, resource.type, resource.id), record);
}

/**
 * The resources of these types that AWS Config saw deleted after the period end: they existed at the
 * end, so their history belongs in the period's evidence. Each type's listing is saved as evidence.
 */
export async function deletedSinceEnd(session: CollectionSession, scope: CallScope, client: ConfigServiceClient, period: Period, types: readonly string[]): Promise<{ type: string; id: string }[]> {
  const end = Date.parse(period.to);
  const found: { type: string; id: string }[] = [];
  for (const type of types) {
    const pages = await session.many(
      'config:ListDiscoveredResources',
      scope,
      `aws/${scope.account}/${scope.region}/config/ListDiscoveredResources/${type.replace(/::/g, '.')}.json`,
      type,
      paginate(paginateListDiscoveredResources, { client, pageSize: 100 }, { resourceType: type as ResourceType, includeDeletedResources: true }),
    );
    for (const page of pages ?? []) {
      for (const r of (page as { resourceIdentifiers?: ResourceIdentifier[] }).resourceIdentifiers ?? []) {
        const deleted = r.resourceDeletionTime === undefined ? undefined : new Date(r.resourceDeletionTime).getTime();
        if (deleted !== undefined && deleted > end && r.resourceId) found.push({ type, id: r.resourceId });
      }
    }
  }
  return found;
}
