// The command line: argv (and the settings file) → command → exit code, which the bin sets on the process.
// The options are declared in options.ts. Commands are imported when run, so `verify` does not load the
// AWS SDK or the browser driver.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { CollectOption } from '../collect/operations.ts';
import { existsSync, writeFileSync } from 'node:fs';
import { commandOptions, defaultConfigFile, findConfigFile, globalOptions, settingsKeys, yargsOptions } from './options.ts';
import { ExitCode, UserError } from '../core/errors.ts';
import { stderr, stdout, withIo, type Io } from '../core/io.ts';
import { stopCleanlyOnSignals } from '../core/interrupt.ts';
import { tool } from '../core/paths.ts';
import { redactText } from '../redact/detect.ts';

/** The yargs options of a command, from its declaration in options.ts. */
const optionsOf = <C extends keyof typeof commandOptions>(command: C) => yargsOptions(commandOptions[command].options as (typeof commandOptions)[C]['options']);

async function initCommand(force: boolean): Promise<number> {
  if (existsSync(defaultConfigFile) && !force) throw new UserError(`${defaultConfigFile}: already exists (use --force to replace it)`);
  writeFileSync(defaultConfigFile, (await import('./config-file.ts')).starterConfig);
  stdout(`Wrote ${defaultConfigFile}\n`);
  return ExitCode.ok;
}

async function iamPolicyCommand(
  options: CollectOption[],
  a: { kmsKeyId?: string; aggregator?: boolean; assumeRole?: string; memberRole?: boolean; fromFiles?: string; format: 'json' | 'cloudformation' | 'terraform' },
): Promise<number> {
  if (a.format !== 'json') {
    if (!a.memberRole) throw new UserError(`iam-policy --format ${a.format}: templates are for the member-account role (add --member-role)`);
    const { memberRoleCloudFormation, memberRoleTerraform } = await import('../collect/iam-templates.ts');
    stdout(`${JSON.stringify(a.format === 'cloudformation' ? memberRoleCloudFormation() : memberRoleTerraform(), null, 2)}\n`);
    return ExitCode.ok;
  }
  const { aggregatorPolicy, collectorPolicy, deliveredFilesPolicy, memberRolePolicy, signingPolicy } = await import('../collect/iam-policy.ts');
  const { parseS3Url } = await import('../collect/delivered.ts');
  const kmsKeyArn = a.kmsKeyId;
  if (kmsKeyArn !== undefined && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(kmsKeyArn)) {
    throw new UserError(`--kms-key-id ${kmsKeyArn}: give the key ARN (arn:aws:kms:<region>:<account>:key/<id>) so the policy names one key`);
  }
  const s3 = a.fromFiles ? parseS3Url(a.fromFiles) : undefined;
  const policy = kmsKeyArn
    ? signingPolicy(kmsKeyArn)
    : s3
      ? deliveredFilesPolicy(s3.bucket, s3.prefix)
      : a.memberRole
        ? memberRolePolicy()
        : a.aggregator
          ? aggregatorPolicy(a.assumeRole)
          : collectorPolicy(options);
  stdout(`${JSON.stringify(policy, null, 2)}\n`);
  return ExitCode.ok;
}

export function buildCli(argv: string[], exit: (code: number) => void = () => undefined) {
  return yargs(argv)
    .scriptName('evidence-pack')
    .usage('$0 <command> [options]\n\nSigned, offline-verifiable audit evidence packs from AWS Config.')
    .options(yargsOptions(globalOptions))
    .command(
      ['run', '$0'],
      'Evaluate, render and sign a pack (default: the embedded sample)',
      (y) =>
        y
          .options(optionsOf('run'))
          .example('$0 run', 'Pack from the embedded sample into out/')
          .example('$0 run --evidence snapshot/ --out packs/ --signing-key key.pem', 'Pack from a collected snapshot, signed with your key'),
      async (a) => exit(await (await import('./commands/run.ts')).runCommand(a)),
    )
    .command(
      'collect',
      'Collect evidence from live AWS (one account, the regions given) into an evidence directory',
      (y) =>
        y
          .options(optionsOf('collect'))
          .example('$0 collect --region us-east-1 --region eu-west-1 --profile audit --out evidence/2026-11', '')
          .example('$0 collect --aggregator org-all --region us-east-1 --assume-role EvidencePackReadOnly --out evidence/2026-11', 'Every account of an organization')
          .example('$0 collect --from-files s3://acme-config/AWSLogs/ --period 2026-10 --out evidence/2026-10', 'The snapshots AWS Config delivered, closest to the end of October')
          .example('$0 collect --region us-east-1 --cloudtrail-logs trail-logs/AWSLogs/ --period 2026-10 --out evidence/2026-10', 'Every CloudTrail event of October, not a sample')
          .example('$0 run --evidence evidence/2026-11', 'then build the pack from it'),
      async (a) => exit(await (await import('./commands/collect.ts')).collectCommand({ ...a, region: a.region?.map(String) })),
    )
    .command(
      'evaluate',
      'Evaluate an evidence directory into <out>/result.json (+ redacted evidence copies)',
      (y) => y.options(optionsOf('evaluate')).example('$0 evaluate --evidence evidence/sample --out out/work', ''),
      async (a) => exit(await (await import('./commands/evaluate.ts')).evaluateCommand(a)),
    )
    .command(
      'render <dir>',
      'Render report.html, report.pdf and evidence.csv from <dir>/result.json',
      (y) =>
        y
          .positional('dir', { type: 'string', demandOption: true, describe: 'Work directory holding result.json' })
          .options(optionsOf('render'))
          .example('$0 render out/work --paper Letter', '')
          .example('$0 render out/work --no-pdf --only html,csv', 'just the HTML report and the CSV'),
      async (a) => exit(await (await import('./commands/render.ts')).renderCommand(a)),
    )
    .command(
      'sign <dir>',
      'Write manifest.json, manifest.sig and public-key.pem for every file in <dir>',
      (y) =>
        y
          .positional('dir', { type: 'string', demandOption: true, describe: 'Directory to sign' })
          .options(optionsOf('sign'))
          .example('$0 sign out/work --signing-key key.pem', '')
          .example('$0 sign out/work --kms-key-id arn:aws:kms:eu-west-1:111122223333:key/…', 'KMS signs; verify stays offline'),
      async (a) => exit(await (await import('./commands/sign.ts')).signCommand(a)),
    )
    .command(
      'diff <previous> <current>',
      'Drift between two packs (both verified first): regressed, fixed, new, gone, waiver expired',
      (y) =>
        y
          .positional('previous', { type: 'string', demandOption: true, describe: 'Earlier pack (directory or .zip)' })
          .positional('current', { type: 'string', demandOption: true, describe: 'Later pack (directory or .zip)' })
          .options(optionsOf('diff'))
          .example('$0 diff out/pack-2026-10.zip out/pack-2026-11.zip --fail-on regressed', ''),
      async (a) => exit(await (await import('./commands/diff.ts')).diffCommand(a)),
    )
    .command(
      'attach <pack>',
      'Attach a verified pack to a ticket: Jira (archive + PDF as attachments, and a comment) or GitHub (a comment)',
      (y) =>
        y
          .positional('pack', { type: 'string', demandOption: true, describe: 'Pack directory or archive (.zip); verified before anything is sent' })
          .options(optionsOf('attach'))
          .example('$0 attach out/acme/2026-10/pack-….zip --jira https://acme.atlassian.net --issue AUDIT-42', '')
          .example('$0 attach out/acme/2026-10/pack-….zip --github acme/compliance#7 --link s3://acme-audit/2026-10/', '')
          .example('$0 attach pack-….zip --jira https://acme.atlassian.net --issue AUDIT-42 --request-list WSAS-03,WSAS-05', 'Also attach the default samples of two controls as a CSV to tick off'),
      async (a) => exit(await (await import('./commands/attach.ts')).attachCommand(a)),
    )
    .command(
      'sample <pack>',
      "Draw a reproducible sample of passing items from a pack's populations (seeded by the population's sha256 unless --seed), or re-derive a sample file (--verify)",
      (y) =>
        y
          .positional('pack', { type: 'string', demandOption: true, describe: 'Pack directory or archive (.zip); verify it first (evidence-pack verify)' })
          .options(optionsOf('sample'))
          .example('$0 sample pack-….zip --control WSAS-03', '59 passing items of WSAS-03 (95% confidence, 5% tolerable deviation)')
          .example('$0 sample pack-….zip --confidence 90 --tolerable-deviation 10 --seed "audit 2026 request 1" --out request/', 'Your own seed, a sample file per control')
          .example('$0 sample pack-… --verify pack-…/samples/WSAS-03.json', "Check the pack's default sample"),
      async (a) => exit(await (await import('./commands/sample.ts')).sampleCommand(a)),
    )
    .command(
      'init',
      `Write a commented starter ${defaultConfigFile} in the current directory`,
      (y) => y.options(optionsOf('init')).example('$0 init && $EDITOR evidence-pack.yaml', 'Then `evidence-pack run` picks the settings up'),
      async (a) => exit(await initCommand(a.force)),
    )
    .command(
      'iam-policy',
      'Print the least-privilege IAM policy (JSON) for what collect calls',
      (y) =>
        y
          .options(optionsOf('iam-policy'))
          .example('$0 iam-policy > evidence-pack-collector.json', '')
          .example('$0 iam-policy --kms-key-id arn:aws:kms:eu-west-1:111122223333:key/…', 'For the identity that signs packs')
          .example('$0 iam-policy --member-role --format cloudformation > member-role.json', 'The role --assume-role uses, for a StackSet'),
      async (a) => exit(await iamPolicyCommand([...(a.allRegions ? ['all-regions' as const] : []), ...(a.period ? ['period' as const] : [])], a)),
    )
    .command(
      'catalog <action>',
      'Export the catalog: every mapping edge with its source, every control with its owner',
      (y) =>
        y
          .positional('action', { choices: ['export'] as const, demandOption: true, describe: 'What to do with the catalog' })
          .options(optionsOf('catalog'))
          .example('$0 catalog export --format csv > mappings.csv', 'Every {framework, rule, control, source} edge for a spreadsheet'),
      async (a) => exit(await (await import('./commands/catalog.ts')).catalogExportCommand(a)),
    )
    .command(
      'verify <pack>',
      'Check a pack offline: signature, every file hash, no extra files, and the signer against your trust anchors',
      (y) =>
        y
          .positional('pack', { type: 'string', demandOption: true, describe: 'Pack directory or pack archive (.zip)' })
          .options(optionsOf('verify'))
          .example('$0 verify pack-20261101T000000Z-1a2b3c4d.zip --expect-key sha256:…', 'The archive as attached to a ticket, pinned to the key you were given')
          .example('$0 verify out/pack-20261101T000000Z-1a2b3c4d --trusted-keys trusted-keys.txt', 'Any of the keys your organization trusts')
          .example('$0 verify out/pack-20261101T000000Z-1a2b3c4d', 'No anchor: "intact, signer not verified", exit 8'),
      async (a) => exit(await (await import('./commands/verify.ts')).verifyCommand(a)),
    )
    .epilogue(
      'Exit codes: 0 ok; 1 internal error; 2 bad input or usage; 3 verification failed (a pack, or a sample file with sample --verify); 4 missing dependency (Chromium); 5 collection completed with gaps; 6 a --fail-on condition was met; 7 the ticket system refused an attachment or comment (attach); 8 intact, signer not verified (no trust anchor names the key); 9 the credentials expired during collect (what was collected is kept); 129, 130, 143 stopped by SIGHUP, SIGINT, SIGTERM (temporaries removed).',
    )
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
    const cli = buildCli(argv, (c) => {
      code = c;
    });
    if (inProcess) cli.exitProcess(false);
    const file = findConfigFile(argv);
    if (file) {
      // The first word naming a command (a flag's value, such as --config's file, can come before it); none: run.
      const command = argv.find((a) => !a.startsWith('-') && Object.hasOwn(commandOptions, a)) ?? 'run';
      const accepted = settingsKeys(command);
      const defaults = Object.fromEntries(Object.entries((await import('./config-file.ts')).configDefaults(file, command)).filter(([k]) => accepted.includes(k)));
      cli.config(defaults);
    }
    // yargs prints help and version itself unless handed a callback, which then gets the text.
    if (inProcess)
      await cli.parseAsync(argv, {}, (_err, _argv, output) => {
        if (output) stdout(`${output}\n`);
      });
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
    stderr(
      masked(
        `evidence-pack: internal error: ${(e as Error).message}\n${process.env.EVIDENCE_PACK_DEBUG ? `${(e as Error).stack}\n` : 'Set EVIDENCE_PACK_DEBUG=1 for details, and please report it.\n'}`,
      ),
    );
    return ExitCode.internal;
  }
}
