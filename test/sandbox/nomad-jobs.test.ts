import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, aJob, startHarness } from './nomad-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ nomad: { namespaces: ['shop'] } });
});
afterEach(() => h.close());

describe('job registration', () => {
  it('registers a job at version 0 and answers JobRegisterResponse with a Warnings string', async () => {
    const answer = await h.register(aJob());
    expect(answer.status).toBe(200);
    // aJob's group has a service and no shutdown_delay: Nomad 2.0.5 says so (see nomad-warnings.test.ts).
    expect(answer.json).toMatchObject({ EvalCreateIndex: answer.json.JobModifyIndex, Warnings: '1 warning:\n\n* group "web" defines services, but neither the group nor any of its tasks have shutdown_delay set', KnownLeader: true, NextToken: '' });
    expect(answer.json.EvalID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(answer.headers.get('x-nomad-index')).toBe(String(answer.json.Index));
    const job = (await h.get('/v1/job/web')).json;
    expect(job).toMatchObject({ ID: 'web', Version: 0, Stable: false, Status: 'pending', Namespace: 'default', Priority: 50, Region: 'global' });
    // Canonicalized: job-level Update keeps only Stagger and MaxParallel; groups get the merged strategy.
    expect(job.Update).toMatchObject({ Stagger: 30e9, MaxParallel: 1, HealthCheck: '', MinHealthyTime: 0 });
    expect(job.TaskGroups[0].Update).toMatchObject({ HealthCheck: 'checks', MinHealthyTime: 10e9, MaxParallel: 1 });
    expect(job.TaskGroups[0].RestartPolicy).toEqual({ Attempts: 2, Interval: 1800e9, Delay: 15e9, Mode: 'fail', RenderTemplates: false });
  });

  it('keeps the version and JobModifyIndex of an unchanged job but still creates an evaluation', async () => {
    const first = (await h.register(aJob())).json;
    const second = (await h.register(aJob())).json;
    expect(second.JobModifyIndex).toBe(first.JobModifyIndex);
    expect(second.EvalID).not.toBe(first.EvalID);
    expect((await h.get('/v1/job/web')).json.Version).toBe(0);
    const changed = (await h.register(aJob({ image: 'example/web:2.0.0' }))).json;
    expect(changed.JobModifyIndex).toBeGreaterThan(first.JobModifyIndex);
    expect((await h.get('/v1/job/web')).json.Version).toBe(1);
  });

  it('enforces the job modify index with Nomad\'s 500 texts', async () => {
    const created = await h.register(aJob(), { EnforceIndex: true, JobModifyIndex: 0 });
    expect(created.status).toBe(200);
    const again = await h.register(aJob(), { EnforceIndex: true, JobModifyIndex: 0 });
    expect(again.status).toBe(500);
    expect(again.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(again.text).toBe('Enforcing job modify index 0: job already exists');
    const stale = await h.register(aJob({ image: 'x:2' }), { EnforceIndex: true, JobModifyIndex: 1 });
    expect(stale.text).toBe(`Enforcing job modify index 1: job exists with conflicting job modify index: ${created.json.JobModifyIndex}`);
    const missing = await h.register(aJob({ id: 'other' }), { EnforceIndex: true, JobModifyIndex: 7 });
    expect(missing.text).toBe('Enforcing job modify index 7: job does not exist');
    const ok = await h.register(aJob({ image: 'x:2' }), { EnforceIndex: true, JobModifyIndex: created.json.JobModifyIndex });
    expect(ok.status).toBe(200);
  });

  it('keeps current group counts with PreserveCounts', async () => {
    await h.register(aJob({ count: 3 }));
    await h.register(aJob({ count: 1, image: 'x:2' }), { PreserveCounts: true });
    expect((await h.get('/v1/job/web')).json.TaskGroups[0].Count).toBe(3);
  });

  it('stores the submission and warns when max_parallel exceeds a count above 1', async () => {
    const answer = await h.register(aJob({ count: 2, update: { MaxParallel: 3 } }), { Submission: { Source: 'job "web" {}', Format: 'hcl2', VariableFlags: { a: '1' } } });
    expect(answer.json.Warnings).toContain('Update max parallel count is greater than task group count (3 > 2)');
    const submission = await h.get('/v1/job/web/submission?version=0');
    expect(submission.json).toMatchObject({ Source: 'job "web" {}', Format: 'hcl2', VariableFlags: { a: '1' }, JobID: 'web', Version: 0, Namespace: 'default' });
    expect((await h.get('/v1/job/web/submission?version=9')).text).toBe('job source not found');
  });

  it('rejects bad bodies the way the Nomad agent does', async () => {
    expect(await h.call('POST', '/v1/jobs', '')).toMatchObject({ status: 400, text: 'Request body is empty' });
    expect(await h.call('POST', '/v1/jobs', {})).toMatchObject({ status: 400, text: 'Job must be specified' });
    expect(await h.call('POST', '/v1/jobs', { Job: { Type: 'service' } })).toMatchObject({ status: 400, text: "Job ID hasn't been provided" });
    expect(await h.call('POST', '/v1/job/other', { Job: aJob() })).toMatchObject({ status: 400, text: 'Job ID does not match name' });
    const job = aJob();
    job.TaskGroups[0].Update.MinHealthyTime = '10s';
    const duration = await h.register(job);
    expect(duration.status).toBe(400);
    expect(duration.text).toBe('json: cannot unmarshal string into Go struct field UpdateStrategy.Job.TaskGroups.Update.MinHealthyTime of type time.Duration');
    const invalid = await h.register({ ID: 'x', TaskGroups: [] });
    expect(invalid).toMatchObject({ status: 500, text: '1 error occurred:\n\t* Missing job task groups\n\n' });
    expect(await h.call('PATCH', '/v1/jobs')).toMatchObject({ status: 405, text: 'Invalid method' });
    expect((await h.register(aJob(), { EvalPriority: 101 })).text).toBe('Eval priority must be between 1 and 100 inclusively');
  });

  it('accepts PUT as well as POST and matches body keys case-insensitively', async () => {
    const answer = await h.call('PUT', '/v1/jobs', { job: aJob(), enforceindex: true, jobmodifyindex: 0 });
    expect(answer.status).toBe(200);
    expect((await h.call('PUT', '/v1/jobs', { Job: aJob(), EnforceIndex: true, JobModifyIndex: 0 })).status).toBe(500);
  });

  it('answers 404 job not found with an X-Nomad-Index header', async () => {
    const answer = await h.get('/v1/job/missing');
    expect(answer).toMatchObject({ status: 404, text: 'job not found' });
    // The jobs table was never written: Nomad 2.0.5 answers index 0 then (test/sandbox/nomad-real-behaviour.test.ts).
    expect(answer.headers.get('x-nomad-index')).toBe('0');
    expect((await h.get('/v1/job/missing/allocations')).json).toEqual([]);
    expect((await h.get('/v1/job/missing/deployment')).text).toBe('null');
  });

  it('creates no evaluation for periodic jobs, which count as running', async () => {
    const periodic = { ...aJob({ type: 'batch', update: null }), Periodic: { Enabled: true, Spec: '0 3 * * *', SpecType: 'cron', ProhibitOverlap: true, TimeZone: 'UTC' } };
    const answer = await h.register(periodic);
    expect(answer.json).toMatchObject({ EvalID: '', EvalCreateIndex: 0 });
    expect((await h.get('/v1/job/web')).json.Status).toBe('running');
    expect((await h.get('/v1/jobs')).json[0]).toMatchObject({ Periodic: true, ParameterizedJob: false });
  });

  it('rejects jobs in a namespace that does not exist', async () => {
    const answer = await h.call('POST', '/v1/jobs?namespace=nope', { Job: aJob() });
    expect(answer).toMatchObject({ status: 500, text: 'job "web" is in nonexistent namespace "nope"' });
  });
});

describe('job lists', () => {
  it('filters by prefix, namespace (including *) and adds Meta with meta=true', async () => {
    await h.register({ ...aJob({ id: 'web' }), Meta: { team: 'a' } });
    await h.register(aJob({ id: 'worker' }));
    await h.call('POST', '/v1/jobs?namespace=shop', { Job: aJob({ id: 'api' }) });
    const all = (await h.get('/v1/jobs')).json;
    expect(all.map((j: any) => j.ID)).toEqual(['web', 'worker']);
    expect(all[0]).not.toHaveProperty('Meta');
    expect(all[0].JobSummary.Summary.web).toMatchObject({ Queued: 0, Running: 0, Starting: 0 });
    expect((await h.get('/v1/jobs?prefix=wo')).json.map((j: any) => j.ID)).toEqual(['worker']);
    expect((await h.get('/v1/jobs?namespace=shop')).json.map((j: any) => j.ID)).toEqual(['api']);
    expect((await h.get('/v1/jobs?namespace=*')).json).toHaveLength(3);
    expect((await h.get('/v1/jobs?meta=true')).json[0].Meta).toEqual({ team: 'a' });
  });
});

describe('versions, revert, stable, purge', () => {
  it('lists versions newest first with diffs', async () => {
    await h.register(aJob());
    await h.register(aJob({ image: 'example/web:2.0.0' }));
    const answer = (await h.get('/v1/job/web/versions?diffs=true')).json;
    expect(answer.Versions.map((v: any) => v.Version)).toEqual([1, 0]);
    expect(answer.Diffs).toHaveLength(1);
    expect(answer.Diffs[0]).toMatchObject({ Type: 'Edited', ID: 'web' });
    const task = answer.Diffs[0].TaskGroups[0].Tasks[0];
    expect(task.Fields).toContainEqual({ Type: 'Edited', Name: 'Config[image]', Old: 'example/web:1.0.0', New: 'example/web:2.0.0', Annotations: null });
    expect((await h.get('/v1/job/none/versions')).text).toBe('job versions not found');
  });

  it('reverts to an older version as a new version, with the exact errors', async () => {
    await h.register(aJob());
    await h.register(aJob({ image: 'example/web:2.0.0' }));
    const revert = (body: unknown) => h.call('POST', '/v1/job/web/revert', body);
    expect(await revert({ JobVersion: 0 })).toMatchObject({ status: 400, text: 'JobID must be specified' });
    expect(await revert({ JobID: 'web', JobVersion: 1 })).toMatchObject({ status: 500, text: "can't revert to current version" });
    expect(await revert({ JobID: 'web', JobVersion: 5 })).toMatchObject({ status: 500, text: 'job "web" in namespace "default" at version 5 not found' });
    expect(await revert({ JobID: 'web', JobVersion: 0, EnforcePriorVersion: 0 })).toMatchObject({ status: 500, text: 'Current job has version 1; enforcing version 0' });
    expect(await h.call('POST', '/v1/job/nope/revert', { JobID: 'nope', JobVersion: 0 })).toMatchObject({ status: 500, text: 'job "nope" not found' });
    const ok = await revert({ JobID: 'web', JobVersion: 0 });
    expect(ok.status).toBe(200);
    const job = (await h.get('/v1/job/web')).json;
    expect(job.Version).toBe(2);
    expect(job.TaskGroups[0].Tasks[0].Config.image).toBe('example/web:1.0.0');
  });

  it('marks a version stable and answers {Index}', async () => {
    await h.register(aJob());
    const answer = await h.call('POST', '/v1/job/web/stable', { JobID: 'web', JobVersion: 0, Stable: true });
    expect(Object.keys(answer.json)).toEqual(['Index']);
    expect((await h.get('/v1/job/web')).json.Stable).toBe(true);
  });

  it('stops a job (new version with Stop) or purges it', async () => {
    await h.register(aJob());
    const stop = await h.call('DELETE', '/v1/job/web');
    expect(Object.keys(stop.json)).toEqual(['EvalID', 'EvalCreateIndex', 'JobModifyIndex', 'VolumeEvalID', 'VolumeEvalIndex', 'Index', 'LastContact', 'KnownLeader', 'NextToken']);
    expect((await h.get('/v1/job/web')).json).toMatchObject({ Stop: true, Version: 1 });
    await h.call('DELETE', '/v1/job/web?purge=true');
    expect((await h.get('/v1/job/web')).status).toBe(404);
  });
});

describe('ACL', () => {
  it('requires the management token when one is configured', async () => {
    const secured = await startHarness({ nomad: { aclToken: 'secret-token' } });
    try {
      expect(await secured.get('/v1/jobs')).toMatchObject({ status: 403, text: 'Permission denied' });
      expect(await secured.call('GET', '/v1/jobs', undefined, { 'X-Nomad-Token': 'wrong' })).toMatchObject({ status: 403, text: 'ACL token not found' });
      expect((await secured.call('GET', '/v1/jobs', undefined, { 'X-Nomad-Token': 'secret-token' })).status).toBe(200);
      expect((await secured.call('GET', '/v1/jobs', undefined, { Authorization: 'bearer secret-token' })).status).toBe(200);
      expect((await secured.get('/v1/status/leader')).status).toBe(200);
      // 2.0.x hijacks the connection before checking the token: 200, then an empty, closed stream.
      expect(await secured.get('/v1/event/stream')).toMatchObject({ status: 200, text: '' });
      expect((await secured.get('/v1/event/stream?topic=a:b:c')).status).toBe(400); // query checked before the token
    } finally {
      await secured.close();
    }
  });
});
