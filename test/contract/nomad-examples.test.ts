import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, type Json, allocs, deployment, seconds, startHarness } from '../sandbox/nomad-harness.ts';
import { type Allowances, compareShapes, shapeOf } from '../sandbox/nomad-shape.ts';
import { openEventStream } from '../sandbox/nomad-stream.ts';
import { ALLOWANCES, NOT_SIMULATED } from '../sandbox/nomad-contract-allowances.ts';
import { recorded, recordedNames } from '../support/recorded.ts';

/**
 * The sandbox replays, call for call, the scenario scripts/record-fixtures.ts ran against a real
 * Nomad 2.0.5 (test/fixtures/recorded/nomad/): the same job is planned, registered, rolled out with
 * a promoted canary, then with a failed canary that auto-reverts, read back through every endpoint
 * drover reads, and so on. Each sandbox answer must have the recorded status code and content type,
 * and the recorded field names with their JSON types, recursively. Differences are allowed only
 * where nomad-contract-allowances.ts lists them, each with its reason.
 */
const SHAPE = {
  maps: new Set(['TaskStates', 'Summary', 'DesiredTGUpdates', 'FailedTGAllocs', 'QueuedAllocations', 'NodesAvailable', 'Scores', 'ClassEligibility', 'DimensionExhausted', 'ResourcesExhausted', 'ConstraintFiltered', 'Tasks', 'TaskLifecycles', 'Volumes', 'Updates', 'Versions', 'Gauges']),
  opaque: new Set(['Meta', 'Env', 'Config', 'Details', 'Labels', 'VariableFlags', 'GetterOptions', 'Payload', 'Job', 'Policy', 'Header', 'Tags']),
};
/** Deployment and scale status key TaskGroups by group name (a map), jobs list them (an array). */
const BY_GROUP = { ...SHAPE, maps: new Set([...SHAPE.maps, 'TaskGroups']) };

const JOB_ID = 'recorded-web';
const request = (name: string): Json => recorded('nomad', name).request.body as Json;

interface SandboxAnswer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: unknown;
}

let h: Harness;
const answers = new Map<string, SandboxAnswer>();

/** Calls the sandbox and keeps its answer under the recorded call's name. */
async function capture(name: string, path: string, method = 'GET', body?: unknown): Promise<Json> {
  const answer = await h.call(method, path, body);
  const contentType = answer.headers.get('content-type');
  answers.set(name, { status: answer.status, contentType, body: answer.json ?? (answer.text === '' ? null : answer.text) });
  return answer.json;
}

/** Advances sandbox time until the job's latest deployment satisfies `done`. */
async function until(jobId: string, done: (d: Json) => boolean): Promise<Json> {
  for (let i = 0; i < 60; i++) {
    const d = await deployment(h, jobId);
    if (d && done(d)) return d;
    await h.advance(seconds(1));
  }
  throw new Error(`${jobId}: deployment never reached the awaited state`);
}

const canaryHealthy = (d: Json): boolean => d.Status === 'running' && Object.values<Json>(d.TaskGroups).every((g) => g.DesiredCanaries > 0 && g.HealthyAllocs >= g.DesiredCanaries);

describe('sandbox responses match the answers recorded from Nomad 2.0.5', () => {
  beforeAll(async () => {
    h = await startHarness();
    await replayRollouts();
    await replayAfterRollouts();
    await replayManualAndBlocked();
    await replayEventStream();
    await capture('delete_v1_job_id', `/v1/job/${JOB_ID}?purge=true`, 'DELETE');
  }, 60_000);
  afterAll(() => h?.close());

  it('replays every recorded call, or lists it as not simulated', () => {
    const names = recordedNames('nomad');
    expect(names.filter((n) => !answers.has(n) && !(n in NOT_SIMULATED))).toEqual([]);
    expect(Object.keys(NOT_SIMULATED).filter((n) => !names.includes(n))).toEqual([]);
    expect(Object.keys(ALLOWANCES).filter((n) => !answers.has(n))).toEqual([]);
  });

  it('needs every allowance (an entry no answer needs any more must go)', () => {
    const unneeded = Object.entries(ALLOWANCES).flatMap(([name, allowances]) => {
      const options = allowances.shape === 'by-group' ? BY_GROUP : SHAPE;
      const found = new Set(compareShapes(shapeOf(recorded('nomad', name).body, options), shapeOf(answers.get(name)?.body, options)));
      return [...(allowances.missing ?? []).map((p) => `missing ${p}`), ...(allowances.extra ?? []).map((p) => `extra ${p}`)].filter((p) => !found.has(p)).map((p) => `${name}: ${p}`);
    });
    expect(unneeded).toEqual([]);
  });

  it('reports a renamed field and a changed JSON type (the comparison can fail)', () => {
    const real = recorded('nomad', 'get_v1_job_id').body as Json;
    const wrong = structuredClone(real);
    wrong.TaskGroups[0].CountX = wrong.TaskGroups[0].Count;
    delete wrong.TaskGroups[0].Count;
    wrong.Priority = String(wrong.Priority);
    expect(compareShapes(shapeOf(real, SHAPE), shapeOf(wrong, SHAPE))).toEqual(['type Priority: example number, sandbox string', 'missing TaskGroups[].Count', 'extra TaskGroups[].CountX']);
  });

  it.each(recordedNames('nomad').filter((n) => !(n in NOT_SIMULATED)))('%s', (name) => {
    const real = recorded('nomad', name);
    const actual = answers.get(name);
    expect(actual, `no sandbox answer for ${name}`).toBeDefined();
    expect({ status: actual!.status, contentType: actual!.contentType }).toEqual({ status: real.status, contentType: real.contentType });
    const allowances: Allowances & { shape?: 'by-group' } = ALLOWANCES[name] ?? {};
    const options = allowances.shape === 'by-group' ? BY_GROUP : SHAPE;
    const problems = compareShapes(shapeOf(real.body, options), shapeOf(actual!.body, options), allowances);
    expect(problems.join('\n'), 'fields that differ from the real answer').toBe('');
  });
});

async function replayRollouts(): Promise<void> {
  await capture('get_v1_status_leader', '/v1/status/leader');
  await capture('get_v1_regions', '/v1/regions');
  await capture('get_v1_namespaces', '/v1/namespaces');
  await capture('post_v1_job_id_plan.new', `/v1/job/${JOB_ID}/plan`, 'POST', request('post_v1_job_id_plan.new'));
  await capture('post_v1_jobs', '/v1/jobs', 'POST', request('post_v1_jobs'));
  await until(JOB_ID, (d) => d.Status === 'successful');

  const v2 = request('post_v1_job_id_plan');
  await capture('post_v1_job_id_plan', `/v1/job/${JOB_ID}/plan`, 'POST', v2);
  // The recorder sent each version with its HCL source; version 1's is what the submission read answered.
  const source = recorded('nomad', 'get_v1_job_id_submission').body as Json;
  await h.register(v2.Job, { Submission: { Source: source.Source, Format: source.Format } });
  const canary = await until(JOB_ID, canaryHealthy);
  const jobAllocs = await capture('get_v1_job_id_allocations', `/v1/job/${JOB_ID}/allocations`);
  await capture('get_v1_deployment_id', `/v1/deployment/${canary.ID}`);
  await capture('get_v1_job_id_deployment', `/v1/job/${JOB_ID}/deployment`);
  await capture('get_v1_job_id_deployments', `/v1/job/${JOB_ID}/deployments`);
  await capture('get_v1_deployments', '/v1/deployments');
  await capture('get_v1_deployment_allocations_id', `/v1/deployment/allocations/${canary.ID}`);
  await capture('get_v1_allocations', '/v1/allocations');
  const alloc = (jobAllocs as unknown as Json[]).find((a) => a.ClientStatus === 'running')!;
  await capture('get_v1_allocation_id', `/v1/allocation/${alloc.ID}`);
  await capture('get_v1_evaluation_id', `/v1/evaluation/${alloc.EvalID}`);
  await capture('get_v1_evaluation_id_allocations', `/v1/evaluation/${alloc.EvalID}/allocations`);
  await capture('get_v1_job_id_evaluations', `/v1/job/${JOB_ID}/evaluations`);
  await capture('get_v1_evaluations', '/v1/evaluations');
  await capture('get_v1_job_id_summary', `/v1/job/${JOB_ID}/summary`);
  await capture('get_v1_jobs', '/v1/jobs');
  await capture('post_v1_deployment_promote_id', `/v1/deployment/promote/${canary.ID}`, 'POST', { DeploymentID: canary.ID, All: true });
  await until(JOB_ID, (d) => d.JobVersion === 1 && d.Status === 'successful');

  const v3 = request('post_v1_job_id');
  const index = (await h.get(`/v1/job/${JOB_ID}`)).json.JobModifyIndex;
  await capture('post_v1_job_id', `/v1/job/${JOB_ID}`, 'POST', { ...v3, JobModifyIndex: index });
  await capture('post_v1_job_id.conflict', `/v1/job/${JOB_ID}`, 'POST', request('post_v1_job_id.conflict'));
  const failing = await until(JOB_ID, (d) => d.JobVersion === 2 && d.Status === 'running');
  await capture('post_v1_deployment_pause_id', `/v1/deployment/pause/${failing.ID}`, 'POST', { DeploymentID: failing.ID, Pause: true });
  await h.call('POST', `/v1/deployment/pause/${failing.ID}`, { DeploymentID: failing.ID, Pause: false });
  await capture('post_v1_deployment_fail_id', `/v1/deployment/fail/${failing.ID}`, 'POST');
  await until(JOB_ID, (d) => d.JobVersion === 3 && d.Status === 'successful');
}

async function replayAfterRollouts(): Promise<void> {
  await capture('get_v1_job_id', `/v1/job/${JOB_ID}`);
  await capture('get_v1_job_id_versions', `/v1/job/${JOB_ID}/versions`);
  await capture('get_v1_job_id_versions_diffs', `/v1/job/${JOB_ID}/versions?diffs=true`);
  await capture('get_v1_job_id_submission', `/v1/job/${JOB_ID}/submission?version=1`);
  await capture('get_v1_job_id_scale', `/v1/job/${JOB_ID}/scale`);
  await capture('get_v1_metrics', '/v1/metrics');
  await capture('get_v1_job_id.not_found', '/v1/job/no-such-job');
  await capture('post_v1_job_id_stable', `/v1/job/${JOB_ID}/stable`, 'POST', request('post_v1_job_id_stable'));
  await capture('post_v1_job_id_evaluate', `/v1/job/${JOB_ID}/evaluate`, 'POST', request('post_v1_job_id_evaluate'));
  await capture('post_v1_job_id_revert', `/v1/job/${JOB_ID}/revert`, 'POST', request('post_v1_job_id_revert'));
  await until(JOB_ID, (d) => d.JobVersion === 4 && d.Status !== 'running');
  await capture('post_v1_job_id_scale', `/v1/job/${JOB_ID}/scale`, 'POST', request('post_v1_job_id_scale'));
}

/** The recorded job under another ID, with `change` applied to its group's update block. */
function variant(id: string, change: (job: Json) => void): Json {
  const job = structuredClone(request('post_v1_jobs').Job) as Json;
  job.ID = id;
  job.Name = id;
  change(job);
  return job;
}

async function replayManualAndBlocked(): Promise<void> {
  const manual = variant('recorded-manual', (job) => {
    for (const update of [job.Update, job.TaskGroups[0].Update]) Object.assign(update, { HealthCheck: 'manual', AutoRevert: false });
  });
  await h.register(manual);
  const d = await until('recorded-manual', (x) => x.Status === 'running');
  await h.advance(seconds(2));
  const alloc = (await allocs(h, 'recorded-manual')).find((a) => a.ClientStatus === 'running')!;
  await capture('post_v1_deployment_allocation_health_id', `/v1/deployment/allocation-health/${d.ID}`, 'POST', { DeploymentID: d.ID, HealthyAllocationIDs: [alloc.ID] });

  const blocked = request('post_v1_job_id_plan.failed');
  await capture('post_v1_job_id_plan.failed', '/v1/job/recorded-blocked/plan', 'POST', blocked);
  await h.register(blocked.Job);
  await h.advance(seconds(1));
  const evals = (await h.get('/v1/job/recorded-blocked/evaluations')).json as Json[];
  const waiting = evals.find((e) => e.Status === 'blocked')!;
  await capture('get_v1_evaluation_id_related', `/v1/evaluation/${waiting.ID}?related=true`);
}

async function replayEventStream(): Promise<void> {
  const path = recorded('nomad', 'get_v1_event_stream').request.path;
  const query = path.slice(path.indexOf('?'));
  const probe = new AbortController();
  const head = await fetch(`${h.nomad}/v1/event/stream${query}`, { signal: probe.signal });
  probe.abort();
  const stream = await openEventStream(h.nomad, query);
  const wanted = (recorded('nomad', 'get_v1_event_stream').body as unknown[]).length;
  await stream.until((frames) => frames.filter((f) => f.Events).length >= wanted);
  stream.close();
  answers.set('get_v1_event_stream', { status: head.status, contentType: head.headers.get('content-type'), body: stream.frames.filter((f) => f.Events).slice(0, wanted) });
}
