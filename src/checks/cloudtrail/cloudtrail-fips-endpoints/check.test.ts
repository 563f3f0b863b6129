import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRecord, judge, missing, trailRecord } from '../../../../test/check-fixtures.ts';
import { apiResourceTypes } from '../../../evidence/read-service-apis.ts';
import { check } from './check.ts';

describe('cloudtrail-fips-endpoints', () => {
  const sample = (region: string, hosts: (string | undefined)[]) => ({
    ...trailRecord(hosts.map((host) => ({ eventSource: 'kms.amazonaws.com', userAgent: 'aws-sdk-js/3', tlsDetails: host ? { tlsVersion: 'TLSv1.3', clientProvidedHostHeader: host } : undefined }))),
    region,
  });

  it('passes calls to FIPS endpoints, fails and names non-FIPS hosts', () => {
    assert.equal(judge(check, sample('us-east-1', ['kms-fips.us-east-1.amazonaws.com', 's3-fips.dualstack.us-east-1.amazonaws.com', undefined])).status, 'pass');
    const standard = judge(check, sample('us-west-2', ['kms-fips.us-west-2.amazonaws.com', 'kms.us-west-2.amazonaws.com', 'kms.us-west-2.amazonaws.com']));
    assert.equal(standard.status, 'fail');
    assert.match(standard.message, /^2 of 3 call\(s\) with a host header went to non-FIPS endpoints \(3 events sampled .*\): kms\.us-west-2\.amazonaws\.com by "aws-sdk-js\/3" \(2\)$/);
    assert.match(judge(check, sample('eu-west-1', ['kms.eu-west-1.amazonaws.com'])).message, /no FIPS endpoints in eu-west-1/);
    assert.equal(judge(check, sample('us-east-1', ['fipsy.us-east-1.amazonaws.com'])).status, 'fail', 'a name that merely contains "fips" is not a FIPS endpoint');
  });

  it('is not applicable where every endpoint is FIPS (GovCloud) or no call carried a host header; no summary is a gap', () => {
    assert.equal(judge(check, sample('us-gov-west-1', ['kms.us-gov-west-1.amazonaws.com'])).status, 'not-applicable');
    assert.equal(judge(check, sample('ca-central-1', [undefined])).status, 'not-applicable');
    missing(check, apiRecord(apiResourceTypes.cloudtrailEventSample, {}), /configuration\.hostHeaders/);
  });
});
