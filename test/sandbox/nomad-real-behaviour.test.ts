/**
 * Behaviour of deployments with canaries that a real Nomad showed and the sandbox did not.
 * Each was observed on Nomad v2.0.5 (`nomad agent -dev`, raw_exec, with Consul 1.8.7) by
 * test/integration/deploy-real.test.ts or the run recorded in its commit, and is read from
 * Nomad's source where named.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type Json, aJob, allocs, deployment, live, seconds, startHarness } from './nomad-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const canaryJob = (image: string, update: Json = {}) => aJob({ count: 2, image, update: { Canary: 1, ...update } });

/** Version 0 deployed, then version 1 registered; resolves with version 1's deployment once its canary is healthy. */
async function healthyCanary(update: Json = {}): Promise<Json> {
  await h.register(canaryJob('example/web:1.0.0', update));
  await h.advance(seconds(30));
  expect(await deployment(h, 'web')).toMatchObject({ Status: 'successful' });
  await h.register(canaryJob('example/web:2.0.0', update));
  await h.advance(seconds(20));
  const waiting = await deployment(h, 'web');
  expect(waiting).toMatchObject({ JobVersion: 1, Status: 'running', StatusDescription: 'Deployment is running but requires manual promotion' });
  expect(waiting.TaskGroups.web).toMatchObject({ HealthyAllocs: 1, Promoted: false });
  return waiting;
}

const promote = (d: Json) => h.call('POST', `/v1/deployment/promote/${d.ID}`, { DeploymentID: d.ID, All: true });
const allocation = async (id: string) => (await h.get(`/v1/allocation/${id}`)).json as Json;
const consulInstances = async () => ((await h.call('GET', `${h.consul}/v1/health/service/web`)).json as Json[]).map((e) => e.Service.ID as string);

describe('promotion (Nomad 2.0.5 state store UpdateDeploymentPromotion)', () => {
  it('clears DeploymentStatus.Canary of the promoted canaries, and the rollout still replaces only the rest', async () => {
    const d = await healthyCanary();
    const canaryId = d.TaskGroups.web.PlacedCanaries[0];
    expect((await allocation(canaryId)).DeploymentStatus).toMatchObject({ Canary: true, Healthy: true });
    const answer = await promote(d);
    expect(answer.status).toBe(200);
    // Observed on Nomad 2.0.5: the promoted canary reads {Canary: false, Healthy: true} at once.
    const promoted = await allocation(canaryId);
    expect(promoted.DeploymentStatus).toMatchObject({ Canary: false, Healthy: true, ModifyIndex: answer.json.Index });
    expect(promoted.AllocModifyIndex).toBe(answer.json.Index);
    await h.advance(seconds(60));
    expect(await deployment(h, 'web')).toMatchObject({ Status: 'successful' });
    const running = live(await allocs(h, 'web'));
    expect(running.map((a) => [a.Name, a.JobVersion]).sort()).toEqual([['web.web[0]', 1], ['web.web[1]', 1]]);
    expect(running.map((a) => a.ID)).toContain(canaryId);
  });

  it('keeps healthy canaries waiting past the progress deadline, and gives the rest of the rollout a fresh deadline', async () => {
    // Observed on Nomad 2.0.5 with progress_deadline 10s: the deployment still "requires manual
    // promotion" 13 s after its RequireProgressBy (deploymentwatcher shouldFail passes a group
    // whose healthy canaries reach DesiredCanaries); promotion set RequireProgressBy to the
    // promotion time + 10s and the deployment completed.
    const d = await healthyCanary({ ProgressDeadline: 30e9, HealthyDeadline: 20e9 });
    await h.advance(seconds(120));
    expect(await deployment(h, 'web')).toMatchObject({ ID: d.ID, Status: 'running', StatusDescription: 'Deployment is running but requires manual promotion' });
    const now = (await h.get('/_sandbox/clock')).json.now as number;
    expect((await promote(d)).status).toBe(200);
    const promoted = await deployment(h, 'web');
    expect(Date.parse(promoted.TaskGroups.web.RequireProgressBy)).toBe(now + 30_000);
    await h.advance(seconds(60));
    expect(await deployment(h, 'web')).toMatchObject({ ID: d.ID, Status: 'successful' });
  });
});

describe('failed deployments (Nomad 2.0.5 reconciler cancelUnneededCanaries)', () => {
  it('stops the unpromoted canary of a deployment failed without auto_revert, and places no new one', async () => {
    const d = await healthyCanary();
    const canaryId = d.TaskGroups.web.PlacedCanaries[0];
    expect(await consulInstances()).toHaveLength(3);
    expect((await h.call('POST', `/v1/deployment/fail/${d.ID}`)).json).toMatchObject({ RevertedJobVersion: null });
    await h.advance(seconds(10));
    // Observed on Nomad 2.0.5: the healthy canary went to "complete/stop" with this description,
    // still marked Canary (it was never promoted); Consul kept only the two old instances.
    const canary = await allocation(canaryId);
    expect(canary).toMatchObject({ DesiredStatus: 'stop', ClientStatus: 'complete', DesiredDescription: 'alloc not needed due to job update', DeploymentStatus: { Canary: true, Healthy: true } });
    const running = live(await allocs(h, 'web'));
    expect(running.map((a) => a.JobVersion)).toEqual([0, 0]);
    expect(await consulInstances()).toHaveLength(2);
    expect((await h.get('/v1/job/web')).json.Version).toBe(1);
  });

  it('stops a failed canary of a deployment that rolled back, instead of leaving it to be rescheduled', async () => {
    await h.register(canaryJob('example/web:1.0.0', { AutoRevert: true }));
    await h.advance(seconds(30));
    await h.scenario('web', { kind: 'missing-binary' }, { version: 1 });
    await h.register(canaryJob('example/web:2.0.0', { AutoRevert: true }));
    await h.advance(seconds(2));
    const failed = (await allocs(h, 'web')).find((a) => a.JobVersion === 1)!;
    expect(failed.ClientStatus).toBe('failed');
    const d = await deployment(h, 'web');
    // drover fails such a deployment as soon as the allocation fails.
    expect((await h.call('POST', `/v1/deployment/fail/${d.ID}`)).json).toMatchObject({ RevertedJobVersion: 0 });
    await h.advance(seconds(10));
    // Observed on Nomad 2.0.5 after drover failed the deployment and Nomad reverted: failed/stop.
    expect(await allocation(failed.ID)).toMatchObject({ ClientStatus: 'failed', DesiredStatus: 'stop', DesiredDescription: 'alloc not needed due to job update' });
    expect(live(await allocs(h, 'web')).map((a) => a.JobVersion)).toEqual([2, 2]);
  });
});

describe('auto-revert after a failed promoted canary rollout (hashicorp/nomad#10882)', () => {
  it('registers the stable spec as a new version marked stable at once, whose deployment places a canary and waits for manual promotion', async () => {
    // Observed on Nomad 2.0.5 by test/integration/revert-canary-real.test.ts (count 2, canary 1,
    // auto_revert, no auto_promote): the promotion stopped both version-0 allocations, the one
    // placed after it crashed, and the revert (version 2) is Stable at once; its deployment
    // replaces the promoted version-1 canary through a canary of its own and waits.
    const job = (image: string) => {
      const spec = canaryJob(image, { AutoRevert: true });
      // As the real test: no restart, no reschedule, so the crash fails the deployment at once.
      Object.assign(spec.TaskGroups[0], { RestartPolicy: { Attempts: 0, Mode: 'fail', Interval: 60e9, Delay: 1e9 }, ReschedulePolicy: { Attempts: 0, Unlimited: false } });
      return spec;
    };
    await h.register(job('example/web:1.0.0'));
    await h.advance(seconds(30));
    await h.register(job('example/web:2.0.0'));
    await h.advance(seconds(20));
    const d = await deployment(h, 'web');
    expect(d).toMatchObject({ JobVersion: 1, Status: 'running', StatusDescription: 'Deployment is running but requires manual promotion', TaskGroups: { web: { HealthyAllocs: 1 } } });
    await h.scenario('web', { kind: 'crash-loop', crashAfterMs: 1000, exitCode: 1 }, { version: 1 });
    expect((await promote(d)).status).toBe(200);
    await h.advance(seconds(30));
    const failed = (await h.get(`/v1/deployment/${d.ID}`)).json as Json;
    expect(failed).toMatchObject({ Status: 'failed', StatusDescription: 'Failed due to unhealthy allocations - rolling back to job version 0', TaskGroups: { web: { Promoted: true, DesiredCanaries: 1, DesiredTotal: 2, UnhealthyAllocs: 1 } } });
    const versions = (await h.get('/v1/job/web/versions')).json.Versions as Json[];
    expect(versions.map((v) => [v.Version, v.Stable])).toEqual([[2, true], [1, false], [0, true]]);
    expect((await h.get('/v1/job/web')).json).toMatchObject({ Version: 2, Stable: true, Status: 'running' });
    const revert = await deployment(h, 'web');
    expect(revert).toMatchObject({ JobVersion: 2, Status: 'running', StatusDescription: 'Deployment is running but requires manual promotion', TaskGroups: { web: { DesiredCanaries: 1, DesiredTotal: 2, PlacedAllocs: 1, Promoted: false, AutoPromote: false, AutoRevert: true, HealthyAllocs: 1, UnhealthyAllocs: 0 } } });
    expect(revert.TaskGroups.web.PlacedCanaries).toHaveLength(1);
    const summary = (await allocs(h, 'web')).map((a) => `${a.JobVersion} ${a.DesiredStatus}/${a.ClientStatus}${a.DeploymentStatus?.Canary ? ' canary' : ''}`).sort();
    expect(summary).toEqual(['0 stop/complete', '0 stop/complete', '1 run/failed', '1 run/running', '2 run/running canary']);
    // Promoting the revert finishes it on version 2.
    expect((await promote(revert)).status).toBe(200);
    await h.advance(seconds(60));
    expect((await h.get(`/v1/deployment/${revert.ID}`)).json).toMatchObject({ Status: 'successful', StatusDescription: 'Deployment completed successfully', TaskGroups: { web: { Promoted: true, HealthyAllocs: 2 } } });
    expect(live(await allocs(h, 'web')).map((a) => a.JobVersion)).toEqual([2, 2]);
  });
});

describe('indexes of tables never written (Nomad 2.0.5 state.Index)', () => {
  it('answers X-Nomad-Index 0 until the first write, then the write\'s index; index=0 does not block', async () => {
    // Observed on a fresh Nomad 2.0.5 agent: 0 for these, 1 for /v1/namespaces (the default one).
    const paths = ['/v1/jobs', '/v1/deployments', '/v1/allocations', '/v1/evaluations', '/v1/job/web', '/v1/job/web/allocations', '/v1/job/web/deployments', '/v1/job/web/deployment'];
    for (const path of paths) expect((await h.get(path)).headers.get('x-nomad-index'), path).toBe('0');
    expect((await h.get('/v1/deployments?index=0&wait=5m')).status).toBe(200);
    const registered = await h.register(aJob({ type: 'batch' }));
    await h.advance(seconds(5));
    expect(Number((await h.get('/v1/jobs')).headers.get('x-nomad-index'))).toBeGreaterThanOrEqual(registered.json.JobModifyIndex);
    // A batch job makes no deployment: that table stays unwritten (drover's --watch poll then
    // re-asks /v1/job/<id>/deployments?index=0 without blocking).
    expect((await h.get('/v1/job/web/deployments')).headers.get('x-nomad-index')).toBe('0');
    expect(Number((await h.get('/v1/job/web/allocations')).headers.get('x-nomad-index'))).toBeGreaterThan(0);
  });
});
