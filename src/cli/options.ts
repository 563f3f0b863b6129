// Every command-line option, declared once: the yargs options (cli.ts), the settings file's schema and the
// starter file (config-file.ts) are derived from here, so a flag and its settings key cannot drift apart.
import { existsSync } from 'node:fs';
import { UserError } from '../core/errors.ts';
import { chromiumEnv } from '../render/chromium.ts';
import { reportFormats } from '../render/report-formats.ts';
import { signingKeyEnv } from '../sign/keys.ts';

export const defaultConfigFile = 'evidence-pack.yaml';

export interface Bounds {
  min: number;
  max: number;
}

export interface OptionSpec {
  /** Absent for a list of choices whose type yargs need not print. */
  type?: 'string' | 'boolean' | 'number';
  describe: string;
  array?: boolean;
  choices?: readonly (string | number)[];
  /** A whole number within these bounds (flags and settings file alike). */
  bounds?: Bounds;
  default?: string | number | boolean;
  alias?: string;
  hidden?: boolean;
  demandOption?: boolean;
  conflicts?: string;
  implies?: string;
  /** Settings file: a path, relative to the file. */
  path?: boolean;
  /** Settings file: a pattern the text must match (the flag is checked where it is used). */
  pattern?: string;
  /** Settings file: why this key is not taken there (absent: the command's section takes it). */
  flagOnly?: string;
  /** Settings file: the starter's commented line for this key, `value` then an optional note. */
  starter?: readonly [value: string, note?: string];
}

export type OptionSet = Readonly<Record<string, OptionSpec>>;

/** Where a command's settings live in the file: the top level, or the `collect:` section (collect reads another account's view). */
export type Section = 'top' | 'collect';

export interface CommandOptions {
  settings: Section | { flagOnly: string };
  options: OptionSet;
}

/** The bounds of every numeric flag: whole numbers, where a zero, a fraction or a huge value would make no sense (or no end). */
export const numericFlags = {
  'rows-per-print': { min: 1, max: 1_000_000 },
  'max-evaluation-age': { min: 1, max: 3650 },
  threads: { min: 0, max: 1024 },
  size: { min: 1, max: 1_000_000 },
} as const satisfies Record<string, Bounds>;

/** What a whole-number option expects, as the error says it. */
export const wholeNumberRule = ({ min, max }: Bounds) => `expected a whole number from ${min} to ${max.toLocaleString('en-US')}`;

/** A flag's or settings value as a whole number within bounds, or undefined when it is not one. */
export function wholeNumberWithin(value: unknown, { min, max }: Bounds): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

const oneInvocation = 'a decision for one invocation, not a standing setting';

const globalOptions = {
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing but errors', flagOnly: 'how one invocation prints' },
  json: { type: 'boolean', default: false, describe: 'Print the outcome as JSON on stdout', flagOnly: 'how one invocation prints' },
  config: { type: 'string', describe: `Settings file (default: ./${defaultConfigFile} when present); flags win`, flagOnly: 'names the settings file itself' },
} as const satisfies OptionSet;

const brandingOptions = {
  logo: { type: 'string', describe: 'Logo on the cover (PNG, JPEG or SVG, up to 1 MiB)', path: true, starter: ['branding/logo.png', 'PNG, JPEG or SVG on the cover'] },
  accent: { type: 'string', describe: 'Accent colour of headings and links (#rrggbb)', pattern: '^#[0-9a-fA-F]{6}$', starter: ['"#0b3d91"', 'headings and links'] },
} as const satisfies OptionSet;

const renderOptions = {
  ...brandingOptions,
  templates: {
    type: 'string',
    describe: 'Directory of templates overriding any of the built-in ones (report.hbs, report.css, partials/*.hbs)',
    path: true,
    starter: ['branding/templates', 'your overrides of templates/'],
  },
  paper: { choices: ['A4', 'Letter'], default: 'A4', describe: 'PDF paper size', starter: ['A4', 'or Letter'] },
  pdf: {
    type: 'boolean',
    default: true,
    describe: `Print report.pdf with Chromium (--no-pdf to skip; Chromium from PATH or $${chromiumEnv})`,
    flagOnly: 'skipping the PDF is for a quick look; the packs a schedule makes carry theirs',
  },
  'pdf-certificate': {
    type: 'string',
    describe: 'PKCS#12 file whose certificate signs report.pdf (password in $EVIDENCE_PACK_PDF_CERT_PASSWORD); default: a self-signed demo certificate made for the run',
    path: true,
    starter: ['keys/signer.p12', 'signs report.pdf (password in EVIDENCE_PACK_PDF_CERT_PASSWORD)'],
  },
  'rows-per-print': {
    type: 'number',
    bounds: numericFlags['rows-per-print'],
    describe: 'Evidence rows Chromium lays out in one print; a larger report is printed in parts and merged (default 2000)',
    starter: ['2000', 'evidence rows per Chromium print'],
  },
} as const satisfies OptionSet;

const fromTo = "a fixed range of days is one invocation's; a schedule names a rolling period (period: previous-month)";
const periodOptions = {
  period: { type: 'string', describe: 'Reporting period: YYYY-MM, YYYY-Qn or previous-month (the default)', starter: ['previous-month', 'or 2026-10, 2026-Q3'] },
  from: { type: 'string', describe: 'Period start day (YYYY-MM-DD), with --to', flagOnly: fromTo },
  to: { type: 'string', describe: 'Period end day, included (YYYY-MM-DD), with --from', flagOnly: fromTo },
  tz: { type: 'string', describe: 'Time zone of the period (IANA name; default UTC)', starter: ['Europe/Berlin', 'time zone of the period (default UTC)'] },
  'max-evaluation-age': {
    type: 'number',
    bounds: numericFlags['max-evaluation-age'],
    describe: 'Days before the period end after which a rule result is stale (a gap); default 35',
    starter: ['35', 'days; older AWS Config rule results are stale (gaps)'],
  },
} as const satisfies OptionSet;

const catalogOption = {
  catalog: {
    type: 'string',
    array: true,
    path: true,
    describe: 'Directory of your own frameworks, mappings and controls, added to the built-in catalogs (repeatable; see "The catalog as data")',
    starter: ['compliance/catalog', 'your own frameworks (see the README, "The catalog as data")'],
  },
} as const satisfies OptionSet;

const assuranceOptions = {
  ...periodOptions,
  ...catalogOption,
  organization: { type: 'string', describe: 'Organization name on the report (default: the one in snapshot.json)', starter: ['Example Corp', "shown on the report (default: the snapshot's)"] },
  attestations: {
    type: 'string',
    path: true,
    describe: 'Directory of attestation YAML files (default: <evidence>/attestations when present)',
    starter: ['compliance/attestations', 'attestation YAML files (default: <evidence>/attestations)'],
  },
  waivers: {
    type: 'string',
    path: true,
    describe: 'Waivers YAML file (default: <evidence>/waivers.yaml when present)',
    starter: ['compliance/waivers.yaml', 'waivers (default: <evidence>/waivers.yaml)'],
  },
  threads: {
    type: 'number',
    bounds: numericFlags.threads,
    describe:
      'Worker threads that evaluate AWS-delivered snapshot files and large (Aggregate)SelectResourceConfig files, 0 for none (default: one per CPU core when the files hold more than about 25,000 items)',
    starter: ['4', 'worker threads for large evidence (default: one per core when needed)'],
  },
} as const satisfies OptionSet;

const keyOptions = {
  'signing-key': {
    type: 'string',
    path: true,
    describe: `Ed25519 private key (PEM) to sign with; else $${signingKeyEnv}; else an unmanaged demo key made for this run`,
    starter: ['keys/signing-key.pem', `Ed25519 key (or set ${signingKeyEnv})`],
  },
  'kms-key-id': {
    type: 'string',
    conflicts: 'signing-key',
    describe: 'Sign with this AWS KMS asymmetric key (id, alias or ARN; ECC_NIST_* or RSA_*): KMS keeps the private key, the pack carries the public key',
    starter: ['arn:aws:kms:eu-west-1:111122223333:key/…', 'or sign with an AWS KMS key instead'],
  },
  'kms-signing-algorithm': {
    type: 'string',
    implies: 'kms-key-id',
    describe: "KMS algorithm (default: the key's ECDSA, else RSASSA_PSS_SHA_256)",
    starter: ['ECDSA_SHA_256', "with kms-key-id (default: the key's ECDSA)"],
  },
  profile: { type: 'string', describe: 'AWS profile (for --kms-key-id; collect: the account to read)', starter: ['audit', 'AWS profile for the KMS key'] },
  region: { type: 'string', describe: 'Region of the KMS key when --kms-key-id is not an ARN', starter: ['eu-west-1', 'region of the KMS key when kms-key-id is not an ARN'] },
} as const satisfies OptionSet;

const trustedKeysOption = {
  'trusted-keys': {
    type: 'string',
    path: true,
    describe: 'File of trusted signer fingerprints, one a line (sha256:…); settings key trusted-keys',
    starter: ['keys/trusted-keys.txt', 'signer fingerprints (sha256:…) verify, diff, attach and run trust'],
  },
} as const satisfies OptionSet;

const expectKey = 'pins the one pack to the key its sender named; the keys trusted for every run go in trusted-keys';
/** What a pack's signer is checked against: without any, an intact pack is "intact, signer not verified" (exit 8). */
const trustOptions = {
  ...trustedKeysOption,
  'expect-key': { type: 'string', describe: 'Trust a pack only if signed by this key (sha256:… fingerprint; repeat the flag for several)', flagOnly: expectKey },
  'expect-kms-key': { type: 'string', describe: 'Trust the AWS KMS key with this ARN: its public key is read from KMS (kms:GetPublicKey, the one online step)', flagOnly: expectKey },
  profile: { type: 'string', describe: 'AWS profile for --expect-kms-key' },
  region: { type: 'string', describe: 'Region for --expect-kms-key when it is not in the ARN' },
} as const satisfies OptionSet;

const forceOption = {
  force: { type: 'boolean', default: false, describe: 'Replace existing output', flagOnly: `replacing output is ${oneInvocation}` },
} as const satisfies OptionSet;

const perRequest = 'names what one request sends';

/** The options of each command, in the order --help lists them; positionals stay with the command (cli.ts). */
export const commandOptions = {
  run: {
    settings: 'top',
    options: {
      evidence: {
        type: 'string',
        path: true,
        describe: 'Evidence directory (default: the embedded sample, evidence/sample)',
        starter: ['evidence/latest', 'evidence directory for run/evaluate (default: the embedded sample)'],
      },
      out: { type: 'string', default: 'out', path: true, describe: 'Directory the pack directory is written into', starter: ['out', 'where packs are written'] },
      ...renderOptions,
      ...keyOptions,
      ...forceOption,
      ...assuranceOptions,
      ...trustedKeysOption,
    },
  },
  collect: {
    settings: 'collect',
    options: {
      region: { type: 'string', array: true, describe: 'Region to collect (repeat for several)', starter: ['[us-east-1, eu-west-1]'] },
      'all-regions': { type: 'boolean', describe: 'Every region enabled in the account (Account API ListRegions)', starter: ['true', 'instead of region: every region enabled'] },
      aggregator: {
        type: 'string',
        describe: 'Read an AWS Config aggregator (organization or accounts) in its home region, given with --region',
        starter: ['org-all', 'or read a Config aggregator (one region: its home)'],
      },
      'assume-role': {
        type: 'string',
        describe: 'With --aggregator: role name assumed in each member account for WorkSpaces, Macie and CloudTrail reads',
        starter: ['EvidencePackReadOnly', 'role in each member account for WorkSpaces/Macie/CloudTrail'],
      },
      'from-files': {
        type: 'string',
        describe: 'Instead of the APIs: AWS Config snapshot files delivered to s3://bucket/prefix or copied to a directory',
        starter: ['s3://acme-config/AWSLogs/', 'or the snapshot files AWS Config delivered'],
      },
      'cloudtrail-logs': {
        type: 'string',
        path: true,
        describe: 'Also read these CloudTrail log files (*.json.gz, any depth) in full for TLS versions and FIPS endpoints, instead of the LookupEvents sample',
        starter: ['trail-logs/AWSLogs', 'every CloudTrail event of the files, not a sample'],
      },
      period: {
        type: 'string',
        describe: "Evidence as of this period's end (2026-10, 2026-Q3): each resource's configuration history, or with --from-files the snapshot closest to the end",
        flagOnly: "a scheduled collection reads the current state; a past period's is a one-off",
      },
      from: { type: 'string', hidden: true, describe: '', flagOnly: fromTo },
      to: { type: 'string', hidden: true, describe: '', flagOnly: fromTo },
      tz: { type: 'string', describe: 'Time zone of the period (IANA name; default UTC)', flagOnly: 'only with period, which is flag-only for collect' },
      profile: { type: 'string', describe: 'AWS profile (SSO profiles included); default: the SDK default credential chain', starter: ['audit', 'AWS profile (SSO profiles too)'] },
      organization: { type: 'string', default: 'Unnamed organization', describe: 'Organization name shown on the report', starter: ['Example Corp'] },
      out: { type: 'string', demandOption: true, path: true, describe: 'Evidence directory to create', starter: ['evidence/latest'] },
      ...forceOption,
    },
  },
  evaluate: {
    settings: 'top',
    options: {
      evidence: { type: 'string', path: true, describe: 'Evidence directory (default: the embedded sample)' },
      out: { type: 'string', demandOption: true, path: true, describe: 'Work directory to create', flagOnly: "a new work directory each time; the settings file's out is where run writes packs" },
      ...forceOption,
      ...assuranceOptions,
    },
  },
  render: {
    settings: 'top',
    options: {
      only: {
        type: 'string',
        describe: `Write only these of the reports besides the PDF (comma-separated: ${reportFormats.join(', ')}); with --no-pdf, no PDF either`,
        flagOnly: 'a partial render is for a quick look',
      },
      ...renderOptions,
      ...forceOption,
    },
  },
  sign: { settings: 'top', options: { ...keyOptions, ...forceOption } },
  diff: {
    settings: 'top',
    options: {
      ...trustOptions,
      format: { choices: ['md', 'json'], default: 'md', describe: 'Output format', flagOnly: 'how one comparison prints' },
      'fail-on': { choices: ['regressed', 'gap', 'fail'], array: true, describe: 'Exit 6 when the drift has regressions, new gaps, or failing controls', flagOnly: 'the gate of one pipeline step' },
    },
  },
  attach: {
    settings: 'top',
    options: {
      ...trustOptions,
      jira: {
        type: 'string',
        describe: 'Jira base URL (https://example.atlassian.net); token from $JIRA_API_TOKEN (+ $JIRA_EMAIL for Jira Cloud)',
        starter: ['https://example.atlassian.net', 'evidence-pack attach: token in JIRA_API_TOKEN (+ JIRA_EMAIL)'],
      },
      'jira-flavor': {
        choices: ['cloud', 'datacenter'],
        describe: 'Jira Cloud (REST API v3, ADF comment) or Data Center/Server (REST API v2, wiki-markup comment); default: cloud when $JIRA_EMAIL is set, else datacenter',
        starter: ['datacenter', 'or cloud; default: cloud when JIRA_EMAIL is set'],
      },
      issue: { type: 'string', pattern: '^[A-Z][A-Z0-9_]+-\\d+$', describe: 'Jira issue key, e.g. AUDIT-42', starter: ['AUDIT-42'] },
      github: {
        type: 'string',
        pattern: '^[\\w.-]+/[\\w.-]+#\\d+$',
        describe: 'GitHub issue owner/repo#N; token from $GITHUB_TOKEN (API at $GITHUB_API_URL)',
        starter: ['example/compliance#7', 'or a GitHub issue (token in GITHUB_TOKEN)'],
      },
      link: {
        type: 'string',
        describe: 'Where the archive is stored (named in the comment; GitHub cannot hold attachments)',
        starter: ['s3://example-audit/packs/', 'where archives are stored (named in the comment)'],
      },
      'request-list': {
        type: 'string',
        describe:
          "Also attach the sample as the auditor's request list, <pack id>-request-list.csv: the pack's default samples of these controls (comma-separated; none named: every sampled control). GitHub: written beside the pack",
        flagOnly: perRequest,
      },
      sample: {
        type: 'string',
        array: true,
        describe: 'A sample file made by evidence-pack sample, listed instead of the default sample of its control (re-derived first: a mismatch exits 3, nothing sent)',
        flagOnly: perRequest,
      },
    },
  },
  sample: {
    settings: { flagOnly: "each sample answers one auditor's request" },
    options: {
      control: { type: 'string', describe: 'One control (default: every control with a population)' },
      size: { type: 'number', bounds: numericFlags.size, describe: 'Sample size (instead of --confidence and --tolerable-deviation)' },
      confidence: { type: 'number', choices: [90, 95], describe: 'Confidence (%), with --tolerable-deviation: the size from the attribute-sampling table (default 95)' },
      'tolerable-deviation': { type: 'number', choices: [5, 10], describe: 'Tolerable deviation rate (%) (default 5)' },
      seed: { type: 'string', describe: "Your own seed text (default: the population file's sha256, fixed once the pack is signed)" },
      out: { type: 'string', describe: 'Write each sample as <control>.json into this directory' },
      verify: { type: 'string', describe: 'Re-derive this sample file from the pack and say whether it matches (exit 3 if not)' },
    },
  },
  init: { settings: { flagOnly: 'writes the settings file' }, options: { ...forceOption } },
  'iam-policy': {
    settings: { flagOnly: 'prints a policy once, when setting up' },
    options: {
      'all-regions': { type: 'boolean', default: false, describe: 'Include what collect --all-regions adds' },
      period: { type: 'boolean', default: false, describe: 'Include what collect --period adds (configuration history)' },
      aggregator: { type: 'boolean', default: false, describe: 'The policy for collect --aggregator (in the aggregator account)' },
      'assume-role': { type: 'string', implies: 'aggregator', describe: 'With --aggregator: also allow assuming this role name in member accounts' },
      'member-role': { type: 'boolean', default: false, describe: 'The policy of the role assumed in each member account' },
      'from-files': { type: 'string', describe: 'The policy for collect --from-files s3://bucket/prefix' },
      format: { choices: ['json', 'cloudformation', 'terraform'], default: 'json', describe: 'With --member-role: the role as a CloudFormation template (StackSets) or Terraform (.tf.json)' },
      'kms-key-id': { type: 'string', describe: 'Print instead the policy that signing with this KMS key ARN needs' },
    },
  },
  catalog: {
    settings: 'top',
    options: {
      ...catalogOption,
      format: { choices: ['json', 'csv'], default: 'json', describe: 'Output format', flagOnly: 'how one export prints' },
      table: { choices: ['edges', 'controls'], default: 'edges', describe: 'With --format csv: which table', flagOnly: 'how one export prints' },
    },
  },
  verify: { settings: 'top', options: { ...trustOptions } },
} as const satisfies Record<string, CommandOptions>;

export type CommandName = keyof typeof commandOptions;
export { globalOptions };

type SettingsOnly = 'bounds' | 'path' | 'pattern' | 'flagOnly' | 'starter';
type YargsOption<S> = Omit<S, SettingsOnly> & (S extends { bounds: Bounds } ? { coerce: (value: unknown) => number | undefined } : unknown);

/** yargs options of a set: a whole-number option gets a coerce that refuses what its bounds do not allow (exit 2). */
export function yargsOptions<S extends OptionSet>(set: S): { [K in keyof S]: YargsOption<S[K]> } {
  const out: Record<string, object> = {};
  for (const [name, spec] of Object.entries(set)) {
    const { bounds, path, pattern, flagOnly, starter, ...option } = spec;
    void path;
    void pattern;
    void flagOnly;
    void starter;
    out[name] = bounds ? { ...option, coerce: wholeNumberFlag(name, bounds) } : option;
  }
  return out as { [K in keyof S]: YargsOption<S[K]> };
}

/** A whole-number flag's coerce: the number, else one line and exit 2. */
const wholeNumberFlag =
  (flag: string, bounds: Bounds) =>
  (value: unknown): number | undefined => {
    if (value === undefined) return undefined;
    const n = wholeNumberWithin(value, bounds);
    if (n === undefined) throw new UserError(`--${flag} ${Array.isArray(value) ? value.join(' ') : String(value)}: ${wholeNumberRule(bounds)}`);
    return n;
  };

/** Whether a command's option may be given in the settings file, and where. */
export function settingsSection(command: string, name: string): Section | undefined {
  const c = (commandOptions as Record<string, CommandOptions>)[command];
  const spec = c?.options[name];
  if (!c || !spec || typeof c.settings !== 'string' || spec.flagOnly) return undefined;
  return c.settings;
}

/** The settings keys a command takes from its section of the file. */
export function settingsKeys(command: string): string[] {
  const c = (commandOptions as Record<string, CommandOptions>)[command];
  return c ? Object.keys(c.options).filter((name) => settingsSection(command, name)) : [];
}

/** What the settings file checks of a value: commands sharing a key must agree on it. */
const settingRule = (s: OptionSpec) => JSON.stringify([s.type, s.array, s.choices, s.bounds, s.pattern, s.path]);

/** Every key a section of the settings file takes, with the option it sets (the first command declaring it). */
export function settingsOptions(section: Section): Map<string, OptionSpec> {
  const keys = new Map<string, OptionSpec>();
  for (const [command, c] of Object.entries(commandOptions as Record<string, CommandOptions>)) {
    if (c.settings !== section) continue;
    for (const name of settingsKeys(command)) {
      const spec = c.options[name]!;
      const seen = keys.get(name);
      if (seen && settingRule(seen) !== settingRule(spec)) throw new Error(`settings key ${name}: ${command} declares it otherwise than another command`);
      if (!seen) keys.set(name, spec);
    }
  }
  return keys;
}

/** The settings file a run reads: --config's, else evidence-pack.yaml in the current directory when there is one. */
export function findConfigFile(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (i >= 0) return argv[i]!.includes('=') ? argv[i]!.slice('--config='.length) : argv[i + 1];
  return existsSync(defaultConfigFile) ? defaultConfigFile : undefined;
}
