/**
 * Every Nomad client call against the sandbox (src/sandbox/server.ts) over real HTTP on
 * 127.0.0.1, with ACLs on (the sentinel token is the management token) and a manual clock:
 * plan → register with check-index → canary deployment → promote, failure, revert, scale,
 * blocking reads, the event stream, injected faults.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/clients/api-error.ts';
import {
  createNomadClient,
  NomadCheckIndexConflict,
  resumableEventStream,
  type EventStreamReconnect,
  type NomadClient,
  type NomadEventStreamItem,
} from '../../src/clients/nomad/index.ts';
import type { RetryEvent } from '../../src/clients/retry.ts';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.ts';
import type { NomadJob } from '../../src/wire/nomad-job.ts';
import { SENTINELS } from '../support/sentinels.ts';

const TOKEN = SENTINELS.NOMAD_TOKEN;
const S = 1e9;

function aJob(id: string, image: string, options: { canary?: number; count?: number } = {}): NomadJob {
  return {
    ID: id, Name: id, Type: 'service', Datacenters: ['dc1'], Meta: { 'drover.env': 'qa' },
    TaskGroups: [{
      Name: 'web', Count: options.count ?? 2,
      Update: { MaxParallel: 1, HealthCheck: 'task_states', MinHealthyTime: 5 * S, HealthyDeadline: 60 * S, ProgressDeadline: 120 * S, AutoRevert: false, Canary: options.canary ?? 0 },
      Tasks: [{ Name: 'web', Driver: 'docker', Config: { image }, Resources: { CPU: 100, MemoryMB: 64 } }],
    }],
  };
}

describe('nomad client against the sandbox', () => {
  let sandbox: RunningSandbox;
  let nomad: NomadClient;
  const retries: RetryEvent[] = [];
  const advance = (seconds: number) => sandbox.admin.advance(seconds * 1000);

  beforeAll(async () => {
    sandbox = await startSandbox({ clockSpeed: 0, nomad: { aclToken: TOKEN } });
    nomad = createNomadClient({ address: sandbox.addresses.nomad, token: TOKEN, retry: { retries: 3, baseDelayMs: 1 }, onRetry: (e) => retries.push(e) });
  });
  afterAll(async () => {
    nomad?.close();
    await sandbox?.close();
  });

  it('plans and registers a new job with check-index, and refuses a stale index', async () => {
    const job = aJob('plan-api', 'api:1');
    const plan = await nomad.jobs.plan(job, { diff: true });
    expect(plan).toMatchObject({ JobModifyIndex: 0, Diff: { Type: 'Added', ID: 'plan-api' } });
    expect(plan.Annotations?.DesiredTGUpdates['web']?.Place).toBe(2);

    const registered = await nomad.jobs.register(job, { enforceIndex: plan.JobModifyIndex, submission: { source: JSON.stringify(job), format: 'json' } });
    expect(registered.EvalID).not.toBe('');
    const again = await nomad.jobs.register(job, { enforceIndex: 0 }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(NomadCheckIndexConflict);
    expect(again).toMatchObject({ status: 500, reason: 'exists', expected: 0 });
    const stale = await nomad.jobs.register(aJob('plan-api', 'api:2'), { enforceIndex: registered.JobModifyIndex - 1 }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ reason: 'modified', expected: registered.JobModifyIndex - 1, actual: registered.JobModifyIndex });
    const missing = await nomad.jobs.register(aJob('plan-nope', 'api:1'), { enforceIndex: 5 }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ reason: 'missing', expected: 5, actual: 0 });

    const { value, index } = await nomad.jobs.read('plan-api');
    expect(value).toMatchObject({ ID: 'plan-api', Version: 0, JobModifyIndex: registered.JobModifyIndex, Meta: { 'drover.env': 'qa' } });
    expect(value.SubmitTime).toMatch(/^\d{19}$/);
    expect(index).toBeGreaterThan(0);
    expect(value.TaskGroups[0]?.Update).toMatchObject({ Canary: 0, MaxParallel: 1, MinHealthyTime: 5 * S });
    expect((await nomad.jobs.submission('plan-api', 0)).Source).toBe(JSON.stringify(job));
    const listed = await nomad.jobs.list({ prefix: 'plan-', meta: true });
    expect(listed.value.map((j) => [j.ID, j.Meta['drover.env']])).toEqual([['plan-api', 'qa']]);
  });

  it('blocks a read until the job changes, then answers the new index', async () => {
    await nomad.jobs.register(aJob('block-api', 'api:1'));
    const first = await nomad.jobs.read('block-api');
    const blocked = nomad.jobs.read('block-api', { index: first.index, wait: '30s' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await nomad.jobs.register(aJob('block-api', 'api:2'));
    const changed = await blocked;
    expect(changed.index).toBeGreaterThan(first.index);
    expect(changed.value.Version).toBe(1);
  });

  it('follows a canary deployment to promotion, with allocations, evaluations and summaries', async () => {
    await nomad.jobs.register(aJob('canary-api', 'api:1', { canary: 1 }));
    await advance(30);
    expect((await nomad.jobs.latestDeployment('canary-api')).value?.Status).toBe('successful');

    const plan = await nomad.jobs.plan(aJob('canary-api', 'api:2', { canary: 1 }), { diff: true });
    expect(plan.Diff?.TaskGroups[0]?.Tasks[0]?.Annotations).toContain('forces create/destroy update');
    await nomad.jobs.register(aJob('canary-api', 'api:2', { canary: 1 }), { enforceIndex: plan.JobModifyIndex });
    await advance(15);
    const deployment = (await nomad.jobs.latestDeployment('canary-api')).value;
    expect(deployment).toMatchObject({ JobID: 'canary-api', JobVersion: 1, Status: 'running' });
    expect(deployment?.TaskGroups['web']).toMatchObject({ DesiredCanaries: 1, Promoted: false, HealthyAllocs: 1 });
    const id = deployment?.ID ?? '';
    expect((await nomad.deployments.read(id)).value.ID).toBe(id);
    expect((await nomad.deployments.list()).value.map((d) => d.ID)).toContain(id);
    const canaries = (await nomad.deployments.allocations(id)).value;
    expect(canaries.map((a) => a.DeploymentStatus?.Canary)).toEqual([true]);
    expect((await nomad.jobs.deployments('canary-api')).value.map((d) => d.JobVersion)).toEqual([1, 0]);

    const promoted = await nomad.deployments.promote(id, { all: true });
    expect(promoted.DeploymentModifyIndex).toBeGreaterThan(0);
    await advance(60);
    expect((await nomad.deployments.read(id)).value.Status).toBe('successful');

    const versions = await nomad.jobs.versions('canary-api', { diffs: true });
    expect(versions.value.Versions.map((v) => [v.Version, v.Stable])).toEqual([[1, true], [0, true]]);
    expect(versions.value.Diffs.length).toBeGreaterThan(0);
    expect((await nomad.jobs.setStable('canary-api', 0, false)).index).toBeGreaterThan(0);

    const allocs = (await nomad.jobs.allocations('canary-api')).value;
    const running = allocs.filter((a) => a.ClientStatus === 'running' && a.JobVersion === 1);
    expect(running).toHaveLength(2);
    const alloc = (await nomad.allocations.read(running[0]?.ID ?? '')).value;
    expect(alloc).toMatchObject({ DeploymentID: expect.any(String), JobID: 'canary-api' });
    expect(alloc.TaskStates['web']?.Events.map((e) => e.Type)).toContain('Started');
    expect(alloc.TaskStates['web']?.Events[0]?.Time).toMatch(/^\d{19}$/);
    expect((await nomad.allocations.list({ prefix: alloc.ID.slice(0, 8) })).value.map((a) => a.ID)).toEqual([alloc.ID]);
    const evaluation = (await nomad.evaluations.read(alloc.EvalID)).value;
    expect(evaluation).toMatchObject({ JobID: 'canary-api', Status: 'complete' });
    expect((await nomad.evaluations.allocations(alloc.EvalID)).value.length).toBeGreaterThan(0);
    expect((await nomad.jobs.evaluations('canary-api')).value.length).toBeGreaterThan(1);
    expect((await nomad.jobs.summary('canary-api')).value.Summary['web']?.Running).toBe(2);
    expect((await nomad.jobs.scaleStatus('canary-api')).value.TaskGroups['web']).toMatchObject({ Desired: 2, Running: 2 });
  });

  it('fails a deployment, reverts with the prior-version check, scales and deregisters', async () => {
    await nomad.jobs.register(aJob('fail-api', 'api:1'));
    await advance(30);
    sandbox.admin.setScenario({ jobId: 'fail-api', version: 1 }, { kind: 'crash-loop' });
    await nomad.jobs.register(aJob('fail-api', 'api:broken'));
    await advance(2);
    const deployment = (await nomad.jobs.latestDeployment('fail-api')).value;
    expect(deployment?.Status).toBe('running');
    const failed = await nomad.deployments.fail(deployment?.ID ?? '');
    expect(failed.RevertedJobVersion).toBeNull();
    expect((await nomad.deployments.read(deployment?.ID ?? '')).value).toMatchObject({ Status: 'failed', StatusDescription: 'Deployment marked as failed' });

    const wrongVersion = await nomad.jobs.revert('fail-api', 0, { enforcePriorVersion: 7 }).catch((e: unknown) => e);
    expect(wrongVersion).toMatchObject({ status: 500, reason: 'version', expected: 7, actual: 1 });
    const reverted = await nomad.jobs.revert('fail-api', 0, { enforcePriorVersion: 1 });
    expect(reverted.JobModifyIndex).toBeGreaterThan(0);
    expect((await nomad.jobs.read('fail-api')).value.Version).toBe(2);
    await advance(60);

    const scaled = await nomad.jobs.scale('fail-api', 'web', 3, 'load test');
    expect(scaled.EvalID).not.toBe('');
    const purge = await nomad.jobs.deregister('fail-api', { purge: true });
    expect(purge.EvalID).not.toBe('');
    const gone = await nomad.jobs.read('fail-api').catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ApiError);
    expect(gone).toMatchObject({ status: 404, body: 'job not found' });
  });

  it('reports unknown deployments as Nomad does: 404 on read, 500 on actions', async () => {
    const id = '00000000-0000-0000-0000-000000000000';
    expect(await nomad.deployments.read(id).catch((e: unknown) => e)).toMatchObject({ status: 404, body: 'deployment not found' });
    expect(await nomad.deployments.promote(id, { groups: ['web'] }).catch((e: unknown) => e)).toMatchObject({ status: 500, body: 'deployment not found' });
    expect(await nomad.deployments.setAllocHealth(id, { healthy: ['a'] }).catch((e: unknown) => e)).toMatchObject({ status: 500 });
  });

  it('answers the agent-level calls', async () => {
    expect(await nomad.status.leader()).toMatch(/:4647$/);
    expect(await nomad.regions()).toEqual(['global']);
    expect((await nomad.namespaces()).map((n) => n.Name)).toContain('default');
    expect((await nomad.metrics()).Gauges.length).toBeGreaterThan(0);
  });

  it('streams the events of a job: a heartbeat first, then batches with exact timestamps', async () => {
    const controller = new AbortController();
    const items: NomadEventStreamItem[] = [];
    const watching = (async () => {
      for await (const item of nomad.events.stream({ topics: [{ topic: 'Job', key: 'events-api' }, { topic: 'Deployment', key: 'events-api' }], signal: controller.signal })) {
        items.push(item);
        if (item.type === 'events' && item.events.some((e) => e.Topic === 'Deployment')) controller.abort(new Error('seen'));
      }
    })().catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await nomad.jobs.register(aJob('events-api', 'api:1'));
    await advance(1);
    expect(await watching).toEqual(new Error('seen'));
    expect(items[0]).toEqual({ type: 'heartbeat' });
    const events = items.flatMap((i) => (i.type === 'events' ? i.events : []));
    expect(events.find((e) => e.Topic === 'Job')?.Payload.Job?.SubmitTime).toMatch(/^\d{19}$/);
    expect(events.find((e) => e.Topic === 'Deployment')?.Payload.Deployment?.JobID).toBe('events-api');
  });

  it('resumes the stream after the sandbox drops it, from the index after the last batch', async () => {
    const controller = new AbortController();
    const reconnects: EventStreamReconnect[] = [];
    const indexes: number[] = [];
    const watching = (async () => {
      for await (const item of resumableEventStream(nomad, {
        topics: [{ topic: 'Job', key: 'resume-api' }], signal: controller.signal, reconnect: { baseDelayMs: 5 }, onReconnect: (e) => reconnects.push(e),
      })) {
        if (item.type !== 'events') continue;
        indexes.push(item.index);
        if (indexes.length === 2) controller.abort(new Error('done'));
      }
    })().catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await nomad.jobs.register(aJob('resume-api', 'api:1'));
    await expect.poll(() => indexes.length).toBe(1);
    sandbox.admin.disconnectEventStreams();
    await expect.poll(() => reconnects.length).toBe(1);
    await nomad.jobs.register(aJob('resume-api', 'api:2'));
    expect(await watching).toEqual(new Error('done'));
    expect(reconnects[0]?.index).toBe((indexes[0] ?? 0) + 1);
    expect(indexes[1]).toBeGreaterThan(indexes[0] ?? 0);
  });

  it('retries reads through injected faults, never writes, and keeps the token out of everything', async () => {
    retries.length = 0;
    sandbox.admin.injectFault({ service: 'nomad', method: 'GET', path: '/v1/job/', kind: 'drop', times: 1 });
    sandbox.admin.injectFault({ service: 'nomad', method: 'GET', path: '/v1/job/', kind: 'leader-loss', times: 1 });
    await nomad.jobs.register(aJob('fault-api', 'api:1'));
    expect((await nomad.jobs.read('fault-api')).value.ID).toBe('fault-api');
    expect(retries.map((r) => r.error.code ?? r.error.status)).toEqual(['ECONNRESET', 500]);
    sandbox.admin.injectFault({ service: 'nomad', method: 'POST', path: '/v1/jobs', kind: 'error', status: 503, message: 'overloaded', times: 1 });
    const error = await nomad.jobs.register(aJob('fault-api', 'api:2')).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503 });
    expect(retries).toHaveLength(2);
    for (const text of [inspect(error, { depth: 20, showHidden: true }), JSON.stringify(error), inspect(retries, { depth: 20 })]) expect(text).not.toContain(TOKEN);
    sandbox.admin.clearFaults();
  });

  it('maps a wrong token to a 403 ApiError that does not carry it', async () => {
    const intruder = createNomadClient({ address: sandbox.addresses.nomad, token: SENTINELS.CONSUL_HTTP_TOKEN });
    const error = await intruder.jobs.list().catch((e: unknown) => e);
    intruder.close();
    expect(error).toMatchObject({ service: 'nomad', status: 403, body: 'ACL token not found' });
    expect(inspect(error, { depth: 20, showHidden: true })).not.toContain(SENTINELS.CONSUL_HTTP_TOKEN);
  });
});
