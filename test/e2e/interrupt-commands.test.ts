import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../src/report/events.ts';
import { spawnDrover } from '../support/drover-process.ts';
import { repoRoot } from '../support/run-cli.ts';
import { sandboxFor, type SeededSandbox } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const run = promisify(execFile);

/** The `…` spans of a hint: the commands drover tells the user to run. */
function suggestedCommands(stderr: string): string[] {
  return [...stderr.matchAll(/`(drover [^`]+)`/g)].map((m) => m[1] ?? '');
}

/** Runs a suggested command line through a real bash, `drover` being this checkout's bin. */
async function runAsPrinted(line: string, options: { cwd: string; env: Record<string, string> }) {
  const script = `drover() { ${JSON.stringify(process.execPath)} ${JSON.stringify(`${repoRoot}bin/drover.mjs`)} "$@"; }\n${line} --output ndjson`;
  const result = await run('bash', ['-c', script], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true', ...options.env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
  const events = result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as DeployEvent);
  return { ...result, events };
}

describe('the commands printed after Ctrl-C', { timeout: 90_000 }, () => {
  let sandbox: SeededSandbox;
  let project: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    sandbox = await sandboxFor('qa');
    project = await tempProject({ environments: 'standalone' });
  });
  afterAll(async () => {
    await sandbox.close();
    await project.cleanup();
  });

  it('work as printed: status shows the job, deploy resumes watching the same deployment', async () => {
    // Healthy 3 s (real) after placement: long enough to interrupt, short enough to resume to the end.
    sandbox.admin.setScenario({ jobId: 'postgres', namespace: 'shop' }, { kind: 'slow-healthy', healthyAfterMs: 60_000 });
    const env = {
      NOMAD_ADDR: sandbox.addresses.nomad,
      CONSUL_HTTP_ADDR: sandbox.addresses.consul,
      VAULT_ADDR: sandbox.addresses.vault,
      VAULT_TOKEN: sandbox.deployerToken,
      DROVER_FABIO_ADDR: sandbox.addresses.fabio,
    };
    // Started from outside the project, so the suggestions must carry --project.
    const cwd = dirname(project.dir);
    const sha = '4444444444444444444444444444444444444444';
    const drover = spawnDrover(['deploy', 'qa', '--project', project.dir, '--job', 'postgres', '--git-sha', sha], { cwd, env });
    const registered = await drover.waitFor((e) => e.type === 'job-registered' && e.job === 'postgres');
    const exit = await drover.kill('SIGINT');
    expect(exit.code).toBe(130);

    const commands = suggestedCommands(exit.stderr);
    expect(commands.map((c) => c.split(' ').slice(0, 3).join(' '))).toEqual(['drover status qa', 'drover deploy qa']);
    const [status, deploy] = commands as [string, string];

    const shown = await runAsPrinted(status, { cwd, env });
    expect(shown.stderr).not.toContain('Usage');
    expect(shown.code).toBe(0);
    expect(shown.stdout + shown.stderr).toMatch(/postgres\s+/); // with ndjson the table goes to stderr

    const resumed = await runAsPrinted(deploy, { cwd, env });
    expect(resumed.code, resumed.stderr).toBe(0);
    // Resumed, not redeployed: nothing registered again, and the job stays at the version the interrupted run registered.
    expect(resumed.events.filter((e) => e.type === 'job-registered')).toEqual([]);
    const resumedEvent = resumed.events.find((e) => e.type === 'job-resumed');
    expect(resumedEvent).toMatchObject({ job: 'postgres', version: registered.type === 'job-registered' ? registered.version : -1 });
    expect(resumed.events.find((e) => e.type === 'deploy-finished')).toMatchObject({ exitCode: 0 });
    const job = await fetch(`${sandbox.addresses.nomad}/v1/job/postgres?namespace=shop`).then((r) => r.json() as Promise<{ Version: number; Meta: Record<string, string> }>);
    expect(job.Meta['drover.git_sha']).toBe(sha);
  });
});

describe('Ctrl-C during the demo', { timeout: 120_000 }, () => {
  it('suggests only `drover demo`: the sandboxes the deploy ran against are gone, and status would reach the environment files\' addresses', async () => {
    const project = await tempProject();
    try {
      const drover = spawnDrover(['demo', '--speed', '20'], { cwd: project.dir, env: {} });
      await drover.waitFor((e) => e.type === 'job-registered', 90_000);
      const exit = await drover.kill('SIGINT');
      expect(exit.code).toBe(130);
      expect(suggestedCommands(exit.stderr)).toEqual(['drover demo']);
    } finally {
      await project.cleanup();
    }
  });
});
