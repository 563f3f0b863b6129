import { apiResourceTypes } from '../../evidence/read.ts';
import { requireField } from '../fields.ts';
import type { Check } from '../types.ts';

interface SampledEvent { eventId: string; eventName?: string; eventSource?: string; tlsVersion?: string; host?: string; userAgent?: string }

const minimum = 1.2;
const version = (v: string | undefined) => Number(/^TLSv(\d\.\d)$/.exec(v ?? '')?.[1] ?? NaN);

export const cloudtrailTlsVersion: Check = {
  id: 'cloudtrail-tls-version',
  title: 'API calls recorded by CloudTrail use TLS 1.2 or later',
  service: 'CloudTrail',
  resourceTypes: [apiResourceTypes.cloudtrailEventSample],
  source: { kind: 'api', api: 'cloudtrail:LookupEvents' },
  remediation: 'Upgrade the clients named (SDK, CLI, scripts) to versions that negotiate TLS 1.2 or 1.3, and block older TLS where you can.',
  evaluate(sample) {
    const events = requireField(sample, 'configuration', 'events', 'object') as unknown as SampledEvent[];
    const withTls = events.filter((e) => e.tlsVersion);
    if (withTls.length === 0) return { status: 'not-applicable', message: `${events.length} sampled event(s), none with TLS details (console or service-internal calls)` };
    const counts = new Map<string, number>();
    for (const e of withTls) counts.set(e.tlsVersion!, (counts.get(e.tlsVersion!) ?? 0) + 1);
    const spread = [...counts.entries()].sort().map(([v, n]) => `${v} ${n}`).join(', ');
    const old = withTls.filter((e) => !(version(e.tlsVersion) >= minimum));
    const window = `${sample.configuration.sampleSize} events sampled ${sample.configuration.from} to ${sample.configuration.to}`;
    if (old.length) {
      const who = [...new Set(old.map((e) => `${e.eventSource ?? '?'} ${e.eventName ?? '?'} by "${e.userAgent ?? 'unknown client'}"`))].slice(0, 5).join('; ');
      return { status: 'fail', message: `${old.length} call(s) below TLS 1.2 (${spread}; ${window}): ${who}` };
    }
    return { status: 'pass', message: `all ${withTls.length} calls with TLS details used TLS 1.2 or later (${spread}; ${window})` };
  },
};
