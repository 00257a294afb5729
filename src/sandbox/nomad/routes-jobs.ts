import { type Router, parseBool } from '../http.ts';
import { blockingRead, maxIndex, type ReadResult } from './blocking.ts';
import { type NomadContext, inNamespace, requestNamespace } from './context.ts';
import { diffJobs } from './diff.ts';
import { allocationStub, current, encodeDeployment, encodeEvaluation, jobStub, jobSummary } from './encode.ts';
import { NomadError } from './job-writes.ts';
import type { Json, JobObject, JobRecord } from './model.ts';
import type { NomadStore } from './store.ts';

/** Read endpoints of jobs (all blocking). */
export function addJobReadRoutes(router: Router, ctx: NomadContext): void {
  const { store } = ctx.rt;
  const get = (path: string, tables: Parameters<typeof blockingRead>[2], read: (id: string, url: URL) => ReadResult): void => {
    router.add(['GET'], path, (r) => blockingRead(store, r, tables, () => read(r.params.id ?? '', r.url)));
  };
  get('/v1/jobs', ['jobs'], (_id, url) => listJobs(store, url));
  get('/v1/job/:id', ['jobs'], (id, url) => {
    const job = currentJob(store, url, id);
    return { value: job, index: job.ModifyIndex };
  });
  get('/v1/job/:id/versions', ['jobs'], (id, url) => versions(store, url, id));
  get('/v1/job/:id/submission', ['jobs'], (id, url) => submission(store, url, id));
  get('/v1/job/:id/allocations', ['allocs'], (id, url) => {
    const job = store.job(requestNamespace(url), id);
    const all = parseBool(url.searchParams.get('all')) === true;
    const allocs = store.allocsOf(requestNamespace(url), id).filter((a) => all || !job || a.Job.CreateIndex === current(job).CreateIndex);
    // Nomad answers the index of the whole table (job_endpoint.go: state.Index("allocs")), 0 before any write.
    return { value: allocs.map((a) => allocationStub(a)), index: store.tableIndex.allocs };
  });
  get('/v1/job/:id/evaluations', ['evals'], (id, url) => {
    const evals = store.evalsOf(requestNamespace(url), id);
    return { value: evals.map(encodeEvaluation), index: store.tableIndex.evals };
  });
  get('/v1/job/:id/deployments', ['deployments'], (id, url) => {
    const list = store.deploymentsOf(requestNamespace(url), id).sort((a, b) => b.CreateIndex - a.CreateIndex);
    return { value: list.map(encodeDeployment), index: store.tableIndex.deployments };
  });
  get('/v1/job/:id/deployment', ['deployments'], (id, url) => {
    const latest = store.deploymentsOf(requestNamespace(url), id).sort((a, b) => b.CreateIndex - a.CreateIndex)[0];
    // No deployment is 200 with a JSON null, not a 404.
    return { value: latest ? encodeDeployment(latest) : null, index: store.tableIndex.deployments };
  });
  get('/v1/job/:id/summary', ['jobs', 'allocs', 'evals'], (id, url) => summaryOf(store, currentRecord(store, url, id)));
  get('/v1/job/:id/scale', ['jobs', 'allocs'], (id, url) => scaleStatus(store, currentRecord(store, url, id)));
}

function currentRecord(store: NomadStore, url: URL, id: string): JobRecord {
  const record = store.job(requestNamespace(url), id);
  if (!record) throw new NomadError(404, 'job not found');
  return record;
}

function currentJob(store: NomadStore, url: URL, id: string): JobObject {
  return current(currentRecord(store, url, id));
}

function listJobs(store: NomadStore, url: URL): ReadResult {
  const namespace = requestNamespace(url);
  const prefix = url.searchParams.get('prefix') ?? '';
  const withMeta = parseBool(url.searchParams.get('meta')) === true;
  const records = [...store.jobs.values()]
    .filter((r) => inNamespace(namespace, r.namespace) && r.id.startsWith(prefix))
    .sort((a, b) => (a.namespace === b.namespace ? cmp(a.id, b.id) : cmp(a.namespace, b.namespace)));
  return { value: records.map((r) => jobStub(r, summaryOf(store, r).value as Json, withMeta)), index: store.tableIndex.jobs };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function versions(store: NomadStore, url: URL, id: string): ReadResult {
  const record = store.job(requestNamespace(url), id);
  if (!record) throw new NomadError(404, 'job versions not found');
  const list = [...record.versions].reverse();
  const wantDiffs = parseBool(url.searchParams.get('diffs')) === true;
  const diffs = wantDiffs ? list.slice(0, -1).map((v, i) => diffJobs(list[i + 1], v, id)) : null;
  const index = maxIndex(list, 1);
  return { value: { Versions: list, Diffs: diffs, Index: index, LastContact: 0, KnownLeader: true, NextToken: '' }, index };
}

function submission(store: NomadStore, url: URL, id: string): ReadResult {
  const record = store.job(requestNamespace(url), id);
  const raw = url.searchParams.get('version');
  const version = raw === null ? record?.versions.at(-1)?.Version : Number(raw);
  const found = version === undefined ? undefined : record?.submissions.get(version);
  if (!found) throw new NomadError(404, 'job source not found');
  return { value: found, index: found.JobModifyIndex };
}

/** `JobSummary` with the queued counts of the job's latest evaluation. */
export function summaryOf(store: NomadStore, record: JobRecord): ReadResult {
  const job = current(record);
  const evals = store.evalsOf(record.namespace, record.id).filter((e) => e.QueuedAllocations).sort((a, b) => b.ModifyIndex - a.ModifyIndex);
  const summary = jobSummary(job, store.allocsOf(record.namespace, record.id), evals[0]?.QueuedAllocations ?? {});
  return { value: summary, index: Number(summary.ModifyIndex) };
}

function scaleStatus(store: NomadStore, record: JobRecord): ReadResult {
  const job = current(record);
  const allocs = store.allocsOf(record.namespace, record.id).filter((a) => a.Job.CreateIndex === job.CreateIndex && a.DesiredStatus === 'run');
  const groups: Record<string, unknown> = {};
  for (const group of job.TaskGroups) {
    const mine = allocs.filter((a) => a.TaskGroup === group.Name && a.ClientStatus !== 'complete' && a.ClientStatus !== 'failed');
    groups[String(group.Name)] = {
      Desired: group.Count,
      Placed: mine.length,
      Running: mine.filter((a) => a.ClientStatus === 'running').length,
      Healthy: mine.filter((a) => a.DeploymentStatus?.Healthy === true).length,
      Unhealthy: mine.filter((a) => a.DeploymentStatus?.Healthy === false).length,
      Events: record.scalingEvents.get(String(group.Name)) ?? null,
    };
  }
  const value = { JobID: job.ID, Namespace: job.Namespace, JobCreateIndex: job.CreateIndex, JobModifyIndex: job.JobModifyIndex, JobStopped: job.Stop, TaskGroups: groups };
  return { value, index: Math.max(job.ModifyIndex, maxIndex(allocs, 1)) };
}
