import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type Json, aJob, allocs, seconds, startHarness } from './nomad-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

describe('JSON encoding', () => {
  it('writes unix-nano times as exact integers beyond 2^53', async () => {
    await h.register(aJob({ count: 1 }));
    await h.advance(seconds(2));
    const [stub] = await allocs(h, 'web');
    const raw = (await h.get(`/v1/allocation/${stub!.ID}`)).text;
    const times = [...raw.matchAll(/"(CreateTime|ModifyTime|Time|SubmitTime)":(\d+)/g)];
    expect(times.length).toBeGreaterThan(3);
    for (const [, , digits] of times) {
      expect(digits!.length).toBe(19);
      expect(BigInt(digits!)).toBeGreaterThan(2n ** 53n);
      // A double cannot hold these digits: parsing with JSON.parse changes the value.
      expect(BigInt(Math.round(Number(digits)))).not.toBe(BigInt(digits!));
    }
  });

  it('omits empty fields of Allocation and Evaluation but not of AllocListStub', async () => {
    await h.register(aJob({ type: 'batch', count: 1, update: null }));
    await h.advance(seconds(2));
    const [stub] = await allocs(h, 'web');
    expect(stub).toMatchObject({ DesiredDescription: '', FollowupEvalID: '', NextAllocation: '', RescheduleTracker: null, DeploymentStatus: null });
    expect(stub).not.toHaveProperty('DeploymentID');
    const full = (await h.get(`/v1/allocation/${stub!.ID}`)).json;
    for (const key of ['DeploymentID', 'DesiredDescription', 'PreviousAllocation', 'NextAllocation', 'FollowupEvalID', 'DeploymentStatus', 'RescheduleTracker']) {
      expect(full).not.toHaveProperty(key);
    }
    expect(full).toMatchObject({ ClientStatus: 'running', DesiredStatus: 'run', JobID: 'web', Job: { ID: 'web' } });
    const evaluation = (await h.get(`/v1/evaluation/${stub!.EvalID}`)).json;
    for (const key of ['BlockedEval', 'NextEval', 'PreviousEval', 'DeploymentID', 'StatusDescription', 'FailedTGAllocs', 'Wait', 'WaitUntil']) {
      expect(evaluation).not.toHaveProperty(key);
    }
    expect(evaluation).toMatchObject({ Status: 'complete', TriggeredBy: 'job-register', QueuedAllocations: { web: 0 } });
  });

  it('encodes zero times as null', async () => {
    await h.register(aJob({ count: 1 }));
    await h.advance(seconds(2));
    const [stub] = await allocs(h, 'web');
    expect(stub!.TaskStates.web).toMatchObject({ State: 'running', FinishedAt: null, LastRestart: null, StartedAt: expect.stringMatching(/^\d{4}-.+Z$/) });
    const job = (await h.get('/v1/job/web')).json;
    expect(job).toMatchObject({ Periodic: null, ParameterizedJob: null, Stop: false });
  });

  it('pretty-prints with ?pretty', async () => {
    const answer = await h.get('/v1/namespaces?pretty');
    expect(answer.text.startsWith('[\n    {\n        "Name": "default"')).toBe(true);
  });

  it('answers unknown paths like the Nomad mux', async () => {
    expect(await h.get('/v1/nope')).toMatchObject({ status: 404, text: '404 page not found\n' });
    expect(await h.get('/v1/job/web/nope')).toMatchObject({ status: 404, text: 'resource not found' });
    expect(await h.call('POST', '/v1/deployments')).toMatchObject({ status: 405, text: 'Invalid method' });
  });
});

describe('plan', () => {
  it('shows placements, a diff and JobModifyIndex 0 for a new job', async () => {
    const plan = (await h.call('POST', '/v1/job/web/plan', { Job: aJob(), Diff: true })).json;
    expect(plan.JobModifyIndex).toBe(0);
    expect(plan.Annotations.DesiredTGUpdates.web).toMatchObject({ Place: 2, Ignore: 0, DestructiveUpdate: 0 });
    expect(plan.Diff).toMatchObject({ Type: 'Added', ID: 'web' });
    expect(plan.Diff.TaskGroups[0]).toMatchObject({ Type: 'Added', Name: 'web', Updates: { create: 2 } });
    expect(plan.Diff.TaskGroups[0].Tasks[0]).toMatchObject({ Type: 'Added', Name: 'web', Annotations: ['forces create'] });
    expect(plan).toMatchObject({ FailedTGAllocs: null, CreatedEvals: null, Warnings: '1 warning:\n\n* group "web" defines services, but neither the group nor any of its tasks have shutdown_delay set', NextPeriodicLaunch: null });
    expect((await h.get('/v1/job/web')).status).toBe(404);
  });

  it('predicts canaries and destructive updates against the current job', async () => {
    await h.register(aJob({ count: 3, update: { Canary: 1 } }));
    await h.advance(seconds(30));
    const current = (await h.get('/v1/job/web')).json;
    const plan = (await h.call('POST', '/v1/job/web/plan', { Job: aJob({ count: 3, update: { Canary: 1 }, image: 'example/web:2' }), Diff: true })).json;
    expect(plan.JobModifyIndex).toBe(current.JobModifyIndex);
    expect(plan.Annotations.DesiredTGUpdates.web).toMatchObject({ Canary: 1, Ignore: 3, DestructiveUpdate: 0 });
    expect(plan.Diff.TaskGroups[0]).toMatchObject({ Type: 'Edited', Updates: { ignore: 3, canary: 1 } });
    expect(plan.Diff.TaskGroups[0].Tasks[0].Annotations).toEqual(['forces create/destroy update']);
    const same = (await h.call('POST', '/v1/job/web/plan', { Job: aJob({ count: 3, update: { Canary: 1 } }), Diff: true })).json;
    expect(same.Diff.Type).toBe('None');
    expect(same.Annotations.DesiredTGUpdates.web).toMatchObject({ Ignore: 3, Place: 0 });
  });

  it('reports FailedTGAllocs and a blocked evaluation when nothing fits', async () => {
    const plan = (await h.call('POST', '/v1/job/web/plan', { Job: aJob({ memoryMB: 50_000 }) })).json;
    expect(plan.FailedTGAllocs.web).toMatchObject({ DimensionExhausted: { memory: 3 }, CoalescedFailures: 1 });
    expect(plan.CreatedEvals[0]).toMatchObject({ Status: 'blocked', StatusDescription: 'created to place remaining allocations' });
    expect(plan.Diff).toBeNull();
    expect(await h.call('POST', '/v1/job/other/plan', { Job: aJob() })).toMatchObject({ status: 400, text: 'Job ID does not match' });
  });
});

describe('cluster endpoints', () => {
  it('serves leader, regions, namespaces and metrics', async () => {
    expect((await h.get('/v1/status/leader')).json).toBe('127.0.0.1:4647');
    expect((await h.get('/v1/regions')).json).toEqual(['global']);
    expect((await h.get('/v1/namespaces')).json[0]).toMatchObject({ Name: 'default', Description: 'Default shared namespace' });
    await h.register(aJob({ count: 1 }));
    await h.advance(seconds(3));
    const metrics = (await h.get('/v1/metrics')).json as Json;
    // Nomad 2.0.5 also sends PrecisionGauges (test/fixtures/recorded/nomad/get_v1_metrics.json).
    expect(Object.keys(metrics)).toEqual(['Timestamp', 'Gauges', 'Counters', 'Samples', 'Points', 'PrecisionGauges']);
    expect(metrics.Gauges).toContainEqual({ Name: 'nomad.nomad.job_summary.running', Value: 1, Labels: { job: 'web', namespace: 'default', task_group: 'web' } });
    const prometheus = (await h.get('/v1/metrics?format=prometheus')).text;
    expect(prometheus).toContain('nomad_nomad_job_summary_running{job="web",namespace="default",task_group="web"} 1');
  });
});
