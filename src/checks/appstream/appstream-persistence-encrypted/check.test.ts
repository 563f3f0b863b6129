import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRecord, ci, judge, lookupsIn, sampleItems } from '../../../../test/check-fixtures.ts';
import { apiResourceTypes } from '../../../evidence/read-service-apis.ts';
import type { Resource } from '../../../evidence/types.ts';
import { MissingEvidence } from '../../types.ts';
import { check } from './check.ts';

describe('appstream-persistence-encrypted', () => {
  const buckets: Resource[] = sampleItems.filter((i) => i.resourceType === 'AWS::S3::Bucket').map((b) => ci(b.resourceId));

  it("judges the stack's persistence buckets by their default encryption", () => {
    assert.equal(judge(check, ci('analyst-stack'), lookupsIn(buckets)).status, 'pass');
    const unencrypted = buckets.map((b) => (b.id.startsWith('appstream2-') ? { ...b, supplementary: {} } : b));
    const failing = judge(check, ci('analyst-stack'), lookupsIn(unencrypted));
    assert.equal(failing.status, 'fail');
    assert.match(failing.message, /home folders → s3:\/\/appstream2-36fb080bb8-us-east-1-111111111111: no default encryption/);
    assert.equal(judge(check, ci('dev-stack'), lookupsIn(buckets)).status, 'not-applicable');
    assert.throws(() => judge(check, ci('analyst-stack'), lookupsIn([])), MissingEvidence);
  });

  it('judges the application-settings bucket DescribeStacks names, that exact bucket', () => {
    const settings = (bucket: string) => ({
      ...apiRecord(apiResourceTypes.appstreamStackSettings, { Name: 'analyst-stack', ApplicationSettings: { Enabled: true, S3BucketName: bucket } }),
      id: 'analyst-stack',
    });
    const named = judge(check, ci('analyst-stack'), lookupsIn([...buckets, settings('appstream-app-settings-us-east-1-111111111111-k2j4h6')]));
    assert.match(named.message, /application settings → s3:\/\/appstream-app-settings-us-east-1-111111111111-k2j4h6: default encryption/);
    assert.throws(
      () => judge(check, ci('analyst-stack'), lookupsIn([...buckets, settings('other-bucket')])),
      (e: unknown) => e instanceof MissingEvidence && /\(other-bucket\) in the configuration snapshot/.test(e.field),
    );
  });
});
