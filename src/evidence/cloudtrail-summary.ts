// What the CloudTrail checks need from any number of events, in bounded size: the TLS versions and
// host headers seen, and the clients behind the calls that fall short, grouped and counted. Built from
// a LookupEvents sample (while reading evidence) or from CloudTrail log files (while collecting).

/** The fields of a CloudTrail event (log record or LookupEvents' CloudTrailEvent) that matter here. */
export interface TrailEvent {
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  userAgent?: string;
  tlsDetails?: { tlsVersion?: string; cipherSuite?: string; clientProvidedHostHeader?: string };
}

export interface TlsSummary {
  basis: { kind: 'lookup-events-sample' } | { kind: 'log-files'; files: number };
  events: number;
  from?: string;
  to?: string;
  /** Events with TLS details, by TLS version. */
  tlsVersions: Record<string, number>;
  /** Calls below TLS 1.2, grouped by version, service, operation and client; the largest groups first. */
  belowTls12: { tlsVersion: string; eventSource: string; eventName: string; userAgent: string; count: number }[];
  /** Events with a host header: to a FIPS endpoint or not. */
  hostHeaders: { fips: number; standard: number };
  /** Calls to standard (non-FIPS) endpoints, grouped by host and client; the largest groups first. */
  standardHosts: { host: string; userAgent: string; count: number }[];
}

/** How many groups a summary keeps of each list (the counts above them stay exact). */
export const keptGroups = 20;

export const tlsVersionNumber = (v: string | undefined) => Number(/^TLSv(\d\.\d)$/.exec(v ?? '')?.[1] ?? (v === 'TLSv1' ? '1.0' : NaN));
export const isFipsHost = (host: string) => /(^|[.-])fips([.-])/i.test(host.split('.amazonaws.com')[0] ?? host);

export class TlsSummaryBuilder {
  private events = 0;
  private from: string | undefined;
  private to: string | undefined;
  private readonly versions = new Map<string, number>();
  private readonly below = new Map<string, number>();
  private readonly standard = new Map<string, number>();
  private fips = 0;
  private standardCount = 0;

  add(e: TrailEvent): void {
    this.events++;
    if (e.eventTime) {
      if (!this.from || e.eventTime < this.from) this.from = e.eventTime;
      if (!this.to || e.eventTime > this.to) this.to = e.eventTime;
    }
    const tls = e.tlsDetails;
    if (tls?.tlsVersion) {
      this.versions.set(tls.tlsVersion, (this.versions.get(tls.tlsVersion) ?? 0) + 1);
      if (!(tlsVersionNumber(tls.tlsVersion) >= 1.2)) bump(this.below, JSON.stringify([tls.tlsVersion, e.eventSource ?? '?', e.eventName ?? '?', e.userAgent ?? 'unknown client']));
    }
    const host = tls?.clientProvidedHostHeader;
    if (host) {
      if (isFipsHost(host)) this.fips++;
      else {
        this.standardCount++;
        bump(this.standard, JSON.stringify([host, e.userAgent ?? 'unknown client']));
      }
    }
  }

  build(basis: TlsSummary['basis']): TlsSummary {
    return {
      basis,
      events: this.events,
      from: this.from,
      to: this.to,
      tlsVersions: Object.fromEntries([...this.versions].sort(([a], [b]) => a.localeCompare(b))),
      belowTls12: top(this.below).map(([k, count]) => {
        const [tlsVersion, eventSource, eventName, userAgent] = JSON.parse(k) as string[];
        return { tlsVersion: tlsVersion!, eventSource: eventSource!, eventName: eventName!, userAgent: userAgent!, count };
      }),
      hostHeaders: { fips: this.fips, standard: this.standardCount },
      standardHosts: top(this.standard).map(([k, count]) => {
        const [host, userAgent] = JSON.parse(k) as string[];
        return { host: host!, userAgent: userAgent!, count };
      }),
    };
  }
}

function bump(m: Map<string, number>, k: string) {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function top(m: Map<string, number>): [string, number][] {
  return [...m].sort(([ka, a], [kb, b]) => b - a || ka.localeCompare(kb)).slice(0, keptGroups);
}

/** The events a summary stands for, as an auditor reads it. */
export function describeWindow(s: TlsSummary): string {
  const span = s.from ? ` ${s.from} to ${s.to}` : '';
  return s.basis.kind === 'log-files' ? `${s.events} events in ${s.basis.files} CloudTrail log file(s)${span}` : `${s.events} events sampled${span}`;
}
