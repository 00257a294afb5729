import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NomadDeployment } from '../../src/wire/nomad-api.ts';
import { setImageTag } from '../support/live-deploy.ts';
import { useSandboxProject } from '../support/sandbox-project.ts';
import { runCli } from '../support/run-cli.ts';
import { nomadGet } from '../support/sandbox.ts';

const SHA = '5555555555555555555555555555555555555555';

/** prod: canary updates for api, promoted manually. */
describe('drover promote against the sandbox', { timeout: 30_000 }, () => {
  const setup = useSandboxProject('prod', { clockSpeed: 40 });
  const { run } = setup;
  const deployApi = (...argv: string[]) => run('deploy', 'prod', '--git-sha', SHA, '--job', 'api', ...argv);
  const latest = () => nomadGet<NomadDeployment | null>(setup.sandbox, '/v1/job/api/deployment');

  it('promotes healthy canaries waiting for promotion and watches the deployment to success', async () => {
    expect((await deployApi()).code).toBe(0);
    await setImageTag(setup.dir, 'api', '1.9.0');
    expect((await deployApi('--stop-at-canary')).code).toBe(3);
    const result = await run('promote', 'prod');
    expect(result.code, result.stderr).toBe(0);
    expect(result.events.find((e) => e.type === 'deployment-promoted')).toMatchObject({ job: 'api' });
    expect(result.events.find((e) => e.type === 'job-finished')).toMatchObject({ job: 'api', outcome: { status: 'succeeded', version: 1 } });
    expect(result.stderr).toMatch(/^api\s+succeeded\s+1/m);
    expect(await latest()).toMatchObject({ JobVersion: 1, Status: 'successful' });

    const again = await run('promote', 'prod', '--job', 'api');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Nothing awaits promotion in prod.');
    expect(again.stderr).toMatch(/api: latest deployment [0-9a-f]{8} \(version 1\) is successful/);
  });

  it("shows Nomad's refusal to promote unhealthy canaries clearly and exits 1", async () => {
    expect((await deployApi()).code).toBe(0);
    await setImageTag(setup.dir, 'api', '1.9.0');
    // Register the new version behind drover's back, so its canary is placed but never healthy in time.
    setup.sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop', version: 1 }, { kind: 'slow-healthy', healthyAfterMs: 600_000 });
    expect((await runCli(['render', 'prod', '--job', 'api', '--git-sha', SHA], { cwd: setup.dir })).code).toBe(0);
    const body = await readFile(join(setup.dir, 'build/prod/api.json'), 'utf8');
    expect((await fetch(`${setup.sandbox.addresses.nomad}/v1/jobs?namespace=shop`, { method: 'POST', body })).ok).toBe(true);
    for (let i = 0; i < 50 && (await latest())?.JobVersion !== 1; i++) await new Promise((resolve) => setTimeout(resolve, 20));

    const result = await run('promote', 'prod', '--job', 'api');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/✖ Nomad refused to promote deployment [0-9a-f]{8} of job "api" in prod/);
    expect(result.stderr).toContain('cause       Nomad 500: Task group "api" has 0/1 healthy allocations');
    expect(result.stderr).toContain('→ Wait until the canaries are healthy (`drover status prod`), then run `drover promote prod --job api` again');
    expect(result.stderr).toMatch(/^api\s+failed\s+1\s+promotion refused by Nomad: Task group "api" has 0\/1 healthy allocations$/m);
    expect(await latest()).toMatchObject({ JobVersion: 1, Status: 'running' });
  });

  it('says so and exits 0 when nothing awaits promotion; refuses jobs it does not run or own', async () => {
    const nothing = await run('promote', 'prod');
    expect(nothing.code).toBe(0);
    expect(nothing.stderr).toContain('Nothing awaits promotion in prod.');

    const missing = await run('promote', 'prod', '--job', 'api');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('✖ Job "api" does not exist in prod');

    const foreign = { Job: { ID: 'api', Type: 'service', Datacenters: ['prod1'], Meta: { 'drover.project': 'other', 'drover.env': 'prod' }, TaskGroups: [{ Name: 'api', Count: 1, Tasks: [{ Name: 'api', Driver: 'docker', Config: { image: 'x:1' } }] }] } };
    expect((await fetch(`${setup.sandbox.addresses.nomad}/v1/jobs?namespace=shop`, { method: 'POST', body: JSON.stringify(foreign) })).ok).toBe(true);
    const refused = await run('promote', 'prod', '--job', 'api');
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('api (owned by project "other", environment "prod")');
  });
});

/**
 * qa: Nomad promotes canaries itself (auto_promote) except in a `--stop-at-canary` deploy, so the
 * version auto_revert registers after a failed promotion finishes without anyone promoting it.
 */
describe('drover promote --logs-on-failure against the sandbox', { timeout: 30_000 }, () => {
  const setup = useSandboxProject('qa', { clockSpeed: 80 });
  const { run } = setup;
  const deployQaApi = (...argv: string[]) => run('deploy', 'qa', '--git-sha', SHA, '--job', 'api', ...argv);

  it('prints the last --logs-on-failure stderr lines of an allocation that fails after the promotion, as deploy does', async () => {
    expect((await deployQaApi()).code).toBe(0);
    await setImageTag(setup.dir, 'api', '1.9.0');
    expect((await deployQaApi('--stop-at-canary')).code).toBe(3);
    // The canary stays healthy; the allocations Nomad places after the promotion crash.
    setup.sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop', version: 1 }, { kind: 'crash-loop', crashAfterMs: 2000, exitCode: 3, stderr: ['loading config', 'fatal: migration 42 failed'] });
    const result = await run('promote', 'qa', '--logs-on-failure', '3');
    expect(result.code, result.stderr).toBe(1);
    const logs = result.events.find((e) => e.type === 'allocation-logs');
    // Three lines at most, the newest last: the task said the same thing each time it crashed.
    expect(logs).toMatchObject({ job: 'api', task: 'api', stream: 'stderr', lines: ['fatal: migration 42 failed', 'loading config', 'fatal: migration 42 failed'] });
    const failure = result.events.find((e) => e.type === 'allocation-failed');
    expect(failure?.type === 'allocation-failed' && failure.failure.allocId).toBe(logs?.type === 'allocation-logs' && logs.allocId);
    // After the root cause, before the outcome.
    expect(result.events.indexOf(logs!)).toBeGreaterThan(result.events.indexOf(failure!));
    expect(result.events.indexOf(logs!)).toBeLessThan(result.events.findIndex((e) => e.type === 'job-finished'));
    expect((await run('promote', 'qa', '--logs-on-failure', '201')).code).toBe(64);
  });
});

/**
 * prod: canaries promoted by hand (auto_promote false). When the promoted rollout fails, Nomad's
 * auto_revert registers the stable version again and puts it through a canary of its own that
 * waits for promotion (hashicorp/nomad#10882; test/integration/revert-canary-real.test.ts): drover
 * says so, with the command that finishes the revert, instead of waiting for it.
 */
describe('drover promote in prod when the promoted rollout fails and the revert waits at its canary', { timeout: 60_000 }, () => {
  const setup = useSandboxProject('prod', { clockSpeed: 80 });
  const { run } = setup;
  const deployApi = (...argv: string[]) => run('deploy', 'prod', '--git-sha', SHA, '--job', 'api', ...argv);
  const latest = () => nomadGet<NomadDeployment | null>(setup.sandbox, '/v1/job/api/deployment');

  /** The CLI as a person in CI sees it: the plain reporter's lines on stderr. */
  const runPlain = (...argv: string[]) => {
    const { addresses, deployerToken } = setup.sandbox;
    return runCli(argv, { cwd: setup.dir, env: { NO_COLOR: '1', CI: 'true', NOMAD_ADDR: addresses.nomad, CONSUL_HTTP_ADDR: addresses.consul, VAULT_ADDR: addresses.vault, VAULT_TOKEN: deployerToken, DROVER_FABIO_ADDR: addresses.fabio } });
  };

  it('reports the failure, the revert to the stable version and its deployment waiting for promotion, with the next command, and exits 1', async () => {
    expect((await deployApi()).code).toBe(0);
    await setImageTag(setup.dir, 'api', '1.9.0');
    expect((await deployApi('--stop-at-canary')).code).toBe(3);
    setup.sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop', version: 1 }, { kind: 'crash-loop', crashAfterMs: 2000, exitCode: 3, stderr: ['fatal: migration 42 failed'] });
    const started = Date.now();
    const result = await run('promote', 'prod', '--logs-on-failure', '0');
    expect(result.code, result.stderr).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    const revert = await latest();
    expect(revert).toMatchObject({ JobVersion: 2, Status: 'running', StatusDescription: 'Deployment is running but requires manual promotion' });
    expect(result.events.find((e) => e.type === 'revert-awaiting-promotion')).toMatchObject({ job: 'api', env: 'prod', failedVersion: 1, revertedTo: 0, version: 2, deploymentId: revert!.ID, groups: ['api'] });
    const finished = result.events.find((e) => e.type === 'job-finished');
    expect(finished).toMatchObject({ job: 'api', outcome: { status: 'failed', version: 1, revert: { toVersion: 0, version: 2, deploymentId: revert!.ID } } });
    expect(result.events.indexOf(finished!)).toBeGreaterThan(result.events.findIndex((e) => e.type === 'revert-awaiting-promotion'));
    expect(result.stderr).toMatch(/^api\s+failed\s+1\s+.*reverted to version 0 \(as version 2\), whose canary waits for promotion$/m);

    // The command it names finishes the revert.
    const next = await run('promote', 'prod', '--job', 'api');
    expect(next.code, next.stderr).toBe(0);
    expect(await latest()).toMatchObject({ ID: revert!.ID, JobVersion: 2, Status: 'successful' });
  });

  it('says it in words on the plain reporter, with the command to run next', async () => {
    expect((await deployApi()).code).toBe(0);
    await setImageTag(setup.dir, 'api', '1.9.0');
    expect((await deployApi('--stop-at-canary')).code).toBe(3);
    setup.sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop', version: 1 }, { kind: 'crash-loop', crashAfterMs: 2000, exitCode: 3 });
    const result = await runPlain('promote', 'prod', '--job', 'api', '--logs-on-failure', '0');
    expect(result.code, result.stderr).toBe(1);
    const revert = await latest();
    expect(result.stderr).toContain(`[api] Nomad reverted to version 0 (as version 2); the revert's deployment ${revert!.ID.slice(0, 8)} waits for its canary to be promoted`);
    expect(result.stderr).toContain('(hashicorp/nomad#10882)');
    expect(result.stderr).toContain('→ Run `drover promote prod --job api` to finish the rollback.');
  });
});
