import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { buildCli } from '../src/cli/cli.ts';
import { commandOptions, globalOptions, settingsKeys, type OptionSpec } from '../src/cli/options.ts';
import { configDefaults, settingsSchema, starterConfig } from '../src/cli/config-file.ts';
import { fakeAwsEnv, startFakeAws } from './fake-aws.ts';
import { onlyPack, runCliInProcess, tempDir } from './helpers.ts';

/** The flags a command's --help lists, as yargs built them (in-process: nothing runs). */
async function helpFlags(command: string): Promise<string[]> {
  const cli = buildCli([command, '--help']).exitProcess(false);
  const help: string = await new Promise((resolve, reject) => {
    void cli.parseAsync([command, '--help'], {}, (err, _argv, output) => (err ? reject(err) : resolve(output)));
  });
  return [...help.matchAll(/^\s+(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]!);
}

describe('one declaration for flags and settings keys', () => {
  const schemaKeys = (section: 'top' | 'collect') => Object.keys(section === 'top' ? settingsSchema.properties : settingsSchema.properties.collect.properties);

  for (const command of ['run', 'collect', 'evaluate', 'render'] as const) {
    it(`${command}: every flag is a settings key or flag-only with a reason`, async () => {
      const flags = await helpFlags(command);
      assert.ok(flags.length > 10, `--help lists the flags of ${command}: ${flags.join(' ')}`);
      const section = command === 'collect' ? 'collect' : 'top';
      const declared: Record<string, OptionSpec> = { ...globalOptions, ...commandOptions[command].options };
      for (const flag of flags) {
        if (flag === 'help' || flag === 'version') continue;
        const spec = declared[flag];
        assert.ok(spec, `--${flag} of ${command} is declared in options.ts`);
        if (spec.flagOnly) {
          assert.ok(spec.flagOnly.length > 10, `--${flag}: the reason it is flag-only`);
          assert.ok(!settingsKeys(command).includes(flag), `flag-only --${flag} is no settings key of ${command}`);
        } else {
          assert.ok(settingsKeys(command).includes(flag), `${command} takes ${flag} from the settings file`);
          assert.ok(schemaKeys(section).includes(flag), `the settings file's ${section === 'top' ? 'top level' : 'collect section'} takes ${flag}`);
        }
      }
    });
  }

  it('the settings file takes no key that no command takes as a flag', () => {
    const commands = Object.keys(commandOptions);
    for (const key of schemaKeys('top').filter((k) => k !== 'collect')) {
      assert.ok(
        commands.some((c) => c !== 'collect' && settingsKeys(c).includes(key)),
        key,
      );
    }
    assert.deepEqual(schemaKeys('collect'), settingsKeys('collect'));
  });

  it('the starter names every key, and uncommented it is a valid settings file', (t) => {
    const dir = tempDir(t);
    const uncommented = starterConfig
      .split('\n')
      .map((l) => l.replace(/^# ((?: {2})?[a-z-]+:)/, '$1'))
      .join('\n');
    writeFileSync(join(dir, 'evidence-pack.yaml'), uncommented);
    const top = configDefaults(join(dir, 'evidence-pack.yaml'), 'run');
    assert.deepEqual(
      Object.keys(top)
        .filter((k) => k !== 'collect')
        .sort(),
      schemaKeys('top')
        .filter((k) => k !== 'collect')
        .sort(),
    );
    assert.deepEqual(Object.keys(configDefaults(join(dir, 'evidence-pack.yaml'), 'collect')).sort(), schemaKeys('collect').sort());
  });
});

describe('settings file and flags: the keys the flags have', () => {
  it('takes threads and rows-per-print, as run takes them as flags', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'evidence-pack.yaml'), 'threads: 2\nrows-per-print: 500\nout: packs\n');
    const r = await runCliInProcess(['run', '--no-pdf'], {}, dir);
    assert.equal(r.code, 0, r.stderr);
  });

  it('applies to the command when --config comes before it', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'settings.yaml'), 'organization: Before Corp\n');
    const r = await runCliInProcess(['--config', join(dir, 'settings.yaml'), 'run', '--no-pdf', '--out', join(dir, 'packs')]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readFileSync(join(onlyPack(join(dir, 'packs')), 'report.html'), 'utf8').includes('<p class="org">Before Corp</p>'));
  });

  it('takes cloudtrail-logs in the collect section, relative to the file', async (t) => {
    const account = '333333333333';
    const dir = tempDir(t);
    const day = join(dir, 'trail', 'AWSLogs', account, 'CloudTrail', 'us-east-1', '2026', '10', '05');
    mkdirSync(day, { recursive: true });
    writeFileSync(
      join(day, `${account}_CloudTrail_us-east-1_20261005T0000Z_a1.json.gz`),
      gzipSync(
        JSON.stringify({
          Records: [
            {
              eventVersion: '1.09',
              eventTime: '2026-10-05T00:01:00Z',
              eventSource: 'kms.amazonaws.com',
              eventName: 'Decrypt',
              awsRegion: 'us-east-1',
              recipientAccountId: account,
              userAgent: 'aws-sdk-js/3.645.0',
              tlsDetails: { tlsVersion: 'TLSv1.3', clientProvidedHostHeader: 'kms.us-east-1.amazonaws.com' },
            },
          ],
        }),
      ),
    );
    writeFileSync(join(dir, 'settings.yaml'), 'collect:\n  region: [us-east-1]\n  cloudtrail-logs: trail\n  out: snapshot\n');
    const aws = await startFakeAws({ account, regions: { 'us-east-1': {} } });
    t.after(() => aws.close());
    const r = await runCliInProcess(['collect', '--config', join(dir, 'settings.yaml'), '--period', '2026-10', '--json'], fakeAwsEnv(aws.url));
    assert.ok(r.code === 0 || r.code === 5, r.stderr);
    assert.equal(JSON.parse(r.stdout).cloudtrailLogs.files, 1, 'the log file named by the settings file was read');
  });

  it("checks a number from the file against the flag's bounds: one line naming file, line and key", async (t) => {
    const dir = tempDir(t);
    for (const [text, line, key] of [
      ['threads: 5000\n', 1, 'threads'],
      ['out: packs\nrows-per-print: 0\n', 2, 'rows-per-print'],
      ['max-evaluation-age: 1.5\n', 1, 'max-evaluation-age'],
    ] as const) {
      writeFileSync(join(dir, 'evidence-pack.yaml'), text);
      const r = await runCliInProcess(['run', '--no-pdf'], {}, dir);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^evidence-pack: evidence-pack\\.yaml:${line}: ${key}: expected a whole number from \\d+ to [\\d,]+\\n$`));
    }
  });

  it('still refuses an unknown key, at the top and in the collect section', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'evidence-pack.yaml'), 'threads: 2\nthread: 2\n');
    const top = await runCliInProcess(['run', '--no-pdf'], {}, dir);
    assert.equal(top.code, 2);
    assert.match(top.stderr, /^evidence-pack: evidence-pack\.yaml(:\d+)?: thread: unknown field\n$/);
    writeFileSync(join(dir, 'evidence-pack.yaml'), 'collect:\n  cloudtrail-log: trail\n');
    const collect = await runCliInProcess(['run', '--no-pdf'], {}, dir);
    assert.equal(collect.code, 2);
    assert.match(collect.stderr, /^evidence-pack: evidence-pack\.yaml(:\d+)?: collect\.cloudtrail-log: unknown field\n$/);
  });
});
