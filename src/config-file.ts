// evidence-pack.yaml: what a scheduled run repeats every month. Keys are the command-line flags;
// flags given on the command line win. Relative paths are relative to the file.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { compileSchema, loadYamlFile } from './data-file.ts';

export const defaultConfigFile = 'evidence-pack.yaml';

const str = { type: 'string', minLength: 1 } as const;
const shared = {
  organization: str,
  evidence: str,
  out: str,
  attestations: str,
  waivers: str,
  'signing-key': str,
  'kms-key-id': str,
  'kms-signing-algorithm': str,
  profile: str,
  'pdf-certificate': str,
  templates: str,
  paper: { enum: ['A4', 'Letter'] },
  logo: str,
  accent: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$' },
  period: str,
  tz: str,
  'max-evaluation-age': { type: 'integer', minimum: 1, maximum: 3650 },
  jira: str,
  'jira-flavor': { enum: ['cloud', 'datacenter'] },
  issue: { type: 'string', pattern: '^[A-Z][A-Z0-9_]+-\\d+$' },
  github: { type: 'string', pattern: '^[\\w.-]+/[\\w.-]+#\\d+$' },
  link: str,
  'trusted-keys': str,
  catalog: { anyOf: [str, { type: 'array', items: str, minItems: 1 }] },
} as const;

// An all-comment file (the starter) is an empty document: null.
const schema = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    ...shared,
    collect: {
      type: 'object',
      additionalProperties: false,
      properties: { organization: str, out: str, profile: str, region: { type: 'array', items: str, minItems: 1 }, aggregator: str, 'assume-role': str, 'from-files': str },
    },
  },
} as const;

type Config = (Record<string, unknown> & { collect?: Record<string, unknown> }) | null;
const validate = compileSchema<Config>(schema);
const pathKeys = new Set(['catalog', 'evidence', 'out', 'attestations', 'waivers', 'signing-key', 'pdf-certificate', 'templates', 'logo', 'trusted-keys']);

/** The defaults a config file gives one command, paths made absolute. */
export function configDefaults(file: string, command: string): Record<string, unknown> {
  const { data } = loadYamlFile(file, validate);
  const base = dirname(resolve(file));
  const { collect, ...top } = data ?? {};
  const chosen: Record<string, unknown> = command === 'collect' ? { ...collect } : top;
  for (const [k, v] of Object.entries(chosen)) {
    if (!pathKeys.has(k)) continue;
    if (typeof v === 'string' && !isAbsolute(v)) chosen[k] = resolve(base, v);
    // A list of paths (catalog: [dir, …]); a single one is a list of one.
    if (Array.isArray(v)) chosen[k] = v.map((p: string) => (isAbsolute(p) ? p : resolve(base, p)));
  }
  return chosen;
}

/** --config FILE, else ./evidence-pack.yaml when present. */
export function findConfigFile(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (i >= 0) return argv[i]!.includes('=') ? argv[i]!.slice('--config='.length) : argv[i + 1];
  return existsSync(defaultConfigFile) ? defaultConfigFile : undefined;
}

export const starterConfig = `# evidence-pack.yaml: what a monthly run repeats. Every key is a command-line flag; flags win.
# Paths are relative to this file. Uncomment what you need.

# organization: Example Corp            # shown on the report (default: the snapshot's)
# evidence: evidence/latest             # evidence directory for run/evaluate (default: the embedded sample)
# out: out                              # where packs are written
# attestations: compliance/attestations # attestation YAML files (default: <evidence>/attestations)
# waivers: compliance/waivers.yaml      # waivers (default: <evidence>/waivers.yaml)
# signing-key: keys/signing-key.pem     # Ed25519 key (or set EVIDENCE_PACK_SIGNING_KEY)
# kms-key-id: arn:aws:kms:eu-west-1:111122223333:key/…  # or sign with an AWS KMS key instead
# catalog: compliance/catalog          # your own frameworks (see the README, "The catalog as data")
# trusted-keys: keys/trusted-keys.txt  # signer fingerprints (sha256:…, one a line) that verify, diff, attach and
#                                      # run (for earlier periods' packs) trust besides the run's own key
# profile: audit                        # AWS profile for the KMS key
# pdf-certificate: keys/signer.p12      # signs report.pdf (password in EVIDENCE_PACK_PDF_CERT_PASSWORD)
# paper: A4                             # or Letter
# templates: branding/templates         # your overrides of templates/
# logo: branding/logo.png               # PNG, JPEG or SVG on the cover
# accent: "#0b3d91"                     # headings and links
# period: previous-month                # or 2026-10, 2026-Q3
# tz: Europe/Berlin                     # time zone of the period (default UTC)
# max-evaluation-age: 35                # days; older AWS Config rule results are stale (gaps)
# jira: https://example.atlassian.net   # evidence-pack attach: token in JIRA_API_TOKEN (+ JIRA_EMAIL)
# issue: AUDIT-42
# github: example/compliance#7          # or a GitHub issue (token in GITHUB_TOKEN)

# collect:
#   organization: Example Corp
#   profile: audit                      # AWS profile (SSO profiles too)
#   region: [us-east-1, eu-west-1]
#   aggregator: org-all                 # or read a Config aggregator (one region: its home)
#   assume-role: EvidencePackReadOnly   # role in each member account for WorkSpaces/Macie/CloudTrail
#   out: evidence/latest
`;
