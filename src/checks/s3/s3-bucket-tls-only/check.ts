import { optionalField } from '../../fields.ts';
import type { Check } from '../../types.ts';

interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);

/** A Deny for everyone on s3 actions when aws:SecureTransport is false, or when s3:TlsVersion is below 1.2. */
function deniesInsecure(s: Statement): 'any-tls' | 'tls-1.2' | undefined {
  if (s.Effect !== 'Deny') return undefined;
  const everyone = s.Principal === '*' || list((s.Principal as { AWS?: unknown } | undefined)?.AWS).includes('*');
  const actions = list(s.Action);
  if (!everyone || !actions.some((a) => a === 's3:*' || a === '*')) return undefined;
  const c = s.Condition ?? {};
  if (list(c.Bool?.['aws:SecureTransport']).includes('false')) return 'any-tls';
  const tls = c.NumericLessThan?.['s3:TlsVersion'];
  if (tls !== undefined && Number(list(tls)[0]) >= 1.2) return 'tls-1.2';
  return undefined;
}

export const check: Check = {
  id: 's3-bucket-tls-only',
  title: 'S3 bucket policy denies requests not made over TLS',
  service: 'S3',
  resourceTypes: ['AWS::S3::Bucket'],
  source: { kind: 'config' },
  remediation: 'Add a bucket policy statement that denies s3:* to everyone when aws:SecureTransport is false (and s3:TlsVersion < 1.2).',
  sameProperty: ['S3_BUCKET_SSL_REQUESTS_ONLY'],
  evaluate(bucket) {
    // AWS Config records the policy as a JSON string under supplementaryConfiguration.BucketPolicy.policyText.
    const text = optionalField(bucket, 'supplementary', 'BucketPolicy.policyText');
    if (typeof text !== 'string' || text === '') return { status: 'fail', message: 'no bucket policy: plain HTTP requests are not refused' };
    let statements: Statement[];
    try {
      const raw = (JSON.parse(text) as { Statement?: Statement | Statement[] }).Statement;
      statements = Array.isArray(raw) ? raw : raw ? [raw] : [];
    } catch {
      return { status: 'fail', message: 'bucket policy recorded but not readable as JSON' };
    }
    const found = statements.map(deniesInsecure).filter(Boolean);
    if (found.includes('tls-1.2')) return { status: 'pass', message: 'policy denies requests below TLS 1.2 (s3:TlsVersion)' };
    if (found.includes('any-tls')) return { status: 'pass', message: 'policy denies requests without TLS (aws:SecureTransport false)' };
    return { status: 'fail', message: 'bucket policy has no statement denying requests without TLS' };
  },
};
