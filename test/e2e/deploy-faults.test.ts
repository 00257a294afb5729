import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../src/report/events.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import type { NomadJobRead } from '../../src/wire/nomad-api.ts';
import { deployLive, registeredCounts, registrationsOf, setImageTag } from '../support/live-deploy.ts';
import { nomadGet, sandboxFor } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '3333333333333333333333333333333333333333';

/**
 * The same rollouts as deploy.test.ts, through an unreliable Nomad: one read in ten fails with a
 * 500, every call is 200 ms slower, and the event stream is cut as soon as the first job is
 * registered. The exit code must not change, and no job may be registered twice.
 */
describe('drover deploy through injected faults', { timeout: 60_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  const sandboxes: RunningSandbox[] = [];
  let readFailures = 0;
  beforeEach(async () => {
    readFailures = 0;
    project = await tempProject({ environments: 'standalone' });
  });
  afterEach(async () => {
    expect(readFailures, 'reads answered with an injected 500').toBeGreaterThan(0);
    await Promise.all(sandboxes.splice(0).map((s) => s.close()));
    await project.cleanup();
  });

  let vaultToken = '';
  /** A sandbox for `env` whose Vault is ready for the example jobs (the secrets preflight passes). */
  const start = async (env: 'qa' | 'prod') => {
    const sandbox = await sandboxFor(env, { seed: 7 });
    sandboxes.push(sandbox);
    vaultToken = sandbox.deployerToken;
    return sandbox;
  };
  /**
   * Deploys through the faults, cutting every event stream the moment the first job is registered
   * (the stream is open by then: it connects before the registration is sent). The stream is spared
   * the 5xx rule so that the cut always finds it connected; its reconnects still go through the latency.
   */
  const deployWithFaults = async (sandbox: RunningSandbox, env: 'qa' | 'prod', ...argv: string[]) => {
    const failing = sandbox.admin.injectFault({ service: 'nomad', method: 'GET', pathPattern: '^/v1/(?!event/stream)', kind: 'error', rate: 0.1, status: 500, message: 'sandbox: injected read failure' });
    sandbox.admin.injectFault({ service: 'nomad', kind: 'latency', ms: 200 });
    let cutAt = -1;
    let seen = 0;
    const result = await deployLive(sandbox, [env, '--git-sha', SHA, ...argv], {
      cwd: project.dir,
      vaultToken,
      onEvent: (event) => {
        seen++;
        if (event.type !== 'job-registered' || cutAt >= 0) return;
        cutAt = seen;
        sandbox.admin.disconnectEventStreams();
      },
    });
    readFailures += sandbox.admin.listFaults().find((f) => f.id === failing)!.hits;
    sandbox.admin.clearFaults();
    expect(cutAt, 'a job was registered').toBeGreaterThanOrEqual(0);
    expect(result.events.slice(cutAt).some((e) => e.type === 'watch-reconnected'), 'the watch reconnected after the cut').toBe(true);
    return result;
  };
  /** Every registration drover reported is one job version and one job-register evaluation in Nomad. */
  const expectRegisteredOnce = async (sandbox: RunningSandbox, events: readonly DeployEvent[], expected: Readonly<Record<string, number>>) => {
    const counts = registeredCounts(events);
    expect(Object.fromEntries(counts)).toEqual(expected);
    for (const [job, times] of counts) {
      const recorded = await registrationsOf(sandbox, job);
      expect(recorded.registerEvaluations, `${job}: register evaluations`).toBe(times);
    }
  };

  it('exits 0 for a healthy rolling update, registering each version once', async () => {
    const sandbox = await start('qa');
    const first = await deployWithFaults(sandbox, 'qa', '--job', 'www');
    expect(first.code, first.stderr).toBe(0);
    await setImageTag(project.dir, 'www', '3.3.0');
    const update = await deployWithFaults(sandbox, 'qa', '--job', 'www');
    expect(update.code, update.stderr).toBe(0);
    expect(update.events.find((e) => e.type === 'job-finished')).toMatchObject({ outcome: { status: 'succeeded', version: 1 } });
    await expectRegisteredOnce(sandbox, [...first.events, ...update.events], { www: 2 });
    expect((await registrationsOf(sandbox, 'www')).versions).toBe(2);
  });

  it('exits 1 on an image pull failure and leaves the previous version running', async () => {
    const sandbox = await start('qa');
    const first = await deployWithFaults(sandbox, 'qa', '--job', 'api');
    expect(first.code, first.stderr).toBe(0);
    await setImageTag(project.dir, 'api', '9.9.9-missing');
    sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop', version: 1 }, { kind: 'image-pull-fails', message: 'manifest unknown' });
    const result = await deployWithFaults(sandbox, 'qa', '--job', 'api');
    expect(result.code, result.stderr).toBe(1);
    expect(result.events.find((e) => e.type === 'allocation-failed')).toMatchObject({ failure: { eventType: 'Driver Failure' } });
    const job = await nomadGet<NomadJobRead>(sandbox, '/v1/job/api');
    expect(job.Version).toBe(2); // the revert to version 0's spec
    expect(job.TaskGroups[0]!.Tasks.find((t) => t.Name === 'api')!.Config.image).toBe('ghcr.io/example-shop/api:1.8.2');
    expect(result.events.find((e) => e.type === 'job-finished')).toMatchObject({ outcome: { status: 'failed', runningVersion: 2 } });
    await expectRegisteredOnce(sandbox, [...first.events, ...result.events], { api: 2 });
  });

  it('exits 1 on a crash loop', async () => {
    const sandbox = await start('qa');
    sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop' }, { kind: 'crash-loop', crashAfterMs: 1000 });
    const result = await deployWithFaults(sandbox, 'qa', '--job', 'api');
    expect(result.code, result.stderr).toBe(1);
    expect(result.events.find((e) => e.type === 'allocation-failed')).toMatchObject({
      failure: { kind: 'restarts-exhausted', eventType: 'Terminated', message: 'Exit Code: 1', details: { exit_code: '1' }, consequences: expect.arrayContaining([expect.objectContaining({ type: 'Not Restarting' })]) },
    });
    await expectRegisteredOnce(sandbox, result.events, { api: 1 });
  });

  it('exits 2 when the job cannot be placed', async () => {
    const sandbox = await start('qa');
    sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop' }, { kind: 'unplaceable', dimension: 'memory' });
    const result = await deployWithFaults(sandbox, 'qa', '--job', 'api');
    expect(result.code, result.stderr).toBe(2);
    expect(result.events.find((e) => e.type === 'job-finished')).toMatchObject({ outcome: { status: 'placement-failed', group: 'api' } });
    await expectRegisteredOnce(sandbox, result.events, { api: 1 });
  });

  it('exits 3 at healthy canaries awaiting manual promotion with --stop-at-canary', async () => {
    const sandbox = await start('prod');
    const first = await deployWithFaults(sandbox, 'prod', '--job', 'api');
    expect(first.code, first.stderr).toBe(0);
    await setImageTag(project.dir, 'api', '1.9.0');
    const result = await deployWithFaults(sandbox, 'prod', '--job', 'api', '--stop-at-canary');
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('drover promote prod --job api');
    await expectRegisteredOnce(sandbox, [...first.events, ...result.events], { api: 2 });
    expect((await registrationsOf(sandbox, 'api')).versions).toBe(2);
  });
});
