// The only file that talks to the process: argv → command → exit code. Commands are imported when
// run, so `verify` does not load the AWS SDK or the browser driver.
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { CollectOption } from './collect/operations.ts';
import { existsSync, writeFileSync } from 'node:fs';
import { configDefaults, defaultConfigFile, findConfigFile, starterConfig } from './config-file.ts';
import { ExitCode, UserError } from './errors.ts';
import { stderr, stdout, withIo, type Io } from './io.ts';
import { stopCleanlyOnSignals } from './interrupt.ts';
import { tool } from './paths.ts';
import { redactText } from './redact/detect.ts';
import { chromiumEnv } from './render/chromium.ts';
import { reportFormats } from './render/report-formats.ts';
import { signingKeyEnv } from './sign/keys.ts';


const paperChoices = ['A4', 'Letter'] as const;

/** The bounds of every numeric flag: whole numbers, where a zero, a fraction or a huge value would make no sense (or no end). */
export const numericFlags = {
  'rows-per-print': { min: 1, max: 1_000_000 },
  'max-evaluation-age': { min: 1, max: 3650 },
  threads: { min: 0, max: 1024 },
  size: { min: 1, max: 1_000_000 },
} as const;

/** A yargs coerce for a numeric flag: a whole number within its bounds, else one line and exit 2. */
const wholeNumber = (flag: keyof typeof numericFlags) => (value: unknown): number | undefined => {
  if (value === undefined) return undefined;
  const { min, max } = numericFlags[flag];
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`--${flag} ${Array.isArray(value) ? value.join(' ') : String(value)}: expected a whole number from ${min} to ${max.toLocaleString('en-US')}`);
  return n;
};

const brandingOptions = <T>(y: Argv<T>) => y
  .option('logo', { type: 'string', describe: 'Logo on the cover (PNG, JPEG or SVG, up to 1 MiB)' })
  .option('accent', { type: 'string', describe: 'Accent colour of headings and links (#rrggbb)' });

const renderOptions = <T>(y: Argv<T>) => brandingOptions(y)
  .option('templates', { type: 'string', describe: 'Directory of templates overriding any of the built-in ones (report.hbs, report.css, partials/*.hbs)' })
  .option('paper', { choices: paperChoices, default: 'A4' as const, describe: 'PDF paper size' })
  .option('pdf', { type: 'boolean', default: true, describe: `Print report.pdf with Chromium (--no-pdf to skip; Chromium from PATH or $${chromiumEnv})` })
  .option('pdf-certificate', { type: 'string', describe: `PKCS#12 file whose certificate signs report.pdf (password in $EVIDENCE_PACK_PDF_CERT_PASSWORD); default: a self-signed demo certificate made for the run` })
  .option('rows-per-print', { type: 'number', coerce: wholeNumber('rows-per-print'), describe: 'Evidence rows Chromium lays out in one print; a larger report is printed in parts and merged (default 2000)' });

const periodOptions = <T>(y: Argv<T>) => y
  .option('period', { type: 'string', describe: 'Reporting period: YYYY-MM, YYYY-Qn or previous-month (the default)' })
  .option('from', { type: 'string', describe: 'Period start day (YYYY-MM-DD), with --to' })
  .option('to', { type: 'string', describe: 'Period end day, included (YYYY-MM-DD), with --from' })
  .option('tz', { type: 'string', describe: 'Time zone of the period (IANA name; default UTC)' })
  .option('max-evaluation-age', { type: 'number', coerce: wholeNumber('max-evaluation-age'), describe: 'Days before the period end after which a rule result is stale (a gap); default 35' });

const catalogOption = <T>(y: Argv<T>) => y
  .option('catalog', { type: 'string', array: true, describe: 'Directory of your own frameworks, mappings and controls, added to the built-in catalogs (repeatable; see "The catalog as data")' });

const assuranceOptions = <T>(y: Argv<T>) => catalogOption(periodOptions(y))
  .option('organization', { type: 'string', describe: 'Organization name on the report (default: the one in snapshot.json)' })
  .option('attestations', { type: 'string', describe: 'Directory of attestation YAML files (default: <evidence>/attestations when present)' })
  .option('waivers', { type: 'string', describe: 'Waivers YAML file (default: <evidence>/waivers.yaml when present)' })
  .option('threads', { type: 'number', coerce: wholeNumber('threads'), describe: 'Worker threads that evaluate AWS-delivered snapshot files and large (Aggregate)SelectResourceConfig files, 0 for none (default: one per CPU core when the files hold more than about 100,000 items)' });

const keyOption = <T>(y: Argv<T>) => y
  .option('signing-key', { type: 'string', describe: `Ed25519 private key (PEM) to sign with; else $${signingKeyEnv}; else an unmanaged demo key made for this run` })
  .option('kms-key-id', { type: 'string', conflicts: 'signing-key', describe: 'Sign with this AWS KMS asymmetric key (id, alias or ARN; ECC_NIST_* or RSA_*): KMS keeps the private key, the pack carries the public key' })
  .option('kms-signing-algorithm', { type: 'string', implies: 'kms-key-id', describe: 'KMS algorithm (default: the key\'s ECDSA, else RSASSA_PSS_SHA_256)' })
  .option('profile', { type: 'string', describe: 'AWS profile (for --kms-key-id; collect: the account to read)' })
  .option('region', { type: 'string', describe: 'Region of the KMS key when --kms-key-id is not an ARN' });
const trustedKeysOption = <T>(y: Argv<T>) => y
  .option('trusted-keys', { type: 'string', describe: 'File of trusted signer fingerprints, one a line (sha256:…); settings key trusted-keys' });
/** What a pack's signer is checked against: without any, an intact pack is "intact, signer not verified" (exit 8). */
const trustOptions = <T>(y: Argv<T>) => trustedKeysOption(y)
  .option('expect-key', { type: 'string', describe: 'Trust a pack only if signed by this key (sha256:… fingerprint; repeat the flag for several)' })
  .option('expect-kms-key', { type: 'string', describe: 'Trust the AWS KMS key with this ARN: its public key is read from KMS (kms:GetPublicKey, the one online step)' })
  .option('profile', { type: 'string', describe: 'AWS profile for --expect-kms-key' })
  .option('region', { type: 'string', describe: 'Region for --expect-kms-key when it is not in the ARN' });
const forceOption = <T>(y: Argv<T>) => y.option('force', { type: 'boolean', default: false, describe: 'Replace existing output' });

function initCommand(force: boolean): number {
  if (existsSync(defaultConfigFile) && !force) throw new UserError(`${defaultConfigFile}: already exists (use --force to replace it)`);
  writeFileSync(defaultConfigFile, starterConfig);
  stdout(`Wrote ${defaultConfigFile}\n`);
  return ExitCode.ok;
}

async function iamPolicyCommand(options: CollectOption[], a: { kmsKeyId?: string; aggregator?: boolean; assumeRole?: string; memberRole?: boolean; fromFiles?: string; format: 'json' | 'cloudformation' | 'terraform' }): Promise<number> {
  if (a.format !== 'json') {
    if (!a.memberRole) throw new UserError(`iam-policy --format ${a.format}: templates are for the member-account role (add --member-role)`);
    const { memberRoleCloudFormation, memberRoleTerraform } = await import('./collect/iam-templates.ts');
    stdout(`${JSON.stringify(a.format === 'cloudformation' ? memberRoleCloudFormation() : memberRoleTerraform(), null, 2)}\n`);
    return ExitCode.ok;
  }
  const { aggregatorPolicy, collectorPolicy, deliveredFilesPolicy, memberRolePolicy, signingPolicy } = await import('./collect/iam-policy.ts');
  const { parseS3Url } = await import('./collect/delivered.ts');
  const kmsKeyArn = a.kmsKeyId;
  if (kmsKeyArn !== undefined && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(kmsKeyArn)) {
    throw new UserError(`--kms-key-id ${kmsKeyArn}: give the key ARN (arn:aws:kms:<region>:<account>:key/<id>) so the policy names one key`);
  }
  const s3 = a.fromFiles ? parseS3Url(a.fromFiles) : undefined;
  const policy = kmsKeyArn ? signingPolicy(kmsKeyArn)
    : s3 ? deliveredFilesPolicy(s3.bucket, s3.prefix)
    : a.memberRole ? memberRolePolicy()
    : a.aggregator ? aggregatorPolicy(a.assumeRole)
    : collectorPolicy(options);
  stdout(`${JSON.stringify(policy, null, 2)}\n`);
  return ExitCode.ok;
}

export function buildCli(argv: string[], exit: (code: number) => void = () => undefined) {
  return yargs(argv)
    .scriptName('evidence-pack')
    .usage('$0 <command> [options]\n\nSigned, offline-verifiable audit evidence packs from AWS Config.')
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing but errors' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the outcome as JSON on stdout' })
    .option('config', { type: 'string', describe: `Settings file (default: ./${defaultConfigFile} when present); flags win` })
    .command(['run', '$0'], 'Evaluate, render and sign a pack (default: the embedded sample)', (y) => trustedKeysOption(assuranceOptions(forceOption(keyOption(renderOptions(y
      .option('evidence', { type: 'string', describe: 'Evidence directory (default: the embedded sample, evidence/sample)' })
      .option('out', { type: 'string', default: 'out', describe: 'Directory the pack directory is written into' }))))))
      .example('$0 run', 'Pack from the embedded sample into out/')
      .example('$0 run --evidence snapshot/ --out packs/ --signing-key key.pem', 'Pack from a collected snapshot, signed with your key'),
    async (a) => exit(await (await import('./commands/run.ts')).runCommand(a)))
    .command('collect', 'Collect evidence from live AWS (one account, the regions given) into an evidence directory', (y) => forceOption(y
      .option('region', { type: 'string', array: true, describe: 'Region to collect (repeat for several)' })
      .option('all-regions', { type: 'boolean', describe: 'Every region enabled in the account (Account API ListRegions)' })
      .option('aggregator', { type: 'string', describe: 'Read an AWS Config aggregator (organization or accounts) in its home region, given with --region' })
      .option('assume-role', { type: 'string', describe: 'With --aggregator: role name assumed in each member account for WorkSpaces, Macie and CloudTrail reads' })
      .option('from-files', { type: 'string', describe: 'Instead of the APIs: AWS Config snapshot files delivered to s3://bucket/prefix or copied to a directory' })
      .option('cloudtrail-logs', { type: 'string', describe: 'Also read these CloudTrail log files (*.json.gz, any depth) in full for TLS versions and FIPS endpoints, instead of the LookupEvents sample' })
      .option('period', { type: 'string', describe: 'Evidence as of this period\'s end (2026-10, 2026-Q3): each resource\'s configuration history, or with --from-files the snapshot closest to the end' })
      .option('from', { type: 'string', hidden: true })
      .option('to', { type: 'string', hidden: true })
      .option('tz', { type: 'string', describe: 'Time zone of the period (IANA name; default UTC)' })
      .option('profile', { type: 'string', describe: 'AWS profile (SSO profiles included); default: the SDK default credential chain' })
      .option('organization', { type: 'string', default: 'Unnamed organization', describe: 'Organization name shown on the report' })
      .option('out', { type: 'string', demandOption: true, describe: 'Evidence directory to create' }))
      .example('$0 collect --region us-east-1 --region eu-west-1 --profile audit --out evidence/2026-11', '')
      .example('$0 collect --aggregator org-all --region us-east-1 --assume-role EvidencePackReadOnly --out evidence/2026-11', 'Every account of an organization')
      .example('$0 collect --from-files s3://acme-config/AWSLogs/ --period 2026-10 --out evidence/2026-10', 'The snapshots AWS Config delivered, closest to the end of October')
      .example('$0 collect --region us-east-1 --cloudtrail-logs trail-logs/AWSLogs/ --period 2026-10 --out evidence/2026-10', 'Every CloudTrail event of October, not a sample')
      .example('$0 run --evidence evidence/2026-11', 'then build the pack from it'),
    async (a) => exit(await (await import('./commands/collect.ts')).collectCommand({ ...a, region: a.region?.map(String) })))
    .command('evaluate', 'Evaluate an evidence directory into <out>/result.json (+ redacted evidence copies)', (y) => assuranceOptions(forceOption(y
      .option('evidence', { type: 'string', describe: 'Evidence directory (default: the embedded sample)' })
      .option('out', { type: 'string', demandOption: true, describe: 'Work directory to create' })))
      .example('$0 evaluate --evidence evidence/sample --out out/work', ''),
    async (a) => exit(await (await import('./commands/evaluate.ts')).evaluateCommand(a)))
    .command('render <dir>', 'Render report.html, report.pdf and evidence.csv from <dir>/result.json', (y) => forceOption(renderOptions(y
      .positional('dir', { type: 'string', demandOption: true, describe: 'Work directory holding result.json' })
      .option('only', { type: 'string', describe: `Write only these of the reports besides the PDF (comma-separated: ${reportFormats.join(', ')}); with --no-pdf, no PDF either` })))
      .example('$0 render out/work --paper Letter', '')
      .example('$0 render out/work --no-pdf --only html,csv', 'just the HTML report and the CSV'),
    async (a) => exit(await (await import('./commands/render.ts')).renderCommand(a)))
    .command('sign <dir>', 'Write manifest.json, manifest.sig and public-key.pem for every file in <dir>', (y) => forceOption(keyOption(y
      .positional('dir', { type: 'string', demandOption: true, describe: 'Directory to sign' })))
      .example('$0 sign out/work --signing-key key.pem', '')
      .example('$0 sign out/work --kms-key-id arn:aws:kms:eu-west-1:111122223333:key/…', 'KMS signs; verify stays offline'),
    async (a) => exit(await (await import('./commands/sign.ts')).signCommand(a)))
    .command('diff <previous> <current>', 'Drift between two packs (both verified first): regressed, fixed, new, gone, waiver expired', (y) => trustOptions(y)
      .positional('previous', { type: 'string', demandOption: true, describe: 'Earlier pack (directory or .zip)' })
      .positional('current', { type: 'string', demandOption: true, describe: 'Later pack (directory or .zip)' })
      .option('format', { choices: ['md', 'json'] as const, default: 'md' as const, describe: 'Output format' })
      .option('fail-on', { choices: ['regressed', 'gap', 'fail'] as const, array: true, describe: 'Exit 6 when the drift has regressions, new gaps, or failing controls' })
      .example('$0 diff out/pack-2026-10.zip out/pack-2026-11.zip --fail-on regressed', ''),
    async (a) => exit(await (await import('./commands/diff.ts')).diffCommand(a)))
    .command('attach <pack>', 'Attach a verified pack to a ticket: Jira (archive + PDF as attachments, and a comment) or GitHub (a comment)', (y) => trustOptions(y)
      .positional('pack', { type: 'string', demandOption: true, describe: 'Pack directory or archive (.zip); verified before anything is sent' })
      .option('jira', { type: 'string', describe: `Jira base URL (https://example.atlassian.net); token from $JIRA_API_TOKEN (+ $JIRA_EMAIL for Jira Cloud)` })
      .option('issue', { type: 'string', describe: 'Jira issue key, e.g. AUDIT-42' })
      .option('github', { type: 'string', describe: 'GitHub issue owner/repo#N; token from $GITHUB_TOKEN (API at $GITHUB_API_URL)' })
      .option('link', { type: 'string', describe: 'Where the archive is stored (named in the comment; GitHub cannot hold attachments)' })
      .option('request-list', { type: 'string', describe: 'Also attach the sample as the auditor\'s request list, <pack id>-request-list.csv: the pack\'s default samples of these controls (comma-separated; none named: every sampled control). GitHub: written beside the pack' })
      .option('sample', { type: 'string', array: true, describe: 'A sample file made by evidence-pack sample, listed instead of the default sample of its control (re-derived first: a mismatch exits 3, nothing sent)' })
      .example('$0 attach out/acme/2026-10/pack-….zip --jira https://acme.atlassian.net --issue AUDIT-42', '')
      .example('$0 attach out/acme/2026-10/pack-….zip --github acme/compliance#7 --link s3://acme-audit/2026-10/', '')
      .example('$0 attach pack-….zip --jira https://acme.atlassian.net --issue AUDIT-42 --request-list WSAS-03,WSAS-05', 'Also attach the default samples of two controls as a CSV to tick off'),
    async (a) => exit(await (await import('./commands/attach.ts')).attachCommand(a)))
    .command('sample <pack>', 'Draw a reproducible sample of passing items from a pack\'s populations (seeded by the population\'s sha256 unless --seed), or re-derive a sample file (--verify)', (y) => y
      .positional('pack', { type: 'string', demandOption: true, describe: 'Pack directory or archive (.zip); verify it first (evidence-pack verify)' })
      .option('control', { type: 'string', describe: 'One control (default: every control with a population)' })
      .option('size', { type: 'number', coerce: wholeNumber('size'), describe: 'Sample size (instead of --confidence and --tolerable-deviation)' })
      .option('confidence', { type: 'number', choices: [90, 95], describe: 'Confidence (%), with --tolerable-deviation: the size from the attribute-sampling table (default 95)' })
      .option('tolerable-deviation', { type: 'number', choices: [5, 10], describe: 'Tolerable deviation rate (%) (default 5)' })
      .option('seed', { type: 'string', describe: "Your own seed text (default: the population file's sha256, fixed once the pack is signed)" })
      .option('out', { type: 'string', describe: 'Write each sample as <control>.json into this directory' })
      .option('verify', { type: 'string', describe: 'Re-derive this sample file from the pack and say whether it matches (exit 3 if not)' })
      .example('$0 sample pack-….zip --control WSAS-03', '59 passing items of WSAS-03 (95% confidence, 5% tolerable deviation)')
      .example('$0 sample pack-….zip --confidence 90 --tolerable-deviation 10 --seed "audit 2026 request 1" --out request/', 'Your own seed, a sample file per control')
      .example('$0 sample pack-… --verify pack-…/samples/WSAS-03.json', 'Check the pack\'s default sample'),
    async (a) => exit(await (await import('./commands/sample.ts')).sampleCommand(a)))
    .command('init', `Write a commented starter ${defaultConfigFile} in the current directory`, (y) => forceOption(y)
      .example('$0 init && $EDITOR evidence-pack.yaml', 'Then `evidence-pack run` picks the settings up'), async (a) => exit(initCommand(a.force)))
    .command('iam-policy', 'Print the least-privilege IAM policy (JSON) for what collect calls', (y) => y
      .option('all-regions', { type: 'boolean', default: false, describe: 'Include what collect --all-regions adds' })
      .option('period', { type: 'boolean', default: false, describe: 'Include what collect --period adds (configuration history)' })
      .option('aggregator', { type: 'boolean', default: false, describe: 'The policy for collect --aggregator (in the aggregator account)' })
      .option('assume-role', { type: 'string', implies: 'aggregator', describe: 'With --aggregator: also allow assuming this role name in member accounts' })
      .option('member-role', { type: 'boolean', default: false, describe: 'The policy of the role assumed in each member account' })
      .option('from-files', { type: 'string', describe: 'The policy for collect --from-files s3://bucket/prefix' })
      .option('format', { choices: ['json', 'cloudformation', 'terraform'] as const, default: 'json' as const, describe: 'With --member-role: the role as a CloudFormation template (StackSets) or Terraform (.tf.json)' })
      .option('kms-key-id', { type: 'string', describe: 'Print instead the policy that signing with this KMS key ARN needs' })
      .example('$0 iam-policy > evidence-pack-collector.json', '')
      .example('$0 iam-policy --kms-key-id arn:aws:kms:eu-west-1:111122223333:key/…', 'For the identity that signs packs')
      .example('$0 iam-policy --member-role --format cloudformation > member-role.json', 'The role --assume-role uses, for a StackSet'),
    async (a) => exit(await iamPolicyCommand([...(a.allRegions ? ['all-regions' as const] : []), ...(a.period ? ['period' as const] : [])], a)))
    .command('catalog <action>', 'Export the catalog: every mapping edge with its source, every control with its owner', (y) => catalogOption(y)
      .positional('action', { choices: ['export'] as const, demandOption: true, describe: 'What to do with the catalog' })
      .option('format', { choices: ['json', 'csv'] as const, default: 'json' as const, describe: 'Output format' })
      .option('table', { choices: ['edges', 'controls'] as const, default: 'edges' as const, describe: 'With --format csv: which table' })
      .example('$0 catalog export --format csv > mappings.csv', 'Every {framework, rule, control, source} edge for a spreadsheet'),
    async (a) => exit(await (await import('./commands/catalog.ts')).catalogExportCommand(a)))
    .command('verify <pack>', 'Check a pack offline: signature, every file hash, no extra files, and the signer against your trust anchors', (y) => trustOptions(y)
      .positional('pack', { type: 'string', demandOption: true, describe: 'Pack directory or pack archive (.zip)' })
      .example('$0 verify pack-20261101T000000Z-1a2b3c4d.zip --expect-key sha256:…', 'The archive as attached to a ticket, pinned to the key you were given')
      .example('$0 verify out/pack-20261101T000000Z-1a2b3c4d --trusted-keys trusted-keys.txt', 'Any of the keys your organization trusts')
      .example('$0 verify out/pack-20261101T000000Z-1a2b3c4d', 'No anchor: "intact, signer not verified", exit 8'),
    async (a) => exit(await (await import('./commands/verify.ts')).verifyCommand(a)))
    .epilogue('Exit codes: 0 ok; 1 internal error; 2 bad input or usage; 3 verification failed (a pack, or a sample file with sample --verify); 4 missing dependency (Chromium); 5 collection completed with gaps; 6 a --fail-on condition was met; 7 the ticket system refused an attachment or comment (attach); 8 intact, signer not verified (no trust anchor names the key); 9 the credentials expired during collect (what was collected is kept); 129, 130, 143 stopped by SIGHUP, SIGINT, SIGTERM (temporaries removed).')
    .strict()
    .recommendCommands()
    .version(tool.version)
    .help()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      // A flag's coerce refusing its value comes wrapped by yargs: still a usage error.
      if (err?.name === 'YError') throw new UserError(err.message);
      throw err ?? new UserError(`${msg} (see --help)`);
    });
}

/** Which settings of the config file each command takes (the rest belong to other commands). */
const configKeys: Record<string, string[]> = {
  run: ['catalog', 'organization', 'evidence', 'out', 'attestations', 'waivers', 'signing-key', 'kms-key-id', 'kms-signing-algorithm', 'profile', 'pdf-certificate', 'templates', 'paper', 'rows-per-print', 'logo', 'accent', 'period', 'tz', 'max-evaluation-age', 'threads', 'trusted-keys'],
  evaluate: ['catalog', 'organization', 'evidence', 'attestations', 'waivers', 'period', 'tz', 'max-evaluation-age', 'threads'],
  render: ['templates', 'paper', 'rows-per-print', 'pdf-certificate', 'logo', 'accent'],
  sign: ['signing-key', 'kms-key-id', 'kms-signing-algorithm', 'profile'],
  attach: ['jira', 'issue', 'github', 'link', 'trusted-keys'],
  verify: ['trusted-keys', 'profile'],
  catalog: ['catalog'],
  diff: ['trusted-keys', 'profile'],
  collect: ['organization', 'out', 'profile', 'region', 'aggregator', 'assume-role', 'from-files', 'cloudtrail-logs'],
};

const outputFailures: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

/**
 * Runs one command: the exit code. With io, the command's output goes there instead of the process's
 * streams, and yargs's help and version text too, without ending the process (the tests' in-process runner).
 */
export async function main(argv = hideBin(process.argv), io?: Io): Promise<number> {
  return io ? withIo(io, () => run(argv, true)) : run(argv, false);
}

async function run(argv: string[], inProcess: boolean): Promise<number> {
  stopCleanlyOnSignals();
  try {
    let code: number = ExitCode.ok;
    const cli = buildCli(argv, (c) => { code = c; });
    if (inProcess) cli.exitProcess(false);
    const file = findConfigFile(argv);
    if (file) {
      const command = argv.find((a) => !a.startsWith('-')) ?? 'run';
      const accepted = configKeys[command] ?? [];
      const defaults = Object.fromEntries(Object.entries(configDefaults(file, command)).filter(([k]) => accepted.includes(k)));
      cli.config(defaults);
    }
    // yargs prints help and version itself unless handed a callback, which then gets the text.
    if (inProcess) await cli.parseAsync(argv, {}, (_err, _argv, output) => { if (output) stdout(`${output}\n`); });
    else await cli.parseAsync();
    return code;
  } catch (e) {
    // Messages quote values from the evidence and from servers: masked here, the last place before the terminal.
    const masked = (text: string) => redactText(text).text;
    if (e instanceof UserError) {
      stderr(`evidence-pack: ${masked(e.message)}\n`);
      return e.exitCode;
    }
    // The disk, not the tool: a full or read-only file system is the user's to fix, and leaves nothing behind.
    const code = (e as NodeJS.ErrnoException).code;
    if (code && outputFailures[code]) {
      const path = (e as NodeJS.ErrnoException).path;
      stderr(masked(`evidence-pack: cannot write${path ? ` ${path}` : ' the output'}: ${outputFailures[code]} (${code}); nothing was left behind\n`));
      return ExitCode.badInput;
    }
    stderr(masked(`evidence-pack: internal error: ${(e as Error).message}\n${process.env.EVIDENCE_PACK_DEBUG ? `${(e as Error).stack}\n` : 'Set EVIDENCE_PACK_DEBUG=1 for details, and please report it.\n'}`));
    return ExitCode.internal;
  }
}
