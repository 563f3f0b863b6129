import { createHash } from 'node:crypto';
import { ibanLength, luhnValid, mod97Valid } from './checksums.ts';

/**
 * What kind of sensitive value a detector found; the kind appears in the mask. Vendor token kinds are
 * gitleaks' rule ids (config/gitleaks.toml, gitleaks/gitleaks at 009e025), whose patterns they follow.
 */
export type SensitiveKind =
  | 'private-key'
  | 'url-credentials'
  | 'url-token'
  | 'connection-string'
  | 'jwt'
  | 'authorization'
  | 'aws-access-key-id'
  | 'aws-secret-key'
  | 'aws-session-token'
  | 'secret-assignment'
  | VendorKind
  | 'email'
  | 'phone'
  | 'payment-card'
  | 'iban';

export interface SensitiveFinding {
  kind: SensitiveKind;
  hash: string;
}

interface Detector {
  kind: SensitiveKind | ((match: RegExpExecArray | string[]) => SensitiveKind);
  pattern: RegExp;
  /** The secret inside the match (masked and hashed), or undefined to leave the match as it is. */
  secret: (args: string[]) => string | undefined;
}

// Vendor tokens: gitleaks' patterns (rule id → regex), each with its literal prefix first.
const vendorPatterns = {
  'github-pat': 'ghp_[0-9a-zA-Z]{36}',
  'github-fine-grained-pat': 'github_pat_\\w{82}',
  'github-oauth': 'gho_[0-9a-zA-Z]{36}',
  'github-app-token': '(?:ghu|ghs)_[0-9a-zA-Z]{36}',
  'github-refresh-token': 'ghr_[0-9a-zA-Z]{36}',
  'gitlab-pat': 'glpat-[\\w-]{20,300}',
  'slack-bot-token': 'xoxb-[0-9]{8,14}-[a-zA-Z0-9-]{18,200}',
  'slack-user-token': 'xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}',
  'slack-legacy-token': 'xox[aosr]-[0-9a-zA-Z-]{8,200}',
  'slack-app-token': 'xapp-\\d-[A-Z0-9]{1,20}-\\d{1,20}-[a-z0-9]{1,200}',
  'slack-webhook-url': 'hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}',
  'stripe-access-token': '(?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99}',
  'gcp-api-key': 'AIza[\\w-]{35}',
  'npm-access-token': 'npm_[a-zA-Z0-9]{36}',
  'pypi-upload-token': 'pypi-AgEIcHlwaS5vcmc[\\w-]{50,1000}',
  'sendgrid-api-token': 'SG\\.[a-zA-Z0-9=_\\-.]{66}',
  'shopify-access-token': 'shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}',
  'digitalocean-access-token': 'do[opr]_v1_[a-f0-9]{64}',
  'vault-service-token': 'hvs\\.[\\w-]{90,120}',
  'anthropic-api-key': 'sk-ant-(?:api03|admin01)-[a-zA-Z0-9_\\-]{93}AA',
  'openai-api-key': 'sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,200}',
} as const;
export type VendorKind = keyof typeof vendorPatterns;
const vendorKinds = Object.keys(vendorPatterns) as VendorKind[];
/** Which literal starts each vendor token (the prefilter looks for these). */
export const vendorPrefixes = [
  'ghp_',
  'github_pat_',
  'gho_',
  'ghu_',
  'ghs_',
  'ghr_',
  'glpat-',
  'xox',
  'xapp-',
  'hooks.slack.com',
  'sk_',
  'rk_',
  'aiza',
  'npm_',
  'pypi-',
  'sg.',
  'shp',
  'do',
  'hvs.',
  'sk-',
];

/**
 * Key names that say their value is a secret: the name ends with one of these words (so `password` and
 * `DbPassword` count, `PasswordLastUsed`, `MinimumPasswordLength` and `TokenValidity` do not). Not
 * "ConnectionString": a WorkSpaces alias's is a host name (evidence); a password in one is caught as `Password=`.
 */
const secretWord =
  'secret[_ .-]?access[_ .-]?key|session[_ .-]?token|security[_ .-]?token|client[_ .-]?secret|private[_ .-]?key|secret[_ .-]?key|api[_ .-]?key|x-api-key|access[_ .-]?token|auth[_ .-]?token|refresh[_ .-]?token|password|passwd|passphrase|pwd|pw|secret|token|credentials?|authorization';
const secretKeyName = new RegExp(`(?:${secretWord})s?$`, 'i');
/** Pagination tokens (AWS's NextToken, S3's continuation tokens, …): names ending in "token" that hold no secret. */
const paginationPrefix = '(?:next|starting|continuation|next[_ .-]?continuation|pagination|page|marker)';
const paginationTokenName = new RegExp(`^${paginationPrefix}[_ .-]?tokens?$`, 'i');
const keyKind = (key: string): SensitiveKind =>
  /secret[_ .-]?access[_ .-]?key/i.test(key)
    ? 'aws-secret-key'
    : /(?:session|security)[_ .-]?token/i.test(key)
      ? 'aws-session-token'
      : /authorization/i.test(key)
        ? 'authorization'
        : 'secret-assignment';

/** Whether a key name (a JSON member, a tag key, an environment variable) says its value is a secret. */
export function isSecretKeyName(key: string): boolean {
  let known = secretKeyNames.get(key);
  if (known === undefined) {
    known = key.length <= 256 && secretKeyName.test(key) && !paginationTokenName.test(key);
    if (secretKeyNames.size >= cacheLimit) secretKeyNames.clear();
    secretKeyNames.set(key, known);
  }
  return known;
}
// Member names repeat across items (a few hundred in an estate): each is tested once.
const secretKeyNames = new Map<string, boolean>();

/** Values that hide nothing (placeholders and switches), left as they are after a secret-named key in text. */
const notASecret = /^(?:true|false|null|none|nil|n\/a|undefined|\*+|-+)$/i;

const basicCredentials = (value: string) => {
  if (!/^[A-Za-z0-9+/]{8,}={0,2}$/.test(value)) return false;
  const decoded = Buffer.from(value, 'base64').toString('latin1');
  return decoded.includes(':') && /^[\x20-\x7e]+$/.test(decoded);
};

// Every quantifier is bounded (RFC limits where there are some), so each start position costs a
// constant and a long value costs linear time: evidence is attacker-controlled text.
const detectors: Detector[] = [
  // A block without its END line is masked to the end of the text.
  {
    kind: 'private-key',
    pattern: /-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,60}-----|$)/g,
    secret: ([m]) => m,
  },
  // scheme://user:password@host, scheme://:password@host (redis), and a token alone as the user part.
  {
    kind: 'url-credentials',
    pattern: /\b[a-z][a-z0-9+.-]{0,31}:\/\/([^\s/?#@[\]:]{0,256}:[^\s/?#]{0,256}|[A-Za-z0-9_-]{20,256})@/gi,
    secret: ([, creds]) => (creds === ':' ? undefined : creds),
  },
  // Oracle's user/password@host (jdbc:oracle:thin:scott/tiger@db:1521:orcl).
  { kind: 'connection-string', pattern: /:thin:([^\s/@:]{1,128}\/[^\s@]{1,256})@/gi, secret: ([, creds]) => creds },
  // A token in a query string first: the credentials-in-urls check looks for this kind.
  {
    kind: 'url-token',
    pattern: /[?&#](?:access_token|id_token|token|api_key|apikey|key|secret|password|passwd|pwd|sig|signature|code|x-amz-signature|x-amz-credential|x-amz-security-token)=([^&#\s"']{1,8192})/gi,
    secret: ([, v]) => v,
  },
  // key=value, key: value, "key": "value", key="value" (and JSON escaped in a string: \"key\":\"value\"), the
  // key named like a secret (see secretWord); not a segment of an ARN (arn:…:secret:name), not a pagination token.
  {
    kind: (args) => keyKind(args[1]!),
    pattern: new RegExp(
      `(?<![:/])(?<!${paginationPrefix}[_ .-]?)(${secretWord})(?:\\\\?["'])?\\s{0,8}(=>|:=|[=:])\\s{0,8}(?:\\\\?["']([^"'\\\\\\r\\n]{1,4096})|(?:(?:Bearer|Basic|Token|Digest)\\s{1,8})?([^\\s"'\\\\<>,;&)}\\]]{1,4096})(?=(\\s{1,8}[a-z]{1,20}\\b)|))`,
      'gi',
    ),
    secret: ([, , separator, quoted, bare, prose]) => {
      const value = quoted ?? bare;
      if (!value || notASecret.test(value)) return undefined;
      // "No console password: programmatic access only": a lower-case word going on as a sentence is prose.
      if (bare !== undefined && separator === ':' && prose && /^[a-z]{1,20}$/.test(bare)) return undefined;
      return value;
    },
  },
  {
    kind: 'authorization',
    pattern: /\b(Bearer|Basic)\s{1,8}([A-Za-z0-9._~+/=-]{8,8192})/gi,
    // A bearer token has a digit (prose after "Bearer" has none); basic credentials decode to "user:password".
    secret: ([, scheme, v]) => (scheme!.toLowerCase() === 'basic' ? (basicCredentials(v!) ? v : undefined) : v!.length >= 12 && /\d/.test(v!) ? v : undefined),
  },
  { kind: 'jwt', pattern: /\bey[A-Za-z0-9_-]{8,8192}\.ey[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{0,8192}/g, secret: ([m]) => m },
  {
    kind: (args) => vendorKinds[args.slice(1, vendorKinds.length + 1).findIndex((g) => g !== undefined)]!,
    pattern: new RegExp(vendorKinds.map((k) => `(${vendorPatterns[k]})`).join('|'), 'g'),
    secret: ([m]) => m,
  },
  // Access key ids, whatever follows them ("…EXAMPLE_old", "…MMprod").
  { kind: 'aws-access-key-id', pattern: /(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}/g, secret: ([m]) => m },
  // Exactly 40 base64 characters standing alone, with upper case, lower case and a digit.
  {
    kind: 'aws-secret-key',
    pattern: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    secret: ([m]) => (/[a-z]/.test(m!) && /[A-Z]/.test(m!) && /[0-9]/.test(m!) ? m : undefined),
  },
  // Internationalised addresses too: letters and marks of any script, and punycode top-level domains.
  {
    kind: 'email',
    pattern: /(?<![\p{L}\p{M}\p{N}._%+-])[\p{L}\p{M}\p{N}._%+-]{1,64}@[\p{L}\p{M}\p{N}-]{1,63}(?:\.[\p{L}\p{M}\p{N}-]{1,63}){0,8}\.(?:\p{L}[\p{L}\p{M}]{1,23}|xn--[a-z0-9-]{1,59})/gu,
    secret: ([m]) => m,
  },
  // An IBAN as printed (groups of four) or compact; its length is the country's and its check digits hold.
  {
    kind: 'iban',
    pattern: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,31}/g,
    secret: ([m]) => {
      const length = ibanLength(m!.slice(0, 2));
      if (!length) return undefined;
      let compact = 0;
      let end = 0;
      while (end < m!.length && compact < length) if (m![end++] !== ' ') compact++;
      // The IBAN ends where the country's length does; what follows a space is another word.
      if (compact !== length || (end < m!.length && m![end] !== ' ')) return undefined;
      const iban = m!.slice(0, end);
      return mod97Valid(iban.replace(/ /g, '')) ? iban : undefined;
    },
  },
  // Card numbers of the card schemes' prefixes, 13 to 19 digits, grouped or not, passing the Luhn check.
  {
    kind: 'payment-card',
    pattern: /(?<![\w.+-])(?:4|5[0-5]|2[2-7]|3[04-8]|6[0245])\d{1,3}(?:[ -]?\d){9,15}(?![\w.])/g,
    secret: ([m]) => {
      const digits = m!.replace(/[ -]/g, '');
      return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? m : undefined;
    },
  },
  // Phone numbers, conservatively: international (+ and 8 to 15 digits) and North American grouped forms.
  {
    kind: 'phone',
    pattern: /(?<![\w+])\+[1-9][\d ().-]{6,24}(?![\w])|(?<![\w(])\(\d{3}\) ?\d{3}[ .-]\d{4}(?![\w-])|(?<![\w.:/-])\d{3}-\d{3}-\d{4}(?![\w-])/g,
    secret: ([m]) => {
      if (!m!.startsWith('+')) return m;
      const phone = m!.replace(/[ ().-]+$/, '');
      const digits = phone.replace(/\D/g, '').length;
      return digits >= 8 && digits <= 15 && /^\+\d+(?:[ .-]?\(?\d+\)?)*$/.test(phone) && !/[ .-]{2}/.test(phone) ? phone : undefined;
    },
  },
];

/** Short, stable fingerprint of a value, so the same secret can be recognised across outputs without showing it. */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 8);
}

export function maskToken(kind: SensitiveKind, value: string): string {
  return `[REDACTED ${kind} #${fingerprint(value)}]`;
}

// What every detector needs, in one case-insensitive pass: '@' (e-mail, credentials in a URL), '=' and ':'
// after a secret word, '-----', '.ey' (a JWT's payload), an access key's prefix, a vendor token's prefix, 'Bearer'/'Basic',
// ':thin:'; and, counted in one loop over the characters: a run of 40 base64 characters, a run of digits that
// can be a card number (13+, from 2-6), a '+' or '(' before digits (phone), an upper-case run that can be an
// IBAN. ARNs, dates, account ids and most names have none, and skip the detectors and the cache.
// Case-sensitive over the lower-cased text: 3× quicker than one case-insensitive alternation in V8.
const literalTrigger = new RegExp(
  `[@=]|-----|\\.ey|a3t|akia|asia|abia|acca|bearer|basic|:thin:|passw|passphrase|pw|secret|token|credential|authoriz|api[_ .-]?key|private[_ .-]?key|${vendorPrefixes
    .filter((p) => p.length > 2 && p !== 'xox')
    .map((p) => p.replace(/[.]/g, '\\.'))
    .join('|')}|xox[abposer]-|do[opr]_v1_|sk_|rk_`,
);
// A short string is quicker tested as it is than lower-cased first.
const literalTriggerAnyCase = new RegExp(literalTrigger.source, 'i');
export function mayBeSensitive(text: string): boolean {
  return (text.length < 64 ? literalTriggerAnyCase.test(text) : literalTrigger.test(text.toLowerCase())) || hasNumericOrBase64Run(text);
}

// Character classes for the one pass below (ASCII; anything else ends every run).
const B64 = 1;
const DIGIT = 2;
const UPPER = 4;
const SEP = 8;
const OPEN = 16;
const charClass = new Uint8Array(128).map((_, c) => {
  const ch = String.fromCharCode(c);
  return (/[A-Za-z0-9/+]/.test(ch) ? B64 : 0) | (/[0-9]/.test(ch) ? DIGIT : 0) | (/[A-Z]/.test(ch) ? UPPER : 0) | (ch === ' ' || ch === '-' ? SEP : 0) | (ch === '+' || ch === '(' ? OPEN : 0);
});
const isDigitAt = (t: string, i: number) => {
  const c = t.charCodeAt(i);
  return c >= 48 && c <= 57;
};
const isLetterAt = (t: string, i: number) => {
  const c = t.charCodeAt(i);
  return c >= 65 && c <= 90;
};
const isIbanStart = (t: string, i: number) => isLetterAt(t, i) && isLetterAt(t, i + 1) && isDigitAt(t, i + 2) && isDigitAt(t, i + 3);

/**
 * One pass: 40 base64 characters in a row; 13+ digits (single spaces or dashes between) starting with 2-6;
 * 10+ such digits with a dash or space among them (a grouped phone number); '+' or '(' before a digit;
 * 15+ upper-case letters and digits (single spaces between) starting with two letters and two digits.
 * Lower-case letters, most of any text, take the first test only.
 */
function hasNumericOrBase64Run(text: string): boolean {
  let b64 = 0;
  let digits = 0;
  let digitStart = 0;
  let grouped = false;
  let upper = 0;
  let upperStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const k = c < 128 ? charClass[c]! : 0;
    if (k & B64) {
      if (++b64 >= 40) return true;
    } else b64 = 0;
    if (k === B64 || k === 0) {
      digits = 0;
      upper = 0;
      continue;
    }
    if (k & DIGIT) {
      if (digits === 0) {
        digitStart = c;
        grouped = false;
      }
      if (++digits >= 13 && digitStart >= 50 && digitStart <= 54) return true;
      if (digits >= 10 && grouped) return true;
    } else if (k & SEP && digits > 0 && isDigitAt(text, i + 1)) grouped = true;
    else {
      digits = 0;
      if (k & OPEN && isDigitAt(text, i + 1)) return true;
    }
    if (k & (UPPER | DIGIT)) {
      // A run that did not start like an IBAN starts again at each group ("1234 DE89…").
      if (upper === 0 || (text.charCodeAt(i - 1) === 32 && !isIbanStart(text, upperStart))) {
        upperStart = i;
        upper = 0;
      }
      upper++;
      if (upper >= 15 && isIbanStart(text, upperStart)) return true;
    } else if (!(c === 32 && upper > 0)) upper = 0;
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
      // No named groups: replace() passes (match, ...groups, offset, whole text).
      const groups = args.slice(0, -2) as string[];
      const match = groups[0]!;
      const secret = d.secret(groups);
      if (!secret || secret.startsWith('[REDACTED') || secret.includes('[REDACTED ')) return match;
      const kind = typeof d.kind === 'function' ? d.kind(groups) : d.kind;
      findings.push({ kind, hash: fingerprint(secret) });
      return match.replace(secret, maskToken(kind, secret));
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

/** The value of a secret-named member, masked whole (whatever it looks like); empty and masked values stay. */
function maskedValue(name: string, value: string): string {
  if (value === '' || /^\[REDACTED [a-z0-9-]+ #[0-9a-f]{8}\]$/.test(value)) return value;
  return maskToken(keyKind(name), value);
}

// Name/value pairs: AWS tags ({Key, Value}), container environments ({name, value}), stack parameters.
const pairNames = ['Key', 'key', 'Name', 'name', 'ParameterKey', 'OptionName'];
const pairValues = ['Value', 'value', 'ParameterValue'];

/**
 * The members of an object whose string values are masked whole, each with the name that says so: a member
 * named like a secret, or the value of a name/value pair whose name is. Undefined when there is none.
 */
function secretMembers(obj: Record<string, unknown>, keys: string[]): Map<string, string> | undefined {
  let found: Map<string, string> | undefined;
  for (const k of keys) {
    if (typeof obj[k] === 'string' && isSecretKeyName(k)) (found ??= new Map()).set(k, k);
  }
  if (!('Value' in obj || 'value' in obj || 'ParameterValue' in obj)) return found;
  for (const n of pairNames) {
    const name = obj[n];
    if (typeof name !== 'string' || !isSecretKeyName(name)) continue;
    for (const v of pairValues) if (typeof obj[v] === 'string') (found ??= new Map()).set(v, name);
  }
  return found;
}

/** Deep copy of a JSON value with every string (and object key) redacted, and secret-named members' values masked. */
export function redactJson<T>(value: T): T {
  if (typeof value === 'string') return redactString(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactJson(v)) as T;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    const secrets = secretMembers(obj, keys);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const name = secrets?.get(k);
      out[redactString(k)] = name === undefined ? redactJson(obj[k]) : maskedValue(name, obj[k] as string);
    }
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
    const secrets = secretMembers(obj, keys);
    for (const k of keys) {
      const name = secrets?.get(k);
      obj[k] = name === undefined ? redactJsonInPlace(obj[k]) : maskedValue(name, obj[k] as string);
    }
  }
  return value;
}

/**
 * Whether an item's JSON text, as it was read, can be its copy: on one line, with no escape but \" and \\
 * (neither makes or breaks what a detector looks for), and nothing any detector could match in it.
 */
export function copiesVerbatim(text: string): boolean {
  return !/[\n\r]|\\[^"\\]/.test(text) && !mayBeSensitive(text);
}
