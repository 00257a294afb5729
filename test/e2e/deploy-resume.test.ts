/**
 * A deploy killed with SIGKILL mid-rollout, then run again: the second run must find the dead
 * run's lock (and say whose it is), wait for it only when asked to, recognise the deployment
 * already in flight instead of registering again, and follow it to its real outcome.
 *
 * Consul's clock is manual here. A session TTL is at least 10 s (Consul's minimum; a real agent
 * may take up to twice that), so instead of sleeping through it the test moves Consul's time on,
 * in two steps that never age a live session past its TTL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../src/report/events.ts';
import { createSandboxClock, type ControlledClock } from '../../src/sandbox/clock.ts';
import { createConsulService } from '../../src/sandbox/consul/index.ts';
import type { NomadDeployment } from '../../src/wire/nomad-api.ts';
import { spawnDrover } from '../support/drover-process.ts';
import { deployLive, registeredCounts, registrationsOf } from '../support/live-deploy.ts';
import { nomadGet, sandboxFor, type SeededSandbox } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '5555555555555555555555555555555555555555';
/** drover's lock session TTL (src/deploy/lock.ts) and lock-delay. */
const SESSION_TTL_MS = 10_000;
const LOCK_DELAY_MS = 1_000;

describe('a deploy killed mid-rollout, then run again', { timeout: 60_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let consulClock: ControlledClock;
  let sandbox: SeededSandbox;
  let vaultToken: string;
  beforeEach(async () => {
    project = await tempProject({ environments: 'standalone' });
    consulClock = createSandboxClock({ speed: 0 });
    sandbox = await sandboxFor('qa', { services: { consul: () => createConsulService({ clock: consulClock }) } });
    vaultToken = sandbox.deployerToken;
    // api (after postgres, before www) becomes healthy about 3.8 s of wall time after it is
    // placed (clock ×20), well inside its 3 min healthy_deadline.
    sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop' }, { kind: 'slow-healthy', healthyAfterMs: 60_000 });
  });
  afterEach(async () => {
    await sandbox.close();
    consulClock.close();
    await project.cleanup();
  });

  const argv = ['qa', '--git-sha', SHA];
  const lockSession = async () => {
    const response = await fetch(`${sandbox.addresses.consul}/v1/kv/drover/locks/qa`);
    return ((await response.json()) as { Session?: string }[])[0]?.Session;
  };

  it('refuses while the dead run holds the lock, then with --wait-lock resumes its deployment without registering again', async () => {
    // The first run: postgres deploys, api is registered and its deployment is running — then SIGKILL.
    const first = spawnDrover(['deploy', ...argv], {
      cwd: project.dir,
      env: { NOMAD_ADDR: sandbox.addresses.nomad, CONSUL_HTTP_ADDR: sandbox.addresses.consul, VAULT_ADDR: sandbox.addresses.vault, VAULT_TOKEN: vaultToken },
    });
    await first.waitFor((e) => e.type === 'job-registered' && e.job === 'api');
    await first.waitFor((e) => e.type === 'job-progress' && e.job === 'api' && e.message.startsWith('deployment running'));
    expect((await first.kill('SIGKILL')).signal).toBe('SIGKILL');
    const deployment = await nomadGet<NomadDeployment>(sandbox, '/v1/job/api/deployment');
    expect(deployment).toMatchObject({ JobVersion: 0, Status: 'running' });
    const before = { api: await registrationsOf(sandbox, 'api'), postgres: await registrationsOf(sandbox, 'postgres') };
    expect(before).toEqual({ api: { versions: 1, registerEvaluations: 1 }, postgres: { versions: 1, registerEvaluations: 1 } });
    expect(await lockSession()).toBeDefined(); // nobody released it: the process died

    // Without --wait-lock: refused at once, naming the dead holder.
    const refused = await deployLive(sandbox, argv, { cwd: project.dir, vaultToken });
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain('Environment qa is locked by another deploy');
    expect(refused.stderr).toMatch(new RegExp(`holder\\s+\\S+@\\S+ \\(pid ${first.pid}, release 555555555555`));
    expect(refused.stderr).toContain('--wait-lock');

    // Half the TTL passes while nothing alive holds a session; the dead one still holds the lock.
    await consulClock.advance(SESSION_TTL_MS / 2);
    expect(await lockSession()).toBeDefined();
    const log: DeployEvent[] = [];
    const waiting = deployLive(sandbox, [...argv, '--wait-lock'], { cwd: project.dir, vaultToken, onEvent: (e) => log.push(e) });
    await until(() => log.some((e) => e.type === 'lock-waiting'));
    expect(log.find((e) => e.type === 'lock-waiting')).toMatchObject({ holder: expect.stringContaining(`pid ${first.pid}`) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(log.map((e) => e.type)).not.toContain('lock-acquired'); // still waiting, not polling its way in

    // The rest of the dead session's TTL and its lock-delay pass: the waiting deploy takes over.
    await consulClock.advance(SESSION_TTL_MS / 2 + LOCK_DELAY_MS + 100);
    const resumed = await waiting;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.events).toContainEqual({ type: 'job-resumed', job: 'api', version: 0, deploymentId: deployment.ID });
    const finished = (job: string) => resumed.events.find((e) => e.type === 'job-finished' && e.job === job);
    expect(finished('api')).toMatchObject({ outcome: { status: 'succeeded', version: 0, deploymentId: deployment.ID } });
    expect(finished('postgres')).toMatchObject({ outcome: { status: 'unchanged', version: 0 } });
    // Across both runs every job was registered exactly once: what the dead run registered is
    // resumed or unchanged, what it never reached is registered now. The dead run's events are
    // not the record of that: a job it registered in parallel (worker, beside api) can have been
    // accepted by Nomad in the instant before SIGKILL, with the response never read and so no
    // event printed. Nomad's version count is the record; the events may only never show a job
    // registered twice, and the second run must account for every job.
    const jobs = ['api', 'db-backup', 'fabio', 'log-shipper', 'node-exporter', 'postgres', 'worker', 'www'];
    const bothRuns = registeredCounts([...first.events, ...resumed.events]);
    for (const job of jobs) expect(bothRuns.get(job) ?? 0, job).toBeLessThanOrEqual(1);
    for (const job of registeredCounts(resumed.events).keys()) expect(registeredCounts(first.events).has(job), job).toBe(false);
    expect(jobs.filter((job) => !finished(job))).toEqual([]);
    for (const job of jobs) {
      // db-backup is periodic: registering it creates no evaluation until its first launch.
      expect(await registrationsOf(sandbox, job), job).toEqual({ versions: 1, registerEvaluations: job === 'db-backup' ? 0 : 1 });
    }
    expect(await lockSession()).toBeUndefined();
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const started = Date.now(); !condition(); ) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
