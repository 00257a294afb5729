import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsulClient } from '../../src/clients/consul/index.ts';
import { createNomadClient } from '../../src/clients/nomad/index.ts';
import { allocationChecks, healthPolicies } from '../../src/watch/health-wait.ts';
import { type Harness, type Json, aJob, allocs, deployment, eventTypes, seconds, startHarness } from './nomad-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

async function fullAlloc(id: string): Promise<Json> {
  return (await h.get(`/v1/allocation/${id}`)).json;
}

describe('image pull fails', () => {
  it('reports Driver Failure with the docker pull error, restarts per policy, then fails the allocation', async () => {
    await h.scenario('web', { kind: 'image-pull-fails' });
    await h.register(aJob({ count: 1 }));
    await h.advance(seconds(50));
    const [alloc] = await allocs(h, 'web');
    expect(alloc).toMatchObject({ ClientStatus: 'failed', ClientDescription: 'Failed tasks' });
    // The client keeps the last 10 events per task (Received and Task Setup fell off).
    expect(eventTypes(alloc!)).toEqual(['Driver', 'Driver Failure', 'Restarting', 'Driver', 'Driver Failure', 'Restarting', 'Driver', 'Driver Failure', 'Not Restarting', 'Alloc Unhealthy']);
    const events: Json[] = (await fullAlloc(alloc!.ID)).TaskStates.web.Events;
    const failure = events.find((e) => e.Type === 'Driver Failure')!;
    expect(failure.DisplayMessage).toBe('Failed to pull `example/web:1.0.0`: Error response from daemon: manifest for example/web:1.0.0 not found: manifest unknown: manifest unknown');
    expect(failure.Details).toMatchObject({ driver_error: failure.DriverError });
    expect(events.find((e) => e.Type === 'Restarting')!.DisplayMessage).toMatch(/^Task restarting in \d+(\.\d+)?s$/);
    expect(events.find((e) => e.Type === 'Not Restarting')).toMatchObject({ DisplayMessage: 'Exceeded allowed attempts 2 in interval 30m0s and mode is "fail"', FailsTask: true });
    expect(events.at(-1)).toMatchObject({ Type: 'Alloc Unhealthy', DisplayMessage: 'Unhealthy because of failed task' });
  });

  it('fails at once when the pull error is unrecoverable, then reschedules after the delay', async () => {
    await h.scenario('web', { kind: 'image-pull-fails', recoverable: false });
    await h.register(aJob({ count: 1 }));
    await h.advance(seconds(3));
    const [failed] = await allocs(h, 'web');
    const events: Json[] = (await fullAlloc(failed!.ID)).TaskStates.web.Events;
    expect(events.at(-2)).toMatchObject({ Type: 'Not Restarting', DisplayMessage: 'Error was unrecoverable' });
    const evals: Json[] = (await h.get('/v1/job/web/evaluations')).json;
    expect(evals.map((e) => e.TriggeredBy)).toEqual(expect.arrayContaining(['job-register', 'alloc-failure', 'failed-follow-up']));
    expect(evals.find((e) => e.TriggeredBy === 'failed-follow-up')).toMatchObject({ Status: 'pending', WaitUntil: expect.stringMatching(/Z$/) });
    await h.advance(seconds(35));
    const list = await allocs(h, 'web');
    const replacement = list.find((a) => a.ID !== failed!.ID)!;
    expect(list.find((a) => a.ID === failed!.ID)).toMatchObject({ NextAllocation: replacement.ID, DesiredStatus: 'stop', DesiredDescription: 'alloc was rescheduled because it failed' });
    const full = await fullAlloc(replacement.ID);
    expect(full.PreviousAllocation).toBe(failed!.ID);
    expect(full.RescheduleTracker.Events).toHaveLength(1);
    expect(full.RescheduleTracker.Events[0]).toMatchObject({ PrevAllocID: failed!.ID, Delay: 30e9 });
  });
});

describe('missing binary', () => {
  /** A raw_exec task, as drover renders one (`command` in the driver config). */
  const rawExecJob = (restart?: Json) => {
    const job = aJob({ count: 1 });
    job.TaskGroups[0].Tasks = [{ Name: 'web', Driver: 'raw_exec', Config: { command: '/nonexistent/bin/web' }, Resources: { CPU: 100, MemoryMB: 64 }, ...(restart ? { RestartPolicy: restart } : {}) }];
    if (restart) job.TaskGroups[0].RestartPolicy = restart;
    return job;
  };

  it('records Nomad\'s real sequence: Received, Task Setup, Driver Failure with the cause, Not Restarting, Alloc Unhealthy', async () => {
    // Read from a real Nomad 2.0.5 agent (raw_exec, command "/nonexistent/bin/api") and from its
    // source: client/allocrunner/taskrunner/task_runner.go (runDriver emits Driver Failure with
    // SetDriverError; shouldRestart emits Not Restarting with SetRestartReason + SetFailsTask),
    // restarts/restarts.go (ReasonUnrecoverableError), drivers/shared/executor/executor.go
    // (lookupBin), client/allochealth/tracker.go ("Unhealthy because of failed task"). The last event
    // is racy on a real client (the alloc runner may mark the failed alloc unhealthy first, with no
    // event); the sandbox always emits it.
    await h.scenario('web', { kind: 'missing-binary' });
    await h.register(rawExecJob());
    await h.advance(seconds(3));
    const [alloc] = await allocs(h, 'web');
    expect(alloc).toMatchObject({ ClientStatus: 'failed', DeploymentStatus: { Healthy: false } });
    const events: Json[] = (await fullAlloc(alloc!.ID)).TaskStates.web.Events;
    const cause = 'failed to launch command with executor: rpc error: code = Unknown desc = binary "/nonexistent/bin/web" could not be found';
    expect(events.map((e) => [e.Type, e.DisplayMessage, e.Details])).toEqual([
      ['Received', 'Task received by client', {}],
      ['Task Setup', 'Building Task Directory', { message: 'Building Task Directory' }],
      ['Driver Failure', cause, { driver_error: cause }],
      ['Not Restarting', 'Error was unrecoverable', { fails_task: 'true', restart_reason: 'Error was unrecoverable' }],
      ['Alloc Unhealthy', 'Unhealthy because of failed task', { message: 'Unhealthy because of failed task' }],
    ]);
    expect(events.find((e) => e.Type === 'Driver Failure')).toMatchObject({ DriverError: cause, FailsTask: false });
    expect(events.find((e) => e.Type === 'Not Restarting')).toMatchObject({ RestartReason: 'Error was unrecoverable', FailsTask: true });
  });

  it('says "Policy allows no restarts" when the restart policy has no attempts, before looking at the error', async () => {
    await h.scenario('web', { kind: 'missing-binary' });
    await h.register(rawExecJob({ Attempts: 0, Interval: 1800e9, Delay: 15e9, Mode: 'fail', RenderTemplates: false }));
    await h.advance(seconds(3));
    const [alloc] = await allocs(h, 'web');
    const events: Json[] = (await fullAlloc(alloc!.ID)).TaskStates.web.Events;
    expect(events.find((e) => e.Type === 'Not Restarting')).toMatchObject({ DisplayMessage: 'Policy allows no restarts', Details: { restart_reason: 'Policy allows no restarts' } });
  });
});

describe('crash loop', () => {
  it('restarts with Terminated/Restarting events until the policy is exhausted', async () => {
    await h.scenario('web', { kind: 'crash-loop', crashAfterMs: 2000, exitCode: 2 });
    await h.register(aJob({ count: 1, update: { HealthyDeadline: 300e9, ProgressDeadline: 600e9 } }));
    await h.advance(seconds(60));
    const [alloc] = await allocs(h, 'web');
    const state = (await fullAlloc(alloc!.ID)).TaskStates.web;
    expect(alloc!.ClientStatus).toBe('failed');
    expect(state).toMatchObject({ State: 'dead', Failed: true, Restarts: 2 });
    expect(state.LastRestart).toMatch(/Z$/);
    const types = state.Events.map((e: Json) => e.Type);
    expect(types.slice(-4)).toEqual(['Started', 'Terminated', 'Not Restarting', 'Alloc Unhealthy']);
    expect(types.filter((t: string) => t === 'Terminated')).toHaveLength(3);
    expect(state.Events.find((e: Json) => e.Type === 'Terminated')).toMatchObject({ DisplayMessage: 'Exit Code: 2', ExitCode: 2, Details: { exit_code: '2', signal: '0' } });
    expect(state.Events.find((e: Json) => e.Type === 'Not Restarting').DisplayMessage).toBe('Exceeded allowed attempts 2 in interval 30m0s and mode is "fail"');
  });
});

describe('health check fails', () => {
  it('keeps the allocation running with critical Consul checks, their output in the catalog only after check_update_interval', async () => {
    await h.scenario('web', { kind: 'health-check-fails' });
    await h.register(aJob({ count: 1, update: null }));
    await h.advance(seconds(10));
    const [alloc] = await allocs(h, 'web');
    expect(alloc!.ClientStatus).toBe('running');
    const readiness = async () => {
      const entries: Json[] = (await h.call('GET', `${h.consul}/v1/health/service/web`)).json;
      return { entry: entries[0]!, check: entries[0]!.Checks.find((c: Json) => c.Name === 'web-ready') };
    };
    // A real Consul 1.8.7 agent ran the check at once, but its status never changed (registered
    // critical, still critical), so the catalog keeps Output "" until the deferred write-back.
    expect((await readiness()).check).toMatchObject({ Status: 'critical', Output: '' });
    expect((await h.call('GET', `${h.consul}/v1/health/service/web?passing`)).json).toEqual([]);
    await h.advance(seconds(300));
    const { entry, check } = await readiness();
    expect(check).toMatchObject({ Status: 'critical', Output: `HTTP GET http://${entry.Service.Address}:${entry.Service.Port}/ready: 503 Service Unavailable Output: service unavailable` });
  });
});

describe('template fails for a missing Vault secret', () => {
  it('emits a Template event naming vault.read(path) and never starts the task', async () => {
    await h.scenario('web', { kind: 'template-missing-secret' });
    const job = aJob({ count: 1 });
    job.TaskGroups[0].Tasks[0].Templates = [{ DestPath: 'secrets/db.env', EmbeddedTmpl: '{{ with secret "secret/data/shop/api/database" }}DB={{ .Data.data.password }}{{ end }}', ChangeMode: 'restart', Envvars: true }];
    await h.register(job);
    await h.advance(seconds(61));
    const [alloc] = await allocs(h, 'web');
    expect(alloc!.ClientStatus).toBe('pending');
    const events: Json[] = (await fullAlloc(alloc!.ID)).TaskStates.web.Events;
    expect(events.find((e) => e.Type === 'Template')).toMatchObject({ DisplayMessage: 'Missing: vault.read(secret/data/shop/api/database)' });
    expect(events.at(-1)).toMatchObject({ Type: 'Alloc Unhealthy', Message: 'Task not running by healthy_deadline of 1m0s' });
  });
});

describe('unplaceable', () => {
  it('completes the evaluation with FailedTGAllocs and leaves a blocked evaluation', async () => {
    await h.scenario('web', { kind: 'unplaceable', dimension: 'memory' });
    await h.register(aJob({ count: 2 }));
    await h.advance(seconds(1));
    const evals: Json[] = (await h.get('/v1/job/web/evaluations')).json;
    const first = evals.find((e) => e.TriggeredBy === 'job-register')!;
    expect(first).toMatchObject({ Status: 'complete', QueuedAllocations: { web: 2 } });
    expect(first.FailedTGAllocs.web).toMatchObject({ NodesEvaluated: 3, NodesExhausted: 3, DimensionExhausted: { memory: 3 }, CoalescedFailures: 1 });
    const blocked = evals.find((e) => e.ID === first.BlockedEval)!;
    expect(blocked).toMatchObject({ Status: 'blocked', StatusDescription: 'created to place remaining allocations', TriggeredBy: 'queued-allocs', PreviousEval: first.ID });
    expect(await allocs(h, 'web')).toEqual([]);
    expect((await h.get('/v1/job/web/summary')).json.Summary.web.Queued).toBe(2);
    expect((await h.get('/v1/job/web')).json.Status).toBe('pending');
  });

  it('also fails placement when a group asks for more memory than a node has', async () => {
    await h.register(aJob({ count: 1, memoryMB: 20_000 }));
    await h.advance(seconds(1));
    const evals: Json[] = (await h.get('/v1/job/web/evaluations')).json;
    expect(evals.some((e) => e.Status === 'blocked')).toBe(true);
  });
});

describe('timing scenarios', () => {
  it('becomes healthy min_healthy_time after checks pass N seconds after start', async () => {
    await h.scenario('web', { kind: 'healthy', healthyAfterMs: 20_000 });
    await h.register(aJob({ count: 1 }));
    await h.advance(seconds(25));
    expect((await allocs(h, 'web'))[0]!.DeploymentStatus).toBeNull();
    await h.advance(seconds(10));
    expect((await allocs(h, 'web'))[0]!.DeploymentStatus.Healthy).toBe(true);
  });

  it('is too slow for a short healthy_deadline with slow-healthy', async () => {
    await h.scenario('web', { kind: 'slow-healthy' });
    await h.register(aJob({ count: 1 }));
    await h.advance(seconds(61));
    expect((await allocs(h, 'web'))[0]!.DeploymentStatus.Healthy).toBe(false);
  });
});

describe('batch and system jobs', () => {
  it('runs batch allocations to completion and marks the job dead, without a deployment', async () => {
    await h.register(aJob({ type: 'batch', count: 2, update: null }));
    await h.advance(seconds(10));
    const list = await allocs(h, 'web');
    expect(list.map((a) => [a.ClientStatus, a.ClientDescription])).toEqual([['complete', 'All tasks have completed'], ['complete', 'All tasks have completed']]);
    expect(eventTypes(list[0]!).at(-1)).toBe('Terminated');
    expect((await h.get('/v1/job/web')).json.Status).toBe('dead');
    expect(await deployment(h, 'web')).toBeNull();
  });

  it('places one system allocation per simulated node', async () => {
    await h.register(aJob({ type: 'system', update: null }));
    await h.advance(seconds(20));
    const list = await allocs(h, 'web');
    expect(list.map((a) => a.Name)).toEqual(['web.web[0]', 'web.web[0]', 'web.web[0]']);
    expect(new Set(list.map((a) => a.NodeID)).size).toBe(3);
    expect(list.every((a) => a.ClientStatus === 'running')).toBe(true);
  });
});

describe('what the deploy watch reads while checks fail', () => {
  it('answers the job read with services, checks and the default reschedule policy, and Consul with the allocation\'s checks', async () => {
    const nomad = createNomadClient({ address: h.nomad });
    const consul = createConsulClient({ address: h.consul });
    try {
      await h.scenario('web', { kind: 'health-check-fails' });
      await h.register(aJob({ count: 1 }));
      await h.advance(seconds(5));
      // As a real 2.0.5 agent answers GET /v1/job/:id for a service group with a Consul check.
      const job = (await nomad.jobs.read('web')).value;
      expect(job.TaskGroups[0]).toMatchObject({
        ReschedulePolicy: { Attempts: 0, Interval: 0, Delay: 30e9, DelayFunction: 'exponential', MaxDelay: 3600e9, Unlimited: true },
        Services: [{ Name: 'web', Provider: 'consul', Checks: [{ Name: 'web-ready', Type: 'http', Interval: 5e9, Timeout: 2e9 }] }],
      });
      expect(healthPolicies(job).get('web')).toMatchObject({ healthCheck: 'checks', reschedule: { unlimited: true }, checks: [{ service: 'web', check: 'web-ready', graceMs: 7000 }] });
      const [alloc] = await allocs(h, 'web');
      const checks = allocationChecks((await consul.health.service('web')).value, alloc!.ID);
      expect(checks).toEqual([{ service: 'web', check: 'web-ready', status: 'critical', output: '' }]);
    } finally {
      nomad.close();
      consul.close();
    }
  });
});
