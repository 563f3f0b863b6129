import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { root, runCliInProcess } from './helpers.ts';

const recipe = (f: string) => readFileSync(join(root, 'templates/schedule', f), 'utf8');

const helpOf = new Map<string, string>();

/** Every evidence-pack command in a recipe is a real command, and each flag it passes is one that command has. */
async function assertCommandsParse(text: string, where: string) {
  const lines = [...text.matchAll(/evidence-pack (collect|run|diff|attach)([^;\n|\]]*)/g)];
  assert.ok(lines.length > 0, `${where} runs the tool`);
  for (const [, command, rest] of lines as unknown as [string, string, string][]) {
    if (!helpOf.has(command)) {
      const help = await runCliInProcess([command, '--help']);
      assert.equal(help.code, 0);
      helpOf.set(command, help.stdout);
    }
    for (const [flag] of rest.replace(/"[^"]*"|'[^']*'/g, '').matchAll(/--[a-z][a-z-]*/g)) assert.ok(helpOf.get(command)!.includes(`${flag} `), `${where}: evidence-pack ${command} has no ${flag}`);
  }
}

describe('scheduling recipes', () => {
  it('cron and systemd run on the last day of each month, before the period ends, with commands the CLI accepts', async () => {
    assert.match(recipe('crontab'), /^30 23 28-31 \* \* \[ "\$\(date -u -d tomorrow \+\\%d\)" = 01 \] && /m);
    assert.match(recipe('evidence-pack.timer'), /^OnCalendar=\*-\*~01 23:30:00 UTC$/m);
    assert.match(recipe('evidence-pack.service'), /^SuccessExitStatus=5$/m);
    for (const f of ['crontab', 'evidence-pack.service', 'Dockerfile']) await assertCommandsParse(recipe(f), f);
  });

  it('the GitHub Actions workflow is valid YAML with a monthly schedule, OIDC and an artifact', async () => {
    const wf = parse(recipe('github-actions.yml'));
    assert.equal(wf.on.schedule[0].cron, '30 23 28-31 * *');
    assert.equal(wf.jobs.pack.if, "needs.day.outputs.last == 'true' || github.event_name == 'workflow_dispatch'");
    assert.equal(wf.permissions['id-token'], 'write');
    const steps = wf.jobs.pack.steps as { uses?: string; run?: string }[];
    assert.ok(steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials')));
    assert.ok(steps.some((s) => s.uses?.startsWith('actions/upload-artifact')));
    assert.ok(
      steps.some((s) => /evidence-pack attach .* --github /.test(s.run ?? '')),
      'the pack is attached to a ticket',
    );
    assert.equal(wf.permissions.issues, 'write');
    await assertCommandsParse(steps.map((s) => s.run ?? '').join('\n'), 'github-actions.yml');
  });

  it('the Dockerfile installs Debian Chromium and fonts; the EventBridge schedule is valid JSON', () => {
    assert.match(recipe('Dockerfile'), /apt-get install[^\n]*chromium[^\n]*fonts-dejavu-core/);
    const schedule = JSON.parse(recipe('eventbridge-ecs.json'));
    assert.equal(schedule.ScheduleExpression, 'cron(30 23 L * ? *)');
    assert.equal(schedule.Target.EcsParameters.LaunchType, 'FARGATE');
  });
});
