// Multi-region logging is the account's property (issue 20, item 8): a trail is judged with the account's other trails.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ci, ciFromFile, judge as judgeAlone, missing, needsRdk, rdk } from '../../../../test/check-fixtures.ts';
import { apiResourceTypes } from '../../../evidence/read-service-apis.ts';
import type { Resource } from '../../../evidence/types.ts';
import { everyRegion, MissingEvidence, type CheckContext } from '../../types.ts';
import { check } from './check.ts';

const origin = { file: 'test', pointer: '', api: 'test' };

describe('cloudtrail-multi-region-logging', () => {
  it("on the sample and on AWS's example item: what a configuration item does not show is a gap", { skip: needsRdk('AWS_Cloudtrail_Trail.json') }, () => {
    // AWS's example trail has custom event selectors, which its configuration item does not carry, nor whether it is logging.
    missing(check, ciFromFile(rdk('AWS_Cloudtrail_Trail.json')), /^the CloudTrail GetEventSelectors response for trail APJCCloudTrail \(212591712841\/ap-southeast-1\)/);
    assert.match(judgeAlone(check, ci('dev-trail')).message, /^no logging multi-region trail .* in 222222222222; found 1 trail\(s\): dev-trail \(us-east-1\): single-region trail/);
    missing(check, ci('org-audit-trail'), /^the CloudTrail GetTrailStatus response for trail org-audit-trail \(111111111111\/us-east-1\)/);
    missing(
      check,
      ci('dev-trail', (c) => delete c.configuration.isMultiRegionTrail),
      /isMultiRegionTrail/,
    );
  });

  const trail = (id: string, region: string, configuration: Record<string, unknown>, account = '111111111111'): Resource => ({
    key: `${account}/${region}/AWS::CloudTrail::Trail/${id}`,
    account,
    region,
    type: 'AWS::CloudTrail::Trail',
    id,
    name: id,
    tags: {},
    configuration: { name: id, homeRegion: region, hasCustomEventSelectors: false, ...configuration },
    supplementary: {},
    capturedAt: '2026-10-31T00:00:00Z',
    status: 'OK',
    origin,
  });
  /** A record of a CloudTrail API read about one trail (GetTrailStatus, GetEventSelectors), as the reader makes it. */
  const read = (type: string, of: Resource, configuration: Record<string, unknown>): Resource => ({
    ...of,
    key: `${of.account}/${of.region}/${type}/${of.id}`,
    type,
    configuration,
    origin: { file: 'test', pointer: '', api: 'test' },
  });
  const logging = (t: Resource, IsLogging = true) => read(apiResourceTypes.cloudtrailTrailStatus, t, { IsLogging, LatestDeliveryTime: '2026-10-31T23:40:00.000Z' });
  const selectors = (t: Resource, configuration: Record<string, unknown>) => read(apiResourceTypes.cloudtrailEventSelectors, t, configuration);
  const ctx = (trails: Resource[]): CheckContext => ({
    findResources: (a, r, type, p = () => true) => trails.filter((t) => t.account === a && (r === everyRegion || t.region === r) && t.type === type && p(t)),
  });
  const judge = (t: Resource, all: Resource[]) => check.evaluate(t, ctx(all));

  const org = trail('org-trail', 'us-east-1', { isMultiRegionTrail: true });
  const local1 = trail('app-trail', 'eu-west-1', { isMultiRegionTrail: false });
  const local2 = trail('ops-trail', 'us-east-1', { isMultiRegionTrail: false });

  it('single-region trails in an account with a logging multi-region trail are not failures', () => {
    const all = [org, logging(org), local1, local2];
    assert.deepEqual(judge(org, all), {
      status: 'pass',
      message:
        'logging multi-region trail with all management events (logging, latest delivery 2026-10-31T23:40:00.000Z; default event selectors): records API activity in every region of 111111111111',
    });
    for (const t of [local1, local2]) {
      const o = judge(t, all);
      assert.equal(o.status, 'not-applicable', `${t.id}: ${o.message}`);
      assert.match(o.message, /^single-region trail \(records .* only\); not a failure: trail org-trail \(us-east-1\) records every region of 111111111111$/);
    }
  });

  it('an account without one fails once, naming what was found', () => {
    const stopped = trail('stopped', 'us-east-1', { isMultiRegionTrail: true });
    const all = [local1, local2, stopped, read(apiResourceTypes.cloudtrailTrailStatus, stopped, { IsLogging: false, StopLoggingTime: '2026-10-02T08:00:00.000Z' })];
    const outcomes = [local1, local2, stopped].map((t) => judge(t, all));
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fail', 'not-applicable', 'not-applicable'],
    );
    assert.equal(
      outcomes[0]!.message,
      'no logging multi-region trail with all management events in 111111111111; found 3 trail(s): app-trail (eu-west-1): single-region trail (records eu-west-1 only); ops-trail (us-east-1): single-region trail (records us-east-1 only); stopped (us-east-1): multi-region trail that is not logging (stopped 2026-10-02T08:00:00.000Z)',
    );
    assert.match(outcomes[1]!.message, /reported once, on trail app-trail \(eu-west-1\)$/);
    const many = Array.from({ length: 12 }, (_, i) => trail(`t${String(i).padStart(2, '0')}`, 'us-east-1', { isMultiRegionTrail: false }));
    assert.match(judge(many[0]!, many).message, /found 12 trail\(s\): t00 .*; t09 \(us-east-1\): single-region trail \(records us-east-1 only\); and 2 more$/);
  });

  it('a stopped multi-region trail alone in its account fails, named', () => {
    const stopped = trail('stopped', 'us-east-1', { isMultiRegionTrail: true });
    const o = judge(stopped, [stopped, logging(stopped, false)]);
    assert.equal(o.status, 'fail');
    assert.match(o.message, /found 1 trail\(s\): stopped \(us-east-1\): multi-region trail that is not logging$/);
  });

  it('a multi-region trail counts only when it logs all management events (GetEventSelectors)', () => {
    const custom = (id: string, configuration: Record<string, unknown>) => {
      const t = trail(id, 'us-east-1', { isMultiRegionTrail: true, hasCustomEventSelectors: true });
      return judge(t, [t, logging(t), selectors(t, configuration)]);
    };
    assert.equal(custom('ro', { EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'ReadOnly' }] }).status, 'fail');
    assert.equal(custom('ex', { EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All', ExcludeManagementEventSources: ['kms.amazonaws.com'] }] }).status, 'fail');
    assert.equal(custom('data', { EventSelectors: [{ IncludeManagementEvents: false, ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] }).status, 'fail');
    assert.equal(
      custom('rw', {
        EventSelectors: [
          { IncludeManagementEvents: true, ReadWriteType: 'ReadOnly' },
          { IncludeManagementEvents: true, ReadWriteType: 'WriteOnly' },
        ],
      }).status,
      'pass',
      'read and write selectors together cover every management event',
    );
    assert.equal(custom('adv', { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] }).status, 'pass');
    assert.equal(
      custom('adv-ro', {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['true'] },
            ],
          },
        ],
      }).status,
      'fail',
    );
    assert.match(
      custom('all', { TrailARN: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/all', EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All', ExcludeManagementEventSources: [] }] })
        .message,
      /\(logging, .*; event selectors with all management events\)/,
    );
  });

  it('what the evidence does not show is a gap, never a pass', () => {
    // AWS Config records whether a trail is multi-region, not whether it is logging.
    const unknown = trail('cfg-only', 'us-east-1', { isMultiRegionTrail: true });
    assert.throws(
      () => judge(unknown, [unknown, local1]),
      (e: unknown) =>
        e instanceof MissingEvidence && e.field === 'the CloudTrail GetTrailStatus response for trail cfg-only (111111111111/us-east-1) (AWS Config does not record whether a trail is logging)',
    );
    assert.match(judge(local1, [unknown, local1]).message, /rests on trail cfg-only \(us-east-1\)$/);
    // A status read in another account or region is not this trail's.
    const elsewhere = { ...logging(unknown), region: 'eu-west-1' };
    assert.throws(
      () => judge(unknown, [unknown, elsewhere]),
      (e: unknown) => e instanceof MissingEvidence && /GetTrailStatus response for trail cfg-only/.test(e.field),
    );
    const custom = trail('custom', 'us-east-1', { isMultiRegionTrail: true, hasCustomEventSelectors: true });
    assert.throws(
      () => judge(custom, [custom, logging(custom)]),
      (e: unknown) =>
        e instanceof MissingEvidence && /GetEventSelectors response for trail custom \(111111111111\/us-east-1\) \(AWS Config records only that the trail has custom event selectors\)/.test(e.field),
    );
  });
});
