// Configuration items in either shape AWS produces (delivered files, API rows), as Resources.
import { describeAjvError, compileSchema } from '../core/data-file.ts';
import { InputError } from '../core/errors.ts';
import { checkNoDuplicateMembers, checkShape, isoTime } from './json-file.ts';
import { configSnapshotSchema, selectResourceConfigPageSchema } from './schemas.ts';
import type { Resource } from './types.ts';

const validateSelectPage = compileSchema<any>(selectResourceConfigPageSchema);
export const validateConfigSnapshot = compileSchema<any>(configSnapshotSchema);

/** A response saved as one object, or as an array of pages. */
export function pages(value: unknown): any[] {
  return Array.isArray(value) ? value : [value];
}

function parseConfiguration(value: unknown, file: string, field: string): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value === 'string') {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(value) as Record<string, unknown>;
    } catch {
      throw new InputError(file, field, 'configuration is a string but not JSON');
    }
    checkShape(parsed, file, field);
    return parsed;
  }
  return value as Record<string, unknown>;
}

function decodeSupplementary(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\s*[{[]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

export function resourceKey(account: string, region: string, type: string, id: string): string {
  return `${account}/${region}/${type}/${id}`;
}

/** An availability zone's name (us-east-1a) or id (use1-az1), not Config's "Regional" or "Not Applicable". */
const zoneName = /^([a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+[a-z]|[a-z]{3,5}\d?-az\d+)$/;

/**
 * One configuration item, in the delivered-file shape (awsAccountId, ARN, configuration object) or
 * the API shape (accountId, arn, configuration as a JSON string), as a Resource.
 */
export function resourceFromConfigurationItem(ci: any, origin: Resource['origin'], file: string, field: string): Resource {
  const account: string = ci.awsAccountId ?? ci.accountId;
  // Advanced queries return tags as [{key, value}]; the API returns supplementary values as JSON strings.
  const tags: Record<string, string> = Array.isArray(ci.tags) ? Object.fromEntries(ci.tags.map((t: { key: string; value?: string }) => [t.key, t.value ?? ''])) : (ci.tags ?? {});
  const supplementary: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((ci.supplementaryConfiguration ?? {}) as Record<string, unknown>)) supplementary[k] = decodeSupplementary(v);
  return {
    key: resourceKey(account, ci.awsRegion, ci.resourceType, ci.resourceId),
    account,
    region: ci.awsRegion,
    type: ci.resourceType,
    id: ci.resourceId,
    name: ci.resourceName ?? undefined,
    arn: ci.ARN ?? ci.arn ?? undefined,
    tags,
    configuration: parseConfiguration(ci.configuration, file, `${field}.configuration`),
    supplementary,
    capturedAt: isoTime(ci.configurationItemCaptureTime, file, `${field}.configurationItemCaptureTime`),
    status: ci.configurationItemStatus,
    ...(zoneName.test(ci.availabilityZone ?? '') ? { zone: ci.availabilityZone } : {}),
    origin,
  };
}

/**
 * One configuration item, checked as a delivered file's item would be; errors name `field` (e.g. configurationItems[7]).
 * `text` is the item's own JSON text when it was parsed on its own (a stream item, a query row), for the
 * duplicate-member check; an item taken from a file already checked whole passes undefined.
 */
export function checkConfigItem(ci: unknown, text: string | undefined, shown: string, field: string): void {
  const members = checkShape(ci, shown, field);
  if (text !== undefined) checkNoDuplicateMembers(text, members, shown, field);
  if (!validateConfigSnapshot({ fileVersion: '1.0', configurationItems: [ci] })) {
    const { field: f, problem } = describeAjvError(validateConfigSnapshot.errors![0]!);
    throw new InputError(shown, `${field}${f.replace(/^configurationItems\[0\]/, '')}`, problem);
  }
}

/** The members of a snapshot file besides its items (fileVersion, configSnapshotId), checked. */
export function checkSnapshotHeader(header: Record<string, unknown>, shown: string): void {
  if (!validateConfigSnapshot({ ...header, configurationItems: [] })) {
    const { field, problem } = describeAjvError(validateConfigSnapshot.errors![0]!);
    throw new InputError(shown, field, problem);
  }
}

/**
 * The configuration items of one (Aggregate)SelectResourceConfig page (the p-th of its file): each row a JSON
 * string, checked like a delivered item, and in scope.
 */
export function resourcesFromSelectPage(page: any, p: number, rel: string, shown: string, api: string, inScope: (account: string, region: string) => void): Resource[] {
  if (!validateSelectPage(page)) throw new InputError(shown, `[${p}]`, `not a ${api.split(':')[1]} response`);
  return page.Results.map((row: string, i: number) => {
    const field = `[${p}].Results[${i}]`;
    let ci: any;
    try {
      ci = JSON.parse(row);
    } catch {
      throw new InputError(shown, field, 'row is not JSON');
    }
    checkConfigItem(ci, row, shown, field);
    inScope(ci.accountId ?? ci.awsAccountId, ci.awsRegion);
    return resourceFromConfigurationItem(ci, { file: rel, pointer: `/${p}/Results/${i}`, api }, shown, field);
  });
}
