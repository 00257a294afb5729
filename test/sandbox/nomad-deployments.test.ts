import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type Json, aJob, allocs, deployment, live, seconds, startHarness } from './nomad-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

async function deployV0(job: Json = aJob()): Promise<void> {
  await h.register(job);
  await h.advance(seconds(30));
  expect((await deployment(h, String(job.ID))).Status).toBe('successful');
}

describe('initial deployment', () => {
  it('places every allocation at once, runs them and marks the version stable', async () => {
    await h.register(aJob({ count: 3 }));
    await h.advance(50);
    const placed = await allocs(h, 'web');
    expect(placed.map((a) => a.Name).sort()).toEqual(['web.web[0]', 'web.web[1]', 'web.web[2]']);
    expect(placed.every((a) => a.ClientStatus === 'pending' && a.JobVersion === 0)).toBe(true);
    const d = await deployment(h, 'web');
    expect(d).toMatchObject({ Status: 'running', StatusDescription: 'Deployment is running', JobVersion: 0 });
    expect(d.TaskGroups.web).toMatchObject({ DesiredTotal: 3, PlacedAllocs: 3, HealthyAllocs: 0, DesiredCanaries: 0, PlacedCanaries: null });
    expect(d.TaskGroups.web.RequireProgressBy).toMatch(/^\d{4}-\d\d-\d\dT/);
    await h.advance(seconds(5));
    expect((await allocs(h, 'web')).every((a) => a.ClientStatus === 'running' && a.DeploymentStatus === null)).toBe(true);
    await h.advance(seconds(10));
    const done = await deployment(h, 'web');
    expect(done).toMatchObject({ Status: 'successful', StatusDescription: 'Deployment completed successfully' });
    expect(done.TaskGroups.web.HealthyAllocs).toBe(3);
    expect((await h.get('/v1/job/web')).json).toMatchObject({ Stable: true, Status: 'running' });
  });
});

describe('rolling update', () => {
  it('replaces allocations in max_parallel batches, never more than max_parallel unhealthy', async () => {
    await deployV0(aJob({ count: 3 }));
    await h.register(aJob({ count: 3, image: 'example/web:2.0.0' }));
    let worst = 0;
    for (let t = 0; t < 60; t++) {
      await h.advance(seconds(1));
      const pending = live(await allocs(h, 'web')).filter((a) => a.JobVersion === 1 && a.DeploymentStatus?.Healthy !== true);
      worst = Math.max(worst, pending.length);
    }
    expect(worst).toBe(1);
    const final = await allocs(h, 'web');
    expect(live(final).map((a) => a.JobVersion)).toEqual([1, 1, 1]);
    expect(final.filter((a) => a.DesiredStatus === 'stop').map((a) => a.DesiredDescription)).toEqual(Array(3).fill('alloc is being updated due to job update'));
    const d = await deployment(h, 'web');
    expect(d).toMatchObject({ Status: 'successful', JobVersion: 1 });
    expect((await h.get('/v1/job/web/versions')).json.Versions.map((v: Json) => [v.Version, v.Stable])).toEqual([[1, true], [0, true]]);
  });

  it('creates no deployment and replaces everything at once with max_parallel = 0', async () => {
    await h.register(aJob({ count: 3, update: { MaxParallel: 0 } }));
    await h.advance(seconds(5));
    expect(await deployment(h, 'web')).toBeNull();
    await h.register(aJob({ count: 3, update: { MaxParallel: 0 }, image: 'example/web:2.0.0' }));
    await h.advance(100);
    const list = await allocs(h, 'web');
    expect(live(list).map((a) => a.JobVersion)).toEqual([1, 1, 1]);
    expect(list.filter((a) => a.DesiredStatus === 'stop')).toHaveLength(3);
  });

  it('rolls a system job node by node', async () => {
    await deployV0(aJob({ type: 'system' }));
    await h.register(aJob({ type: 'system', image: 'example/web:2.0.0' }));
    await h.advance(seconds(5));
    expect(live(await allocs(h, 'web')).map((a) => a.JobVersion).sort()).toEqual([0, 0, 1]);
    await h.advance(seconds(60));
    expect(live(await allocs(h, 'web')).map((a) => a.JobVersion)).toEqual([1, 1, 1]);
    expect(await deployment(h, 'web')).toMatchObject({ Status: 'successful', JobVersion: 1 });
  });

  it('cancels the previous deployment when a newer version is registered', async () => {
    await h.register(aJob());
    await h.advance(seconds(2));
    const first = await deployment(h, 'web');
    await h.register(aJob({ image: 'example/web:2.0.0' }));
    await h.advance(100);
    expect((await h.get(`/v1/deployment/${first.ID}`)).json).toMatchObject({ Status: 'cancelled', StatusDescription: 'Cancelled due to newer version of job' });
  });
});

describe('canaries', () => {
  it('waits for manual promotion, then replaces the rest; canaries carry CanaryTags in Consul', async () => {
    await deployV0(aJob({ count: 3, update: { Canary: 1 } }));
    await h.register(aJob({ count: 3, update: { Canary: 1 }, image: 'example/web:2.0.0' }));
    await h.advance(100);
    const d = await deployment(h, 'web');
    expect(d).toMatchObject({ Status: 'running', StatusDescription: 'Deployment is running but requires manual promotion' });
    expect(d.TaskGroups.web).toMatchObject({ DesiredCanaries: 1, DesiredTotal: 3, Promoted: false });
    const promote = (body: unknown, id = d.ID) => h.call('POST', `/v1/deployment/promote/${id}`, body);
    expect(await promote({ DeploymentID: d.ID, All: true })).toMatchObject({ status: 500, text: '1 error occurred:\n\t* Task group "web" has 0/1 healthy allocations\n\n' });
    expect(await promote({ All: true })).toMatchObject({ status: 400, text: 'DeploymentID must be specified' });
    expect(await promote({ DeploymentID: 'x', All: true })).toMatchObject({ status: 400, text: 'Deployment ID does not match' });
    const unknown = '00000000-0000-0000-0000-000000000000';
    expect(await promote({ DeploymentID: unknown, All: true }, unknown)).toMatchObject({ status: 500, text: 'deployment not found' });
    // The body is checked before the lookup: an unknown deployment without DeploymentID is a 400.
    expect(await promote({ All: true }, unknown)).toMatchObject({ status: 400, text: 'DeploymentID must be specified' });

    await h.advance(seconds(20));
    const waiting = await deployment(h, 'web');
    expect(waiting.TaskGroups.web).toMatchObject({ HealthyAllocs: 1, PlacedAllocs: 1, Promoted: false });
    expect(waiting.TaskGroups.web.PlacedCanaries).toHaveLength(1);
    const canary = (await allocs(h, 'web')).find((a) => a.ID === waiting.TaskGroups.web.PlacedCanaries[0])!;
    expect(canary.DeploymentStatus).toMatchObject({ Canary: true, Healthy: true });
    expect(live(await allocs(h, 'web'))).toHaveLength(4);
    const tags = async () => ((await h.call('GET', `${h.consul}/v1/health/service/web`)).json as Json[]).map((e) => [e.Service.ID.includes(canary.ID), e.Service.Tags]);
    expect(await tags()).toContainEqual([true, ['canary']]);

    const promoted = await promote({ DeploymentID: d.ID, All: true });
    expect(promoted.status).toBe(200);
    expect(promoted.json).toMatchObject({ DeploymentModifyIndex: promoted.json.Index, RevertedJobVersion: null });
    expect(await tags()).toContainEqual([true, ['v1', 'urlprefix-/web']]);
    await h.advance(seconds(60));
    expect(await deployment(h, 'web')).toMatchObject({ Status: 'successful' });
    const final = live(await allocs(h, 'web'));
    expect(final.map((a) => [a.Name, a.JobVersion]).sort()).toEqual([['web.web[0]', 1], ['web.web[1]', 1], ['web.web[2]', 1]]);
    expect(await promote({ DeploymentID: d.ID, All: true })).toMatchObject({ status: 500, text: "can't promote terminal deployment" });
  });

  it('promotes automatically with auto_promote', async () => {
    await deployV0(aJob({ update: { Canary: 1, AutoPromote: true } }));
    await h.register(aJob({ update: { Canary: 1, AutoPromote: true }, image: 'example/web:2.0.0' }));
    await h.advance(100);
    expect((await deployment(h, 'web')).StatusDescription).toBe('Deployment is running pending automatic promotion');
    await h.advance(seconds(60));
    const d = await deployment(h, 'web');
    expect(d).toMatchObject({ Status: 'successful' });
    expect(d.TaskGroups.web.Promoted).toBe(true);
  });

  it('completes when the canary replaced the only allocation: stopping the old one is not work left (count = canaries = 1)', async () => {
    await deployV0(aJob({ count: 1, update: { Canary: 1, AutoPromote: true } }));
    await h.register(aJob({ count: 1, update: { Canary: 1, AutoPromote: true }, image: 'example/web:2.0.0' }));
    await h.advance(seconds(60));
    expect(await deployment(h, 'web')).toMatchObject({ Status: 'successful', JobVersion: 1 });
    expect(live(await allocs(h, 'web')).map((a) => a.JobVersion)).toEqual([1]);
  });
});

describe('failing deployments', () => {
  it('fails by API and auto-reverts to the latest stable version as a new version and deployment', async () => {
    await deployV0(aJob({ update: { AutoRevert: true } }));
    await h.register(aJob({ update: { AutoRevert: true }, image: 'example/web:2.0.0' }));
    await h.advance(100);
    const d = await deployment(h, 'web');
    const failed = await h.call('POST', `/v1/deployment/fail/${d.ID}`);
    expect(failed.json).toMatchObject({ RevertedJobVersion: 0 });
    expect((await h.get(`/v1/deployment/${d.ID}`)).json).toMatchObject({ Status: 'failed', StatusDescription: 'Deployment marked as failed - rolling back to job version 0' });
    const job = (await h.get('/v1/job/web')).json;
    expect(job.Version).toBe(2);
    expect(job.TaskGroups[0].Tasks[0].Config.image).toBe('example/web:1.0.0');
    await h.advance(seconds(40));
    const revert = await deployment(h, 'web');
    expect(revert).toMatchObject({ JobVersion: 2, Status: 'successful' });
    expect(await h.call('POST', `/v1/deployment/fail/${d.ID}`)).toMatchObject({ status: 500, text: "can't fail terminal deployment" });
  });

  it('fails at the progress deadline when checks never pass, with Nomad 2.0.5\'s min_healthy_time text on the allocation', async () => {
    await deployV0(aJob({ update: { AutoRevert: true, HealthyDeadline: 20e9, ProgressDeadline: 30e9 } }));
    await h.scenario('web', { kind: 'health-check-fails' }, { version: 1 });
    await h.register(aJob({ update: { AutoRevert: true, HealthyDeadline: 20e9, ProgressDeadline: 30e9 }, image: 'example/web:2.0.0' }));
    await h.advance(seconds(25));
    const unhealthy = (await allocs(h, 'web')).find((a) => a.JobVersion === 1)!;
    expect(unhealthy.DeploymentStatus.Healthy).toBe(false);
    const full = (await h.get(`/v1/allocation/${unhealthy.ID}`)).json;
    const events = full.TaskStates.web.Events;
    // The tracker's deadline is Go's zero time (client/allochealth/tracker.go TaskEvents), so a
    // running task reads as "not running for min_healthy_time" whatever failed; seen on a real agent.
    const text = 'Task not running for min_healthy_time of 10s by healthy_deadline of 20s';
    expect(events.at(-1)).toMatchObject({ Type: 'Alloc Unhealthy', Message: text, DisplayMessage: text, Details: { message: text } });
    await h.advance(seconds(10));
    const d = (await h.get('/v1/job/web/deployments')).json.find((x: Json) => x.JobVersion === 1);
    expect(d).toMatchObject({ Status: 'failed', StatusDescription: 'Failed due to progress deadline - rolling back to job version 0' });
  });

  it('fails at the first unhealthy allocation when the group has no reschedule attempt left, without waiting for the progress deadline', async () => {
    // nomad/deploymentwatcher/deployment_watcher.go shouldFailEarly: an unhealthy allocation Nomad
    // cannot replace (RescheduleEligible is false) fails the deployment at once.
    await h.scenario('web', { kind: 'health-check-fails' });
    const job = aJob({ count: 1, update: { HealthyDeadline: 20e9, ProgressDeadline: 120e9 } });
    job.TaskGroups[0].ReschedulePolicy = { Attempts: 0, Interval: 0, Delay: 5e9, DelayFunction: 'constant', MaxDelay: 0, Unlimited: false };
    await h.register(job);
    await h.advance(seconds(19));
    expect(await deployment(h, 'web')).toMatchObject({ Status: 'running' });
    await h.advance(seconds(2));
    expect(await deployment(h, 'web')).toMatchObject({ Status: 'failed', StatusDescription: 'Failed due to unhealthy allocations' });
  });

  it('fails at the first unhealthy allocation when progress_deadline is 0', async () => {
    await h.scenario('web', { kind: 'health-check-fails' });
    await h.register(aJob({ update: { HealthyDeadline: 20e9, ProgressDeadline: 0 } }));
    await h.advance(seconds(25));
    expect(await deployment(h, 'web')).toMatchObject({ Status: 'failed', StatusDescription: 'Failed due to unhealthy allocations' });
  });
});

describe('manual health', () => {
  it('leaves health to POST /v1/deployment/allocation-health with health_check = manual', async () => {
    await h.register(aJob({ update: { HealthCheck: 'manual' } }));
    await h.advance(seconds(30));
    const d = await deployment(h, 'web');
    expect(d.Status).toBe('running');
    const ids = (await allocs(h, 'web')).map((a) => a.ID);
    expect(await h.call('POST', `/v1/deployment/allocation-health/${d.ID}`, { DeploymentID: d.ID })).toMatchObject({ status: 500, text: 'must specify at least one healthy/unhealthy allocation ID' });
    const answer = await h.call('POST', `/v1/deployment/allocation-health/${d.ID}`, { DeploymentID: d.ID, HealthyAllocationIDs: ids });
    expect(answer.status).toBe(200);
    await h.advance(100);
    expect(await deployment(h, 'web')).toMatchObject({ Status: 'successful' });
  });
});

describe('scale', () => {
  it('scales a group as a new version and refuses during an active deployment', async () => {
    await h.register(aJob());
    await h.advance(100);
    expect(await h.call('POST', '/v1/job/web/scale', { Count: 3, Target: { Group: 'web' } })).toMatchObject({ status: 400, text: 'job scaling blocked due to active deployment' });
    await h.advance(seconds(30));
    expect(await h.call('POST', '/v1/job/web/scale', { Count: 3, Target: { Group: 'nope' } })).toMatchObject({ status: 400, text: 'task group "nope" specified for scaling does not exist in job' });
    const scaled = await h.call('POST', '/v1/job/web/scale', { Count: 4, Target: { Group: 'web' }, Message: 'load' });
    expect(scaled.json).toMatchObject({ Warnings: '' });
    await h.advance(seconds(30));
    const status = (await h.get('/v1/job/web/scale')).json;
    expect(status.TaskGroups.web).toMatchObject({ Desired: 4, Placed: 4, Running: 4, Healthy: 4, Unhealthy: 0 });
    expect(status.TaskGroups.web.Events[0]).toMatchObject({ Count: 4, PreviousCount: 2, Message: 'load', Error: false });
  });
});
