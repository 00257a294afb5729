/**
 * The Nomad calls drover makes, against a real `nomad agent -dev` with raw_exec enabled: a small
 * job is parsed, validated, planned and registered (with its HCL submission), rolled out three
 * times (plain, canary promoted, canary failed and auto-reverted) and read back through every
 * endpoint drover reads; then drover's own rendered jobs (test/jobs/rendered/) are registered and
 * read back, so the contract tests know which Job fields Nomad keeps.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Recorder, type RecordedCall, waitFor } from './recorder.ts';

type Json = Record<string, any>;

const JOB_ID = 'recorded-web';

/** The small job: HCL so that /v1/jobs/parse and the submission have a source. */
function webJobHcl(version: string, canary: number): string {
  return `job "${JOB_ID}" {
  datacenters = ["*"]
  update {
    max_parallel      = 1
    canary            = ${canary}
    min_healthy_time  = "2s"
    healthy_deadline  = "30s"
    progress_deadline = "60s"
    auto_revert       = true
  }
  group "web" {
    count = 2
    network {
      port "http" {}
    }
    service {
      name     = "recorded-web"
      provider = "consul"
      port     = "http"
      tags     = ["recorded"]
    }
    task "web" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["3600"]
      }
      env {
        VERSION = "${version}"
      }
      resources {
        cpu    = 50
        memory = 32
      }
    }
  }
}
`;
}

const body = (call: RecordedCall): Json => call.body as Json;

async function parsed(nomad: Recorder, name: string | undefined, hcl: string): Promise<Json> {
  const request = { JobHCL: hcl, Canonicalize: true };
  return body(name ? await nomad.record(name, 'POST', '/v1/jobs/parse', request) : await nomad.call('POST', '/v1/jobs/parse', request));
}

/** Registers `hcl` with its submission; resolves once its deployment has `status` (if any). */
async function rollOut(nomad: Recorder, hcl: string, name?: string): Promise<Json> {
  const job = await parsed(nomad, undefined, hcl);
  const request = { Job: job, Submission: { Source: hcl, Format: 'hcl2' } };
  const answer = name ? await nomad.record(name, 'POST', '/v1/jobs', request) : await nomad.call('POST', '/v1/jobs', request);
  if (answer.status !== 200) throw new Error(`registering ${job.ID}: ${answer.status} ${String(answer.body)}`);
  return body(answer);
}

async function latestDeployment(nomad: Recorder, jobId: string, status: (d: Json) => boolean): Promise<Json> {
  return waitFor(`a deployment of ${jobId}`, async () => {
    const d = body(await nomad.call('GET', `/v1/job/${jobId}/deployment`));
    return d && status(d) ? d : undefined;
  });
}

const isStatus = (...statuses: string[]) => (d: Json): boolean => statuses.includes(d.Status);
const canaryHealthy = (d: Json): boolean => Object.values<Json>(d.TaskGroups ?? {}).every((g) => g.DesiredCanaries > 0 && g.HealthyAllocs >= g.DesiredCanaries);

/** Records the whole Nomad set. */
export async function recordNomad(nomad: Recorder, address: string, renderedDir: string): Promise<void> {
  // Jobs left by an interrupted run would add versions and deployments to what is recorded.
  for (const id of [JOB_ID, 'recorded-manual', 'recorded-blocked']) await nomad.call('DELETE', `/v1/job/${id}?purge=true`).catch(() => undefined);
  await nomad.record('get_v1_status_leader', 'GET', '/v1/status/leader');
  await nomad.record('get_v1_regions', 'GET', '/v1/regions');
  await nomad.record('get_v1_namespaces', 'GET', '/v1/namespaces');
  const job = await parsed(nomad, 'post_v1_jobs_parse', webJobHcl('1', 0));
  await nomad.record('put_v1_validate_job', 'PUT', '/v1/validate/job', { Job: job });
  await nomad.record('put_v1_validate_job.invalid', 'PUT', '/v1/validate/job', { Job: { ...job, TaskGroups: [] } });
  await nomad.record('post_v1_job_id_plan.new', 'POST', `/v1/job/${JOB_ID}/plan`, { Job: job, Diff: true });
  await rollOut(nomad, webJobHcl('1', 0), 'post_v1_jobs');
  await latestDeployment(nomad, JOB_ID, isStatus('successful'));

  const v2 = await parsed(nomad, undefined, webJobHcl('2', 1));
  await nomad.record('post_v1_job_id_plan', 'POST', `/v1/job/${JOB_ID}/plan`, { Job: v2, Diff: true });
  await rollOut(nomad, webJobHcl('2', 1));
  const canary = await latestDeployment(nomad, JOB_ID, (d) => d.Status === 'running' && canaryHealthy(d));
  await recordReads(nomad, canary.ID);
  await nomad.record('post_v1_deployment_promote_id', 'POST', `/v1/deployment/promote/${canary.ID}`, { DeploymentID: canary.ID, All: true });
  await latestDeployment(nomad, JOB_ID, isStatus('successful'));

  const v3 = body(await nomad.record('post_v1_job_id', 'POST', `/v1/job/${JOB_ID}`, {
    Job: await parsed(nomad, undefined, webJobHcl('3', 1)), EnforceIndex: true, JobModifyIndex: body(await nomad.call('GET', `/v1/job/${JOB_ID}`)).JobModifyIndex,
  }));
  await nomad.record('post_v1_job_id.conflict', 'POST', `/v1/job/${JOB_ID}`, { Job: await parsed(nomad, undefined, webJobHcl('3', 1)), EnforceIndex: true, JobModifyIndex: 1 });
  void v3;
  const failing = await latestDeployment(nomad, JOB_ID, (d) => d.JobVersion === 2 && d.Status === 'running');
  await nomad.record('post_v1_deployment_pause_id', 'POST', `/v1/deployment/pause/${failing.ID}`, { DeploymentID: failing.ID, Pause: true });
  await nomad.call('POST', `/v1/deployment/pause/${failing.ID}`, { DeploymentID: failing.ID, Pause: false });
  await nomad.record('post_v1_deployment_fail_id', 'POST', `/v1/deployment/fail/${failing.ID}`);
  await latestDeployment(nomad, JOB_ID, (d) => d.JobVersion === 3 && isStatus('successful')(d));

  await recordAfterRollouts(nomad);
  await recordManualHealth(nomad);
  await recordBlocked(nomad);
  await recordEventStream(nomad, address);
  await recordRenderedJobs(nomad, renderedDir);
  await nomad.record('delete_v1_job_id', 'DELETE', `/v1/job/${JOB_ID}?purge=true`);
}

/** Reads while a canary deployment waits for promotion: the state drover watches. */
async function recordReads(nomad: Recorder, deploymentId: string): Promise<void> {
  const allocs = body(await nomad.record('get_v1_job_id_allocations', 'GET', `/v1/job/${JOB_ID}/allocations`)) as unknown as Json[];
  await nomad.record('get_v1_deployment_id', 'GET', `/v1/deployment/${deploymentId}`);
  await nomad.record('get_v1_job_id_deployment', 'GET', `/v1/job/${JOB_ID}/deployment`);
  await nomad.record('get_v1_job_id_deployments', 'GET', `/v1/job/${JOB_ID}/deployments`);
  await nomad.record('get_v1_deployments', 'GET', '/v1/deployments');
  await nomad.record('get_v1_deployment_allocations_id', 'GET', `/v1/deployment/allocations/${deploymentId}`);
  await nomad.record('get_v1_allocations', 'GET', '/v1/allocations');
  const alloc = allocs.find((a) => a.ClientStatus === 'running') ?? allocs[0]!;
  await nomad.record('get_v1_allocation_id', 'GET', `/v1/allocation/${alloc.ID}`);
  await nomad.record('get_v1_evaluation_id', 'GET', `/v1/evaluation/${alloc.EvalID}`);
  await nomad.record('get_v1_evaluation_id_allocations', 'GET', `/v1/evaluation/${alloc.EvalID}/allocations`);
  await nomad.record('get_v1_job_id_evaluations', 'GET', `/v1/job/${JOB_ID}/evaluations`);
  await nomad.record('get_v1_evaluations', 'GET', '/v1/evaluations');
  await nomad.record('get_v1_job_id_summary', 'GET', `/v1/job/${JOB_ID}/summary`);
  await nomad.record('get_v1_jobs', 'GET', '/v1/jobs');
}

async function recordAfterRollouts(nomad: Recorder): Promise<void> {
  await nomad.record('get_v1_job_id', 'GET', `/v1/job/${JOB_ID}`);
  await nomad.record('get_v1_job_id_versions', 'GET', `/v1/job/${JOB_ID}/versions`);
  await nomad.record('get_v1_job_id_versions_diffs', 'GET', `/v1/job/${JOB_ID}/versions?diffs=true`);
  await nomad.record('get_v1_job_id_submission', 'GET', `/v1/job/${JOB_ID}/submission?version=1`);
  await nomad.record('get_v1_job_id_scale', 'GET', `/v1/job/${JOB_ID}/scale`);
  await nomad.record('get_v1_metrics', 'GET', '/v1/metrics');
  await nomad.record('get_v1_job_id.not_found', 'GET', '/v1/job/no-such-job');
  await nomad.record('post_v1_job_id_stable', 'POST', `/v1/job/${JOB_ID}/stable`, { JobID: JOB_ID, JobVersion: 1, Stable: true });
  await nomad.record('post_v1_job_id_evaluate', 'POST', `/v1/job/${JOB_ID}/evaluate`, { JobID: JOB_ID });
  await nomad.record('post_v1_job_id_revert', 'POST', `/v1/job/${JOB_ID}/revert`, { JobID: JOB_ID, JobVersion: 0 });
  await latestDeployment(nomad, JOB_ID, (d) => d.JobVersion === 4 && isStatus('successful', 'failed')(d));
  await nomad.record('post_v1_job_id_scale', 'POST', `/v1/job/${JOB_ID}/scale`, { Count: 1, Target: { Group: 'web' } });
}

/**
 * A deployment with manual health: drover's allocation-health call. Its service uses Nomad's own
 * provider (a group's services must share one), so /v1/services has content.
 */
async function recordManualHealth(nomad: Recorder): Promise<void> {
  const hcl = webJobHcl('1', 0).replaceAll(JOB_ID, 'recorded-manual').replace('auto_revert       = true', 'health_check      = "manual"').replace('"consul"', '"nomad"');
  await rollOut(nomad, hcl);
  const d = await latestDeployment(nomad, 'recorded-manual', isStatus('running'));
  const alloc = await waitFor('a running manual allocation', async () => {
    const allocs = body(await nomad.call('GET', '/v1/job/recorded-manual/allocations')) as unknown as Json[];
    return allocs.find((a) => a.ClientStatus === 'running');
  });
  await waitFor('the Nomad service', async () => ((body(await nomad.call('GET', '/v1/services')) as unknown as Json[]).length > 0 ? true : undefined));
  await nomad.record('get_v1_services', 'GET', '/v1/services');
  await nomad.record('get_v1_service_name', 'GET', '/v1/service/recorded-manual');
  await nomad.record('post_v1_deployment_allocation_health_id', 'POST', `/v1/deployment/allocation-health/${d.ID}`, { DeploymentID: d.ID, HealthyAllocationIDs: [alloc.ID] });
  await nomad.call('DELETE', '/v1/job/recorded-manual?purge=true');
}

/** A job no node can hold: a failed plan and a blocked evaluation. */
async function recordBlocked(nomad: Recorder): Promise<void> {
  const hcl = webJobHcl('1', 0).replaceAll(JOB_ID, 'recorded-blocked').replace('memory = 32', 'memory = 4000000');
  const job = await parsed(nomad, undefined, hcl);
  await nomad.record('post_v1_job_id_plan.failed', 'POST', '/v1/job/recorded-blocked/plan', { Job: job, Diff: true });
  await rollOut(nomad, hcl);
  const blocked = await waitFor('a blocked evaluation', async () => {
    const evals = body(await nomad.call('GET', '/v1/job/recorded-blocked/evaluations')) as unknown as Json[];
    return evals.find((e) => e.Status === 'blocked');
  });
  await nomad.record('get_v1_evaluation_id_related', 'GET', `/v1/evaluation/${blocked.ID}?related=true`);
  await nomad.call('DELETE', '/v1/job/recorded-blocked?purge=true');
}

/** The first frames of the event stream from the start of the buffer (newline-delimited JSON). */
async function recordEventStream(nomad: Recorder, address: string, frames = 6): Promise<void> {
  const path = '/v1/event/stream?topic=Job&topic=Deployment&topic=Allocation&topic=Evaluation&index=1';
  const controller = new AbortController();
  const response = await fetch(`${address}${path}`, { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (text.split('\n').filter((l) => l.includes('"Events"')).length < frames) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  controller.abort();
  const lines = text.split('\n').filter((l) => l.includes('"Events"')).slice(0, frames);
  nomad.write('get_v1_event_stream', {
    request: { method: 'GET', path },
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: lines.map((line) => JSON.parse(line) as unknown),
  });
}

/** drover's rendered jobs, registered and read back per environment, then purged. */
async function recordRenderedJobs(nomad: Recorder, renderedDir: string): Promise<void> {
  for (const env of readdirSync(renderedDir).sort()) {
    for (const file of readdirSync(join(renderedDir, env)).filter((f) => f.endsWith('.json')).sort()) {
      const request = JSON.parse(readFileSync(join(renderedDir, env, file), 'utf8')) as Json;
      const namespace = request.Job.Namespace ?? 'default';
      if (namespace !== 'default') await nomad.call('POST', `/v1/namespace/${namespace}`, { Name: namespace });
      await nomad.call('POST', '/v1/jobs', request);
      await nomad.record(`rendered/${env}/${file.replace(/\.json$/, '')}`, 'GET', `/v1/job/${request.Job.ID}?namespace=${namespace}`);
      await nomad.call('DELETE', `/v1/job/${request.Job.ID}?namespace=${namespace}&purge=true`);
    }
  }
}
