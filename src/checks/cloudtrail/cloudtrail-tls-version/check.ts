import { describeWindow, tlsVersionNumber, type TlsSummary } from '../../../evidence/cloudtrail-summary.ts';
import { apiResourceTypes } from '../../../evidence/read-service-apis.ts';
import { requireField } from '../../fields.ts';
import type { Check } from '../../types.ts';

export const check: Check = {
  id: 'cloudtrail-tls-version',
  title: 'API calls recorded by CloudTrail use TLS 1.2 or later',
  service: 'CloudTrail',
  resourceTypes: [apiResourceTypes.cloudtrailEventSample],
  source: { kind: 'api', api: 'cloudtrail:LookupEvents', alsoFrom: ['cloudtrail:LogFiles'] },
  remediation: 'Upgrade the clients named (SDK, CLI, scripts) to versions that negotiate TLS 1.2 or 1.3, and block older TLS where you can.',
  evaluate(record) {
    const versions = requireField(record, 'configuration', 'tlsVersions', 'object') as Record<string, number>;
    const summary = record.configuration as unknown as TlsSummary;
    const withTls = Object.values(versions).reduce((a, b) => a + b, 0);
    if (withTls === 0) return { status: 'not-applicable', message: `${summary.events} event(s), none with TLS details (console or service-internal calls)` };
    const spread = Object.entries(versions)
      .map(([v, n]) => `${v} ${n}`)
      .join(', ');
    const old = Object.entries(versions)
      .filter(([v]) => !(tlsVersionNumber(v) >= 1.2))
      .reduce((a, [, n]) => a + n, 0);
    if (old) {
      const who = summary.belowTls12
        .slice(0, 5)
        .map((g) => `${g.eventSource} ${g.eventName} by "${g.userAgent}"${g.count > 1 ? ` (${g.count})` : ''}`)
        .join('; ');
      return { status: 'fail', message: `${old} call(s) below TLS 1.2 (${spread}; ${describeWindow(summary)}): ${who}` };
    }
    return { status: 'pass', message: `all ${withTls} calls with TLS details used TLS 1.2 or later (${spread}; ${describeWindow(summary)})` };
  },
};
