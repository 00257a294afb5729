import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, type Json, aJob, allocs, deployment, seconds, startHarness } from '../sandbox/nomad-harness.ts';
import { type Allowances, compareShapes, shapeOf } from '../sandbox/nomad-shape.ts';
import { eventsOf, openEventStream } from '../sandbox/nomad-stream.ts';
import { ALLOWANCES } from '../sandbox/nomad-contract-allowances.ts';

/**
 * Every example in shared/reference/examples/nomad/ for an endpoint drover calls is matched by
 * the equivalent sandbox call; field names and JSON types must agree recursively. Differences
 * the reference documents are listed, with the reason, in nomad-contract-allowances.ts.
 *
 * Not covered (drover never calls them): jobs/parse, validate/job, dispatch, periodic/force,
 * Nomad-provider services (/v1/services, /v1/service/:name), allocation checks.
 */
const referenceDir = fileURLToPath(new URL('../../../shared/reference/', import.meta.url));
const examplesDir = `${referenceDir}examples/nomad/`;
const hasReference = existsSync(examplesDir);

const SHAPE = {
  maps: new Set(['TaskStates', 'Summary', 'DesiredTGUpdates', 'FailedTGAllocs', 'QueuedAllocations', 'NodesAvailable', 'Scores', 'ClassEligibility', 'DimensionExhausted', 'ResourcesExhausted', 'Tasks', 'TaskLifecycles', 'Volumes', 'Updates']),
  opaque: new Set(['Meta', 'Env', 'Config', 'Details', 'Labels', 'VariableFlags', 'GetterOptions', 'Payload', 'Job', 'Policy', 'Header']),
};
/** Deployment and scale status key TaskGroups by group name (a map), jobs list them (an array). */
const BY_GROUP = { ...SHAPE, maps: new Set([...SHAPE.maps, 'TaskGroups']) };

function example(name: string): unknown {
  return JSON.parse(readFileSync(`${examplesDir}${name}`, 'utf8'));
}

/** The example job without server fields, as a register body would carry it. */
function specOf(job: Json): Json {
  const spec = structuredClone(job);
  for (const key of ['Status', 'StatusDescription', 'Stable', 'Version', 'SubmitTime', 'CreateIndex', 'ModifyIndex', 'JobModifyIndex', 'VaultToken']) delete spec[key];
  return spec;
}

let h: Harness;
const responses = new Map<string, unknown>();
const frames: unknown[] = [];

async function capture(name: string, path: string, method = 'GET', body?: unknown): Promise<Json> {
  const answer = await h.call(method, path, body);
  if (answer.status !== 200) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
  responses.set(name, answer.json);
  return answer.json;
}

describe.skipIf(!hasReference)('sandbox responses match the Nomad API examples', () => {
  beforeAll(async () => {
    h = await startHarness({ nomad: { namespaces: ['apps', 'versions', 'diffs'] } });
    const stream = await openEventStream(h.nomad, '?topic=Job');
    await prepareJobs();
    await prepareDeployments();
    await stream.until((f) => eventsOf(f).length > 0);
    frames.push(...stream.frames.filter((f: Json) => f.Events));
    stream.close();
  }, 30_000);
  afterAll(() => h?.close());

  const cases = Object.entries(ALLOWANCES);
  it.each(cases)('%s', (name, allowances: Allowances & { shape?: 'by-group'; from?: string }) => {
    const actual = allowances.from === 'event-frame' ? frames[0] : responses.get(name);
    expect(actual, `no sandbox response captured for ${name}`).toBeDefined();
    const options = allowances.shape === 'by-group' ? BY_GROUP : SHAPE;
    const problems = compareShapes(shapeOf(example(name), options), shapeOf(actual, options), allowances);
    expect(problems.join('\n'), 'fields that differ from the example').toBe('');
  });

  it('accepts every documented request body', async () => {
    const accepted = async (method: string, path: string, body: unknown): Promise<void> => {
      const answer = await h.call(method, path, body);
      expect(`${answer.status} ${answer.status === 200 ? '' : answer.text}`, `${method} ${path}`).toBe('200 ');
    };
    const jobs = example('post_v1_jobs.request.json') as Json;
    await accepted('POST', '/v1/jobs?namespace=apps', jobs);
    const byId = example('post_v1_job_id.request.json') as Json;
    // The sample enforces JobModifyIndex 4; the equivalent call enforces the index the sandbox reports.
    byId.JobModifyIndex = (await h.get(`/v1/job/${byId.Job.ID}?namespace=apps`)).json.JobModifyIndex;
    await accepted('POST', `/v1/job/${byId.Job.ID}?namespace=apps`, byId);
    await accepted('POST', '/v1/jobs?namespace=apps', example('jobspec_json.example.json'));
    const plan = example('post_v1_job_id_plan.request.json') as Json;
    await accepted('POST', `/v1/job/${plan.Job.ID}/plan?namespace=apps`, plan);
    const scalable = aJob({ id: 'scalable' });
    scalable.TaskGroups[0].Name = 'cache'; // the group the scale sample targets
    await h.register(scalable);
    await h.advance(seconds(30));
    await accepted('POST', '/v1/job/scalable/scale', example('post_v1_job_id_scale.request.json'));
  });
});

async function prepareJobs(): Promise<void> {
  const job = specOf(example('get_v1_job_id.response.json') as Json);
  await h.register(job);
  await capture('get_v1_job_id.response.json', `/v1/job/${job.ID}?namespace=apps`);
  const versions = (example('get_v1_job_id_versions.response.json') as Json).Versions as Json[];
  await h.call('POST', '/v1/jobs?namespace=versions', { Job: specOf(versions[0]!) });
  await capture('get_v1_job_id_versions.response.json', '/v1/job/example/versions?namespace=versions');
  const diffs = (example('get_v1_job_id_versions_diffs.response.json') as Json).Versions as Json[];
  for (const version of [...diffs].reverse()) await h.call('POST', '/v1/jobs?namespace=diffs', { Job: specOf(version), Submission: { Source: 'job "example" {}', Format: 'hcl2', VariableFlags: { X: 'x' } } });
  await capture('get_v1_job_id_versions_diffs.response.json', '/v1/job/example/versions?namespace=diffs&diffs=true');
  await capture('get_v1_job_id_submission.response.json', '/v1/job/example/submission?namespace=diffs&version=1');
  await capture('post_v1_jobs.response.json', '/v1/jobs', 'POST', { Job: aJob({ id: 'web', count: 2 }) });
  await capture('post_v1_job_id.response.json', '/v1/job/other', 'POST', { Job: aJob({ id: 'other', count: 1 }) });
  await capture('post_v1_job_id_plan.response.json', '/v1/job/blocked/plan', 'POST', { Job: aJob({ id: 'blocked', memoryMB: 50_000 }), Diff: true });
  await h.register(aJob({ id: 'blocked', memoryMB: 50_000 }));
}

async function prepareDeployments(): Promise<void> {
  await h.advance(seconds(30));
  await capture('get_v1_jobs.response.json', '/v1/jobs');
  responses.set('get_v1_jobs.filter_example.response.json', responses.get('get_v1_jobs.response.json'));
  await capture('get_v1_job_id_summary.response.json', '/v1/job/web/summary');
  await capture('post_v1_job_id_scale.response.json', '/v1/job/other/scale', 'POST', { Count: 2, Target: { Group: 'web' } });
  await h.register(aJob({ id: 'web', count: 2, image: 'example/web:2.0.0', update: { Canary: 1 } }));
  await h.advance(seconds(20));
  const d = await deployment(h, 'web');
  await capture('get_v1_deployment_id.response.json', `/v1/deployment/${d.ID}`);
  await capture('get_v1_job_id_deployment.response.json', '/v1/job/web/deployment');
  await capture('get_v1_job_id_deployments.response.json', '/v1/job/web/deployments');
  await capture('get_v1_deployments.response.json', '/v1/deployments');
  responses.set('get_v1_deployments.filter_example.response.json', responses.get('get_v1_deployments.response.json'));
  await capture('get_v1_deployment_allocations_id.response.json', `/v1/deployment/allocations/${d.ID}`);
  await capture('get_v1_job_id_allocations.response.json', '/v1/job/web/allocations');
  await capture('get_v1_allocations.response.json', '/v1/allocations');
  const [alloc] = await allocs(h, 'web');
  await capture('get_v1_allocation_id.response.json', `/v1/allocation/${alloc!.ID}`);
  await capture('get_v1_evaluation_id_allocations.response.json', `/v1/evaluation/${alloc!.EvalID}/allocations`);
  await capture('get_v1_job_id_evaluations.response.json', '/v1/job/web/evaluations');
  await capture('get_v1_evaluations.response.json', '/v1/evaluations');
  const blocked = ((await h.get('/v1/job/blocked/evaluations')).json as Json[]).find((e) => e.Status === 'blocked')!;
  await capture('get_v1_evaluation_id_related.response.json', `/v1/evaluation/${blocked.ID}?related=true`);
  await capture('get_v1_job_id_scale.response.json', '/v1/job/web/scale');
  await capture('post_v1_deployment_promote_id.response.json', `/v1/deployment/promote/${d.ID}`, 'POST', { DeploymentID: d.ID, All: true });
  await h.advance(seconds(5));
  await capture('post_v1_deployment_pause_id.response.json', `/v1/deployment/pause/${d.ID}`, 'POST', { DeploymentID: d.ID, Pause: false });
  const canary = d.TaskGroups.web.PlacedCanaries[0];
  await h.register(aJob({ id: 'manual', count: 1, update: { HealthCheck: 'manual', AutoRevert: true } }));
  await h.advance(seconds(5));
  const manual = await deployment(h, 'manual');
  const [manualAlloc] = await allocs(h, 'manual');
  await capture('post_v1_deployment_allocation_health_id.response.json', `/v1/deployment/allocation-health/${manual.ID}`, 'POST', { DeploymentID: manual.ID, HealthyAllocationIDs: [manualAlloc!.ID] });
  await capture('post_v1_deployment_fail_id.response.json', `/v1/deployment/fail/${d.ID}`, 'POST');
  await capture('post_v1_job_id_revert.response.json', '/v1/job/web/revert', 'POST', { JobID: 'web', JobVersion: 0 });
  await capture('post_v1_job_id_stable.response_as_documented.json', '/v1/job/web/stable', 'POST', { JobID: 'web', JobVersion: 0, Stable: true });
  await capture('post_v1_job_id_evaluate.response.json', '/v1/job/web/evaluate', 'POST', { JobID: 'web' });
  await capture('get_v1_metrics.response.json', '/v1/metrics');
  await capture('get_v1_status_leader.response.json', '/v1/status/leader');
  await capture('delete_v1_job_id.response.json', '/v1/job/other', 'DELETE');
  void canary;
}
