import { unixNanos } from '../json.ts';
import { canonicalizeJob } from './canonicalize.ts';
import { current } from './encode.ts';
import { type Json, type JobObject, type JobSubmission, ACTIVE_DEPLOYMENT } from './model.ts';
import type { Runtime } from './runtime.ts';
import { newEvaluation } from './scheduler.ts';
import { specChanged } from './spec.ts';
import type { Txn } from './store.ts';
import { jobWarnings } from './warnings.ts';

/** A failed write: the HTTP status and plain-text body Nomad answers with. */
export class NomadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** `JobRegisterResponse` (also returned by revert and scale). */
export interface RegisterResponse {
  EvalID: string;
  EvalCreateIndex: number;
  JobModifyIndex: number;
  Warnings: string;
  Index: number;
  LastContact: number;
  KnownLeader: boolean;
  NextToken: string;
}

/** A register request after body decoding. */
export interface RegisterInput {
  readonly job: Json;
  readonly namespace: string;
  readonly submission?: Json;
  readonly enforceIndex?: boolean;
  readonly jobModifyIndex?: number;
  readonly preserveCounts?: boolean;
  readonly evalPriority?: number;
  readonly triggeredBy?: string;
}

/** Nomad versions job submissions but keeps only the last 6. */
const KEPT_SUBMISSIONS = 6;

/**
 * Registers a job (`POST /v1/jobs`): canonicalize, check-and-set, new version only when the spec
 * changed; an unchanged job keeps its JobModifyIndex but still gets a new evaluation (§3.3).
 */
export function registerJob(rt: Runtime, input: RegisterInput, namespaces: ReadonlySet<string>): RegisterResponse {
  const job = canonicalizeJob(input.job, input.namespace) as JobObject;
  if (!namespaces.has(job.Namespace)) throw new NomadError(500, `job "${job.ID}" is in nonexistent namespace "${job.Namespace}"`);
  if (job.Type === 'system' && job.TaskGroups.some((g) => g.Scaling)) throw new NomadError(400, 'Task groups with job type system do not support scaling blocks');
  const record = rt.store.job(job.Namespace, job.ID);
  const existing = record ? current(record) : undefined;
  if (input.enforceIndex) enforceIndex(input.jobModifyIndex ?? 0, existing);
  if (input.preserveCounts && existing) preserveCounts(job, existing);
  const changed = !existing || specChanged(existing, job);
  const createsEval = !job.Periodic && !job.ParameterizedJob;
  const triggeredBy = input.triggeredBy ?? 'job-register';
  const result = rt.store.commit(changed ? 'JobRegistered' : 'EvaluationUpdated', (tx) => {
    if (changed) storeVersion(tx, job, existing, input.submission);
    const stored = changed ? job : existing!;
    if (!createsEval) return { evalId: '', jobModifyIndex: stored.JobModifyIndex };
    const evaluation = newEvaluation(rt, { job: stored, triggeredBy, ...(input.evalPriority ? { priority: input.evalPriority } : {}) });
    tx.putEval(evaluation);
    return { evalId: evaluation.ID, jobModifyIndex: stored.JobModifyIndex };
  });
  if (result.evalId) rt.scheduler.enqueue(result.evalId);
  const index = rt.store.index;
  return {
    EvalID: result.evalId, EvalCreateIndex: result.evalId ? index : 0, JobModifyIndex: result.jobModifyIndex, Warnings: jobWarnings(job, rt),
    Index: index, LastContact: 0, KnownLeader: true, NextToken: '',
  };
}

function enforceIndex(expected: number, existing: JobObject | undefined): void {
  const prefix = `Enforcing job modify index ${expected}`;
  if (expected === 0 && existing) throw new NomadError(500, `${prefix}: job already exists`);
  if (expected > 0 && !existing) throw new NomadError(500, `${prefix}: job does not exist`);
  if (existing && expected > 0 && existing.JobModifyIndex !== expected) {
    throw new NomadError(500, `${prefix}: job exists with conflicting job modify index: ${existing.JobModifyIndex}`);
  }
}

function preserveCounts(job: JobObject, existing: JobObject): void {
  for (const group of job.TaskGroups) {
    const before = existing.TaskGroups.find((g) => g.Name === group.Name);
    if (before) group.Count = before.Count;
  }
}

function storeVersion(tx: Txn, job: JobObject, existing: JobObject | undefined, submission: Json | undefined): void {
  Object.assign(job, {
    Version: existing ? existing.Version + 1 : 0, Stable: false, Status: existing?.Status ?? 'pending', StatusDescription: '',
    SubmitTime: unixNanos(tx.now), CreateIndex: existing?.CreateIndex ?? tx.index, ModifyIndex: tx.index, JobModifyIndex: tx.index,
  });
  tx.putJob(job, true);
  if (!submission) return;
  const record = tx.store.job(job.Namespace, job.ID)!;
  const stored: JobSubmission = {
    Source: String(submission.Source ?? ''), Format: String(submission.Format ?? 'hcl2'),
    VariableFlags: (submission.VariableFlags as Record<string, string> | undefined) ?? null, Variables: String(submission.Variables ?? ''),
    Namespace: job.Namespace, JobID: job.ID, Version: job.Version, JobModifyIndex: tx.index,
  };
  record.submissions.set(job.Version, stored);
  for (const version of [...record.submissions.keys()].sort((a, b) => a - b).slice(0, -KEPT_SUBMISSIONS)) record.submissions.delete(version);
}

/** `POST /v1/job/:id/revert`: registers the spec of an older version as a new version. */
export function revertJob(rt: Runtime, req: { namespace: string; id: string; version: number; enforcePriorVersion?: number }, namespaces: ReadonlySet<string>): RegisterResponse {
  const record = rt.store.job(req.namespace, req.id);
  if (!record) throw new NomadError(500, `job "${req.id}" not found`);
  const cur = current(record);
  if (req.enforcePriorVersion !== undefined && req.enforcePriorVersion !== cur.Version) {
    throw new NomadError(500, `Current job has version ${cur.Version}; enforcing version ${req.enforcePriorVersion}`);
  }
  if (req.version === cur.Version) throw new NomadError(500, "can't revert to current version");
  const target = record.versions.find((v) => v.Version === req.version);
  if (!target) throw new NomadError(500, `job "${req.id}" in namespace "${req.namespace}" at version ${req.version} not found`);
  const spec: Json = structuredClone(target);
  for (const key of ['Version', 'Stable', 'Status', 'StatusDescription', 'SubmitTime', 'CreateIndex', 'ModifyIndex', 'JobModifyIndex']) delete spec[key];
  return registerJob(rt, { job: spec, namespace: req.namespace }, namespaces);
}

/** `POST /v1/job/:id/stable`: sets `Stable` on a version; Nomad emits no event for it. */
export function setStable(rt: Runtime, req: { namespace: string; id: string; version: number; stable: boolean }): { Index: number } {
  const version = rt.store.job(req.namespace, req.id)?.versions.find((v) => v.Version === req.version);
  if (!version) throw new NomadError(500, `job "${req.id}" in namespace "${req.namespace}" at version ${req.version} not found`);
  rt.store.commit('JobStability', (tx) => {
    version.Stable = req.stable;
    tx.touchJob(version);
  });
  return { Index: rt.store.index };
}

/** `DELETE /v1/job/:id`: stop (new version with Stop=true) or purge, plus a `job-deregister` eval. */
export function deregisterJob(rt: Runtime, req: { namespace: string; id: string; purge: boolean }): Json {
  const record = rt.store.job(req.namespace, req.id);
  if (!record) throw new NomadError(404, 'job not found');
  const cur = current(record);
  const { evalId, index } = rt.store.commit('JobDeregistered', (tx) => {
    if (req.purge) tx.deleteJob(record);
    else if (!cur.Stop) storeVersion(tx, Object.assign(structuredClone(cur), { Stop: true }), cur, undefined);
    const latest = req.purge ? cur : current(record);
    const evaluation = newEvaluation(rt, { job: latest, triggeredBy: 'job-deregister' });
    tx.putEval(evaluation);
    return { evalId: evaluation.ID, index: tx.index };
  });
  rt.scheduler.enqueue(evalId);
  return { EvalID: evalId, EvalCreateIndex: index, JobModifyIndex: index, VolumeEvalID: '', VolumeEvalIndex: 0, Index: index, LastContact: 0, KnownLeader: true, NextToken: '' };
}

/** `POST /v1/job/:id/scale`: a new version with the group's count, and a scaling event. */
export function scaleJob(rt: Runtime, req: { namespace: string; id: string; body: ScaleBody }, namespaces: ReadonlySet<string>): RegisterResponse {
  const record = rt.store.job(req.namespace, req.id);
  if (!record) throw new NomadError(404, `job "${req.id}" not found`);
  const cur = current(record);
  const group = cur.TaskGroups.find((g) => g.Name === req.body.group);
  if (!group) throw new NomadError(400, `task group "${req.body.group}" specified for scaling does not exist in job`);
  const active = rt.store.deploymentsOf(req.namespace, req.id).some((d) => ACTIVE_DEPLOYMENT.has(d.Status) && d.JobCreateIndex === cur.CreateIndex);
  if (req.body.count !== null && active) throw new NomadError(400, 'job scaling blocked due to active deployment');
  let response: RegisterResponse = { EvalID: '', EvalCreateIndex: 0, JobModifyIndex: cur.JobModifyIndex, Warnings: '', Index: rt.store.index, LastContact: 0, KnownLeader: true, NextToken: '' };
  if (req.body.count !== null && !req.body.error) {
    const spec: Json = structuredClone(cur);
    (spec.TaskGroups as Json[]).find((g) => g.Name === req.body.group)!.Count = req.body.count;
    // Job.Scale applies the registration through raft without the admission controllers, so it never warns (nomad/job_endpoint.go).
    response = { ...registerJob(rt, { job: spec, namespace: req.namespace, triggeredBy: 'job-scaling' }, namespaces), Warnings: '' };
  }
  const events = record.scalingEvents.get(req.body.group) ?? [];
  events.unshift({
    Count: req.body.count, PreviousCount: Number(group.Count ?? 0), Error: req.body.error, Message: req.body.message, Meta: req.body.meta,
    EvalID: response.EvalID || null, Time: unixNanos(rt.clock.now()), CreateIndex: rt.store.index,
  });
  record.scalingEvents.set(req.body.group, events.slice(0, 20));
  return response;
}

/** A decoded `ScalingRequest`. */
export interface ScaleBody {
  readonly group: string;
  readonly count: number | null;
  readonly message: string;
  readonly error: boolean;
  readonly meta: Json | null;
}
