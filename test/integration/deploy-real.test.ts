/**
 * drover's deploy engine against a real `nomad agent -dev` (2.x, raw_exec) wired to a real Consul
 * dev agent: deploy, a missing binary failed fast and rolled back, a canary stopped at, promoted,
 * and rolled back. The jobs are tiny `node -e` HTTP servers (test/support/real-project.ts).
 * Besides drover's own results, the tests pin what the real Nomad did (the behaviour the sandbox
 * must copy: test/sandbox/nomad-real-behaviour.test.ts). Skipped, loudly, without the binaries.
 *
 * The tests run in order and share the job's history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../src/report/events.ts';
import type { NomadAllocation, NomadDeployment, NomadJobRead } from '../../src/wire/nomad-api.ts';
import { consulAvailability, getJson, sendJson, startRealConsul, startRealNomad, type ConsulAgent, type RealNomad } from '../support/real-cluster.ts';
import { missingBinaries, tail } from '../support/real-process.ts';
import { realProject, runDrover, tinyServiceJob, type RealProject, type RealTargets } from '../support/real-project.ts';

const SUITE = 'test/integration/deploy-real.test.ts';
const missing = missingBinaries(SUITE, ['nomad'], consulAvailability().available ? [] : ['consul']);
const SHA = ['--git-sha', '7777777777777777777777777777777777777777'];
const JOB = 'hello';

interface CatalogEntry {
  readonly ServiceID: string;
  readonly ServiceAddress: string;
  readonly ServicePort: number;
  readonly ServiceTags: readonly string[];
}

describe.skipIf(missing.length > 0)('drover deploy, promote and rollback against a real Nomad and Consul', { timeout: 90_000 }, () => {
  let consul: ConsulAgent | undefined;
  let nomad: RealNomad | undefined;
  let project: RealProject | undefined;
  let targets: RealTargets;

  beforeAll(async () => {
    project = await realProject();
    consul = await startRealConsul();
    nomad = await startRealNomad({ consul: consul.address });
    targets = { nomad: nomad.address, consul: consul.address };
  }, 120_000);

  afterAll(async () => {
    await nomad?.stop();
    await consul?.stop();
    await project?.cleanup();
  }, 30_000);

  const drover = async (...argv: string[]) => {
    const result = await runDrover(project!, targets, argv);
    return { ...result, why: `exit ${result.code}\n${result.stderr}\n${result.stdout.slice(-4000)}\n${tail(nomad!.process, 2000)}` };
  };
  const nomadGet = <T>(path: string) => getJson(`${nomad!.address}${path}`) as Promise<T>;
  const catalog = () => getJson(`${consul!.address}/v1/catalog/service/${JOB}`) as Promise<CatalogEntry[]>;
  /** What every registered instance answers on `/`: `<alloc> <version> /`. */
  const versionsServed = async () => (await Promise.all((await catalog()).map(async (s) => (await (await fetch(`http://${s.ServiceAddress}:${s.ServicePort}/`)).text()).split(' ')[1]))).sort();
  const finished = (events: readonly DeployEvent[]) => events.find((e): e is Extract<DeployEvent, { type: 'job-finished' }> => e.type === 'job-finished');

  it('deploys a raw_exec job, watches it to success, and its instances serve it', async () => {
    await project!.writeJob(tinyServiceJob({ id: JOB, version: 'v1', canaries: 1 }));
    const result = await drover('deploy', 'real', ...SHA);
    expect(result.code, result.why).toBe(0);
    expect(finished(result.events)?.outcome).toMatchObject({ status: 'succeeded', version: 0 });
    const allocations = await nomadGet<NomadAllocation[]>(`/v1/job/${JOB}/allocations`);
    expect(allocations.map((a) => a.ClientStatus)).toEqual(['running', 'running']);
    expect(await versionsServed()).toEqual(['v1', 'v1']);
  });

  it('fails a missing binary within seconds, reports the Driver Failure as the cause, and Nomad rolls back', async () => {
    await project!.writeJob(tinyServiceJob({ id: JOB, version: 'v2', canaries: 1, command: '/nonexistent/bin/hello' }));
    const started = Date.now();
    const result = await drover('deploy', 'real', ...SHA);
    const seconds = (Date.now() - started) / 1000;
    expect(result.code, result.why).toBe(1);
    expect(seconds).toBeLessThan(20);
    const failure = result.events.find((e): e is Extract<DeployEvent, { type: 'allocation-failed' }> => e.type === 'allocation-failed')?.failure;
    // The root cause first, Nomad's consequence after it: the executor's error names the binary.
    expect(failure).toMatchObject({ group: JOB, task: JOB, eventType: 'Driver Failure' });
    expect(failure?.message).toContain('binary "/nonexistent/bin/hello" could not be found');
    expect(failure?.consequences?.map((c) => c.type)).toContain('Not Restarting');
    expect(finished(result.events)?.outcome).toMatchObject({ status: 'failed', version: 1, runningVersion: 2 });

    const deployments = await nomadGet<NomadDeployment[]>(`/v1/job/${JOB}/deployments`);
    expect(deployments.find((d) => d.JobVersion === 1)).toMatchObject({ Status: 'failed', StatusDescription: 'Deployment marked as failed - rolling back to job version 0' });
    const canary = (await nomadGet<NomadAllocation[]>(`/v1/job/${JOB}/allocations`)).find((a) => a.JobVersion === 1)!;
    // Real Nomad: the restart policy's verdict follows the driver's error (with `attempts = 0` it
    // says so before calling the error unrecoverable), and the failed canary of the failed
    // deployment is stopped (reconciler cancelUnneededCanaries), not left to be rescheduled.
    const events = Object.values(canary.TaskStates ?? {}).flatMap((t) => t.Events.map((e) => [e.Type, e.DisplayMessage]));
    expect(events.slice(0, 4)).toEqual([
      ['Received', 'Task received by client'],
      ['Task Setup', 'Building Task Directory'],
      ['Driver Failure', 'failed to launch command with executor: rpc error: code = Unknown desc = binary "/nonexistent/bin/hello" could not be found'],
      ['Not Restarting', 'Policy allows no restarts'],
    ]);
    expect(canary).toMatchObject({ ClientStatus: 'failed', DesiredStatus: 'stop', DesiredDescription: 'alloc not needed due to job update', DeploymentStatus: { Canary: true, Healthy: false } });
    expect(await versionsServed()).toEqual(['v1', 'v1']);
  });

  it('stops at a healthy canary tagged "canary" in Consul, promotes it, then rolls back to version 0', async () => {
    await project!.writeJob(tinyServiceJob({ id: JOB, version: 'v3', canaries: 1 }));
    const stopped = await drover('deploy', 'real', ...SHA, '--stop-at-canary');
    expect(stopped.code, stopped.why).toBe(3);
    expect(finished(stopped.events)?.outcome).toMatchObject({ status: 'awaiting-promotion', version: 3 });
    const waiting = await nomadGet<NomadDeployment>(`/v1/job/${JOB}/deployment`);
    expect(waiting).toMatchObject({ JobVersion: 3, Status: 'running', StatusDescription: 'Deployment is running but requires manual promotion' });
    const [canaryId] = waiting.TaskGroups[JOB]!.PlacedCanaries ?? [];
    const tagged = (await catalog()).filter((s) => s.ServiceTags.includes('canary'));
    // Nomad names a task's Consul service `_nomad-task-<alloc ID>-group-…`: canary/targets.ts relies on it.
    expect(tagged.map((s) => s.ServiceID)).toEqual([`_nomad-task-${canaryId}-group-${JOB}-${JOB}-http`]);
    expect(await versionsServed()).toEqual(['v1', 'v1', 'v3']);

    const promoted = await drover('promote', 'real');
    expect(promoted.code, promoted.why).toBe(0);
    expect(finished(promoted.events)?.outcome).toMatchObject({ status: 'succeeded', version: 3 });
    // Real Nomad clears the promoted canary's DeploymentStatus.Canary, and Consul loses its tag.
    const canary = await nomadGet<NomadAllocation>(`/v1/allocation/${canaryId}`);
    expect(canary).toMatchObject({ ClientStatus: 'running', DeploymentStatus: { Canary: false, Healthy: true } });
    expect((await catalog()).flatMap((s) => s.ServiceTags)).not.toContain('canary');
    expect(await versionsServed()).toEqual(['v3', 'v3']);

    const rolledBack = await drover('rollback', 'real', '--job', JOB, '--to', '0');
    expect(rolledBack.code, rolledBack.why).toBe(0);
    const job = await nomadGet<NomadJobRead>(`/v1/job/${JOB}`);
    expect(finished(rolledBack.events)?.outcome).toMatchObject({ status: 'succeeded', version: job.Version });
    // With --output ndjson (runDrover's) the words for people are on stderr.
    expect(rolledBack.stderr).toContain(`Rolled ${JOB} in real back from version 3 to the spec of version 0 (now version ${job.Version}).`);
    expect((job.TaskGroups[0]!.Tasks[0] as { Env?: Record<string, string> }).Env).toMatchObject({ VERSION: 'v1' });
    expect(await versionsServed()).toEqual(['v1', 'v1']);
  });

  it('keeps a healthy canary waiting past the progress deadline; promotion restarts the deadline; failing the deployment stops the canary', async () => {
    // What test/sandbox/nomad-real-behaviour.test.ts pins in the sandbox.
    const job = (version: string) => tinyServiceJob({ id: 'patient', version, canaries: 1, progressDeadline: '10s', autoRevert: false });
    const deployments = () => nomadGet<NomadDeployment[]>('/v1/job/patient/deployments');
    await project!.writeJob(job('v1'));
    expect((await drover('deploy', 'real', ...SHA, '--job', 'patient')).code).toBe(0);
    await project!.writeJob(job('v2'));
    expect((await drover('deploy', 'real', ...SHA, '--job', 'patient', '--stop-at-canary')).code).toBe(3);
    const waiting = (await deployments()).find((d) => d.JobVersion === 1)!;
    const deadline = Date.parse(waiting.TaskGroups['patient']!.RequireProgressBy!);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()) + 3000));
    expect((await deployments()).find((d) => d.JobVersion === 1)).toMatchObject({ Status: 'running', StatusDescription: 'Deployment is running but requires manual promotion' });

    const promotedAt = Date.now();
    const promoted = await drover('promote', 'real', '--job', 'patient');
    expect(promoted.code, promoted.why).toBe(0);
    const done = (await deployments()).find((d) => d.JobVersion === 1)!;
    expect(done.Status).toBe('successful');
    // The deadline that had passed was replaced by one at least progress_deadline after the
    // promotion (later healthy allocations move it further).
    expect(Date.parse(done.TaskGroups['patient']!.RequireProgressBy!) - promotedAt).toBeGreaterThan(9_000);

    await project!.writeJob(job('v3'));
    expect((await drover('deploy', 'real', ...SHA, '--job', 'patient', '--stop-at-canary')).code).toBe(3);
    const third = (await deployments()).find((d) => d.JobVersion === 2)!;
    const [canaryId] = third.TaskGroups['patient']!.PlacedCanaries ?? [];
    expect((await sendJson('PUT', `${nomad!.address}/v1/deployment/fail/${third.ID}`, {})).status).toBe(200);
    const stoppedCanary = async () => {
      const alloc = await nomadGet<NomadAllocation>(`/v1/allocation/${canaryId}`);
      return alloc.ClientStatus === 'complete' ? alloc : undefined;
    };
    let canary: NomadAllocation | undefined;
    for (let i = 0; i < 50 && !(canary = await stoppedCanary()); i++) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(canary).toMatchObject({ DesiredStatus: 'stop', DesiredDescription: 'alloc not needed due to job update', DeploymentStatus: { Canary: true, Healthy: true } });
    const live = (await nomadGet<NomadAllocation[]>('/v1/job/patient/allocations')).filter((a) => a.DesiredStatus === 'run');
    expect(live.map((a) => a.JobVersion)).toEqual([1, 1]);
  });
});
