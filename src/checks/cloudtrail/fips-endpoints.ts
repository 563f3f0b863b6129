import { apiResourceTypes } from '../../evidence/read-service-apis.ts';
import { requireField } from '../fields.ts';
import type { Check } from '../types.ts';

interface SampledEvent { eventSource?: string; eventName?: string; host?: string; userAgent?: string }

/** Commercial regions where AWS offers FIPS 140 endpoints (US and Canada). */
const fipsRegions = new Set(['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1']);
const isFipsHost = (host: string) => /(^|[.-])fips([.-])/i.test(host.split('.amazonaws.com')[0] ?? host);

export const cloudtrailFipsEndpoints: Check = {
  id: 'cloudtrail-fips-endpoints',
  title: 'API calls recorded by CloudTrail reach FIPS endpoints where AWS offers them',
  service: 'CloudTrail',
  resourceTypes: [apiResourceTypes.cloudtrailEventSample],
  source: { kind: 'api', api: 'cloudtrail:LookupEvents' },
  remediation: 'Set use_fips_endpoint = true (AWS_USE_FIPS_ENDPOINT=true) in the CLI and SDK profiles of the clients named, and in pipelines.',
  evaluate(sample) {
    if (sample.region.startsWith('us-gov-')) return { status: 'not-applicable', message: `${sample.region}: GovCloud endpoints are judged per service against AWS's FIPS endpoint list, not from host names` };
    if (!fipsRegions.has(sample.region)) return { status: 'not-applicable', message: `AWS offers no FIPS endpoints in ${sample.region}` };
    const events = requireField(sample, 'configuration', 'events', 'object') as unknown as SampledEvent[];
    const withHost = events.filter((e) => e.host);
    if (withHost.length === 0) return { status: 'not-applicable', message: `${events.length} sampled event(s), none with a host header (console or service-internal calls)` };
    const other = withHost.filter((e) => !isFipsHost(e.host!));
    const window = `${sample.configuration.sampleSize} events sampled ${sample.configuration.from} to ${sample.configuration.to}`;
    if (other.length) {
      const hosts = [...new Set(other.map((e) => `${e.host} by "${e.userAgent ?? 'unknown client'}"`))].slice(0, 5).join('; ');
      return { status: 'fail', message: `${other.length} of ${withHost.length} call(s) with a host header went to non-FIPS endpoints (${window}): ${hosts}` };
    }
    return { status: 'pass', message: `all ${withHost.length} calls with a host header used FIPS endpoints (${window})` };
  },
};
