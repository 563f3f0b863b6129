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

/** The SelectResourceConfig query for the given resource types (the checks' own: checks/inventory-types.ts, passed in by the command). */
export function inventoryQuery(types: readonly string[]): string {
  return `SELECT ${fields.join(', ')} WHERE resourceType IN (${types.map((t) => `'${t}'`).join(', ')})`;
}
