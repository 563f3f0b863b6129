import { createHash } from 'node:crypto';

/** What kind of sensitive value a detector found; the kind appears in the mask. */
export type SensitiveKind =
  | 'private-key'
  | 'url-credentials'
  | 'url-token'
  | 'jwt'
  | 'aws-access-key-id'
  | 'aws-secret-key'
  | 'secret-assignment'
  | 'email';

export interface SensitiveFinding { kind: SensitiveKind; hash: string }

interface Detector {
  kind: SensitiveKind;
  pattern: RegExp;
  /** Index of the capture group that holds the secret; 0 = the whole match. */
  group: number;
  accept?: (value: string) => boolean;
}

const notMasked = '(?!\\[REDACTED)';

// Every quantifier is bounded (RFC limits where there are some), so each start position costs a
// constant and a long value costs linear time: evidence is attacker-controlled text.
const detectors: Detector[] = [
  { kind: 'private-key', pattern: /-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY-----[\s\S]{0,16384}?(?:-----END (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY-----|$)/g, group: 0 },
  { kind: 'url-credentials', pattern: /\b[a-z][a-z0-9+.-]{0,31}:\/\/([^\s/?#@[\]:]{1,256}:[^\s/?#@]{0,256})@/gi, group: 1 },
  { kind: 'url-token', pattern: new RegExp(`[?&#](?:access_token|id_token|token|api_key|apikey|key|secret|password|passwd|pwd|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token)=${notMasked}([^&#\\s"']{1,4096})`, 'gi'), group: 1 },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,8192}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{8,8192}/g, group: 0 },
  { kind: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g, group: 0 },
  // Exactly 40 base64 characters standing alone, with upper case, lower case and a digit (checked after the match).
  { kind: 'aws-secret-key', pattern: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, group: 0, accept: (v) => /[a-z]/.test(v) && /[A-Z]/.test(v) && /[0-9]/.test(v) },
  // A value after "password:" etc. counts when it has a digit, symbol or capital, so prose ("password: none") stays.
  {
    kind: 'secret-assignment',
    pattern: new RegExp(`\\b(?:password|passwd|passphrase|pwd|pw|secret|token|api[_-]?key|secret[_-]?access[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret)\\s{0,8}[=:]\\s{0,8}${notMasked}([^\\s,;&"'<>]{1,512})`, 'gi'),
    group: 1,
    accept: (value) => /[0-9A-Z!#$%*+/=?^_~@.-]/.test(value),
  },
  { kind: 'email', pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/g, group: 0 },
];

/** Short, stable fingerprint of a value, so the same secret can be recognised across outputs without showing it. */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 8);
}

export function maskToken(kind: SensitiveKind, value: string): string {
  return `[REDACTED ${kind} #${fingerprint(value)}]`;
}

// What every detector needs (a superset: case is ignored): '@' (e-mail, credentials in a URL), '=' (URL
// tokens, assignments), a key word before ':' (assignments), '-----', 'eyJ', an access key's prefix, or a
// run of 40 base64 characters. ARNs, dates and most names have none, and skip the detectors and the cache.
// Three tests, not one alternation, and the run counted in a loop: a regex retries it at every position
// (20× slower on an item's text).
const literalTrigger = /[@=]|-----|eyJ|A(?:KI|SI|BI|CC)A/i;
const assignmentTrigger = /(?:passw(?:or)?d|passphrase|pwd|pw|secret|token|key)\s{0,8}:/i;
export function mayBeSensitive(text: string): boolean {
  return literalTrigger.test(text) || (text.includes(':') && assignmentTrigger.test(text)) || hasBase64Run(text, 40);
}

const inBase64 = new Uint8Array(128).map((_, c) => (/[A-Za-z0-9/+]/.test(String.fromCharCode(c)) ? 1 : 0));

/** Whether `text` holds `length` characters of [A-Za-z0-9/+] in a row. */
function hasBase64Run(text: string, length: number): boolean {
  if (text.length < length) return false;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && inBase64[c] === 1) {
      if (++run >= length) return true;
    } else run = 0;
  }
  return false;
}

/** Replaces every sensitive value in `text` by a mask; returns the new text and what was found. */
export function redactText(text: string): { text: string; findings: SensitiveFinding[] } {
  return mayBeSensitive(text) ? runDetectors(text) : { text, findings: [] };
}

/** Every detector over `text`, without the prefilter (redactText's work, and what the prefilter is tested against). */
export function runDetectors(text: string): { text: string; findings: SensitiveFinding[] } {
  const findings: SensitiveFinding[] = [];
  let out = text;
  for (const d of detectors) {
    out = out.replace(d.pattern, (...args) => {
      const match = args[0] as string;
      const secret = (d.group === 0 ? match : (args[d.group] as string | undefined)) ?? '';
      if (secret === '' || secret.startsWith('[REDACTED') || (d.accept && !d.accept(secret))) return match;
      findings.push({ kind: d.kind, hash: fingerprint(secret) });
      return d.group === 0 ? maskToken(d.kind, secret) : match.replace(secret, maskToken(d.kind, secret));
    });
  }
  return { text: out, findings };
}

// The same strings come back again and again (keys, types, a check's message for thousands of resources):
// each is redacted once. Bounded, so an estate of unique strings cannot grow it without limit.
const redactedCache = new Map<string, string>();
const cacheLimit = 100_000;
const cachedLength = 1024;

function redactString(text: string): string {
  if (!mayBeSensitive(text)) return text; // most strings: cheaper than a cache lookup
  const hit = redactedCache.get(text);
  if (hit !== undefined) return hit;
  const out = redactText(text).text;
  if (text.length <= cachedLength) {
    if (redactedCache.size >= cacheLimit) redactedCache.clear();
    redactedCache.set(text, out);
  }
  return out;
}

/** Deep copy of a JSON value with every string (and object key) redacted. */
export function redactJson<T>(value: T): T {
  if (typeof value === 'string') return redactString(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactJson(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactString(k)] = redactJson(v);
    return out as T;
  }
  return value;
}

/**
 * The same as redactJson for a value the caller owns and gives up: strings are replaced where they
 * are, and only an object with a key that changes is rebuilt (keeping the keys' order).
 */
export function redactJsonInPlace<T>(value: T): T {
  if (typeof value === 'string') return redactString(value) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = redactJsonInPlace(value[i]);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.some((k) => redactString(k) !== k)) return redactJson(value);
    for (const k of keys) obj[k] = redactJsonInPlace(obj[k]);
  }
  return value;
}
