import { describeWindow, type TlsSummary } from '../../../evidence/cloudtrail-summary.ts';
import { apiResourceTypes } from '../../../evidence/read-service-apis.ts';
import { requireField } from '../../fields.ts';
import type { Check } from '../../types.ts';

/** Commercial regions where AWS offers FIPS 140 endpoints (US and Canada). */
const fipsRegions = new Set(['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1']);

export const check: Check = {
  id: 'cloudtrail-fips-endpoints',
  title: 'API calls recorded by CloudTrail reach FIPS endpoints where AWS offers them',
  service: 'CloudTrail',
  resourceTypes: [apiResourceTypes.cloudtrailEventSample],
  source: { kind: 'api', api: 'cloudtrail:LookupEvents', alsoFrom: ['cloudtrail:LogFiles'] },
  remediation: 'Set use_fips_endpoint = true (AWS_USE_FIPS_ENDPOINT=true) in the CLI and SDK profiles of the clients named, and in pipelines.',
  evaluate(record) {
    if (record.region.startsWith('us-gov-'))
      return { status: 'not-applicable', message: `${record.region}: GovCloud endpoints are judged per service against AWS's FIPS endpoint list, not from host names` };
    if (!fipsRegions.has(record.region)) return { status: 'not-applicable', message: `AWS offers no FIPS endpoints in ${record.region}` };
    const hosts = requireField(record, 'configuration', 'hostHeaders', 'object') as TlsSummary['hostHeaders'];
    const summary = record.configuration as unknown as TlsSummary;
    const withHost = hosts.fips + hosts.standard;
    if (withHost === 0) return { status: 'not-applicable', message: `${summary.events} event(s), none with a host header (console or service-internal calls)` };
    if (hosts.standard) {
      const who = summary.standardHosts
        .slice(0, 5)
        .map((g) => `${g.host} by "${g.userAgent}"${g.count > 1 ? ` (${g.count})` : ''}`)
        .join('; ');
      return { status: 'fail', message: `${hosts.standard} of ${withHost} call(s) with a host header went to non-FIPS endpoints (${describeWindow(summary)}): ${who}` };
    }
    return { status: 'pass', message: `all ${withHost} calls with a host header used FIPS endpoints (${describeWindow(summary)})` };
  },
};
