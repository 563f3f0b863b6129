// Shared by the tests beside each check (src/checks/<service>/<check-id>/check.test.ts): resources in the
// shapes the readers make, from the sample estate, AWS's example items and API answers.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MissingEvidence, type Check, type CheckContext, type CheckOutcome } from '../src/checks/types.ts';
import { TlsSummaryBuilder, type TrailEvent } from '../src/evidence/cloudtrail-summary.ts';
import { resourceFromConfigurationItem } from '../src/evidence/config-items.ts';
import { apiResourceTypes } from '../src/evidence/read-service-apis.ts';
import type { Resource } from '../src/evidence/types.ts';
import { referenceDir, sampleDir } from './helpers.ts';

export const sampleItems: any[] = readdirSync(join(sampleDir, 'config-snapshots')).flatMap((f) => JSON.parse(readFileSync(join(sampleDir, 'config-snapshots', f), 'utf8')).configurationItems);

/** A sample configuration item (AWS's delivered shape), deep-copied and changed by `edit`. */
export function ci(resourceId: string, edit: (ci: any) => void = () => {}): Resource {
  const item = structuredClone(sampleItems.find((i) => i.resourceId === resourceId));
  assert.ok(item, resourceId);
  edit(item);
  return resourceFromConfigurationItem(item, { file: 'test', pointer: '', api: 'test' }, 'test', 'ci');
}

/** A configuration item read from a JSON file (a check's fixtures/, or AWS's example items). */
export function ciFromFile(file: string): Resource {
  return resourceFromConfigurationItem(JSON.parse(readFileSync(file, 'utf8')), { file: 'fixture', pointer: '', api: 'fixture' }, 'fixture', 'ci');
}

export function apiRecord(type: string, configuration: Record<string, unknown>): Resource {
  return {
    key: 'k',
    account: '111111111111',
    region: 'us-east-1',
    type,
    id: 'x',
    tags: {},
    configuration,
    supplementary: {},
    capturedAt: '2026-10-31T00:00:00Z',
    status: 'OK',
    origin: { file: 't', pointer: '', api: 't' },
  };
}

/** A CloudTrail record as the reader makes it: events summarised, one a minute from 2026-10-01. */
export function trailRecord(events: TrailEvent[]): Resource {
  const builder = new TlsSummaryBuilder();
  events.forEach((e, i) => builder.add({ ...e, eventTime: new Date(Date.UTC(2026, 9, 1, 0, i)).toISOString().replace('.000', '') }));
  return apiRecord(apiResourceTypes.cloudtrailEventSample, { ...builder.build({ kind: 'lookup-events-sample' }) });
}

/** A credential report row and the report record the IAM reader makes of account 111111111111. */
export const reportRow = (user: string, arn: string, passwordEnabled: string, mfaActive: boolean, activeAccessKeys = 0) => ({
  user,
  arn,
  createdAt: '2024-01-01T00:00:00+00:00',
  passwordEnabled,
  mfaActive,
  activeAccessKeys,
});
export const credentialReport = (...users: ReturnType<typeof reportRow>[]) => ({
  ...apiRecord(apiResourceTypes.iamCredentialReport, { generatedAt: '2026-10-31T23:50:12.000Z', users }),
  region: 'global',
  id: '111111111111',
});

/** A context whose lookups find `list`'s resources of the type in the account and region. */
export const lookupsIn = (list: Resource[]): CheckContext => ({ findResources: (a, r, type, p = () => true) => list.filter((x) => x.account === a && x.region === r && x.type === type && p(x)) });
export const noLookups: CheckContext = { findResources: () => [] };

export const judge = (check: Check, r: Resource, ctx: CheckContext = noLookups): CheckOutcome => check.evaluate(r, ctx);
/** The check finds `field` missing: MissingEvidence, which the engine records as a gap. */
export const missing = (check: Check, r: Resource, field: RegExp) =>
  assert.throws(
    () => judge(check, r),
    (e: unknown) => e instanceof MissingEvidence && field.test(e.field),
  );

/** AWS's own example configuration items (aws-config-rdk), where the shared reference is present. */
export const rdk = (file: string) => join(referenceDir, 'aws/samples/rdk-example-ci', file);
/** A test's `skip` option: false where AWS's example item is present, else why it is skipped. */
export const needsRdk = (file: string) => (existsSync(rdk(file)) ? false : 'needs ../shared/reference (present in CI and for developers, absent in a user clone)');
