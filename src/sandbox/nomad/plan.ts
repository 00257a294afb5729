import { type RouteRequest, type Router, asObject, field, sendJson } from '../http.ts';
import { answerError, indentFor } from './blocking.ts';
import { canonicalizeJob } from './canonicalize.ts';
import { type NomadContext, decodeBody } from './context.ts';
import { type JobDiff, diffJobs } from './diff.ts';
import { current, encodeEvaluation } from './encode.ts';
import { NomadError } from './job-writes.ts';
import type { JobObject } from './model.ts';
import type { DesiredUpdates, ReconcileResult } from './reconcile-types.ts';
import { newEvaluation } from './scheduler.ts';
import { specChanged } from './spec.ts';
import { checkJobDecodes, validateJob } from './validate-job.ts';
import { jobWarnings } from './warnings.ts';

/** `POST|PUT /v1/job/:id/plan`: a dry run of the scheduler against the current state. */
export function addPlanRoute(router: Router, ctx: NomadContext): void {
  router.add(['PUT', 'POST'], '/v1/job/:id/plan', (r) => {
    try {
      sendJson(r.res, 200, plan(ctx, r), { 'X-Nomad-Index': String(ctx.rt.store.index) }, indentFor(r.url));
    } catch (error) {
      answerError(r.res, error);
    }
  });
}

function plan(ctx: NomadContext, r: RouteRequest): unknown {
  const body = decodeBody(r);
  const input = asObject(field(body, 'Job'));
  if (!input) throw new NomadError(400, 'Job must be specified');
  checkJobDecodes(input);
  if (typeof input.ID !== 'string' || input.ID === '') throw new NomadError(400, 'Job must have a valid ID');
  if (input.ID !== r.params.id) throw new NomadError(400, 'Job ID does not match');
  validateJob(input);
  const namespace = r.url.searchParams.get('namespace') || (typeof input.Namespace === 'string' && input.Namespace) || 'default';
  const { store } = ctx.rt;
  const record = store.job(namespace, input.ID);
  const existing = record ? current(record) : undefined;
  const proposed = canonicalizeJob(input, namespace) as JobObject;
  const hypothetical = existing && !specChanged(existing, proposed) ? existing : asNextVersion(proposed, existing, store.index + 1);
  const result = ctx.rt.scheduler.plan({ Namespace: namespace, JobID: input.ID, Priority: Number(proposed.Priority ?? 50) }, hypothetical);
  const failed = Object.keys(result.failed).length > 0;
  return {
    Annotations: { DesiredTGUpdates: result.desired, PreemptedAllocs: null },
    FailedTGAllocs: failed ? result.failed : null,
    JobModifyIndex: existing?.JobModifyIndex ?? 0,
    CreatedEvals: failed ? [blockedEval(ctx, hypothetical, result.failed)] : null,
    Diff: field(body, 'Diff') === true ? annotate(diffJobs(existing, existing && hypothetical === existing ? existing : proposed, input.ID), result) : null,
    NextPeriodicLaunch: null,
    // Nomad's plan runs the same admission controllers as register, warnings included.
    Warnings: jobWarnings(proposed, ctx.rt),
    Index: store.index,
  };
}

function asNextVersion(job: JobObject, existing: JobObject | undefined, index: number): JobObject {
  return Object.assign(job, {
    Version: existing ? existing.Version + 1 : 0, Stable: false, Status: existing?.Status ?? 'pending', StatusDescription: '', SubmitTime: 0n,
    CreateIndex: existing?.CreateIndex ?? index, ModifyIndex: index, JobModifyIndex: index,
  });
}

function blockedEval(ctx: NomadContext, job: JobObject, failed: ReconcileResult['failed']): unknown {
  const evaluation = newEvaluation(ctx.rt, { job, triggeredBy: 'queued-allocs', status: 'blocked' });
  // The blocked eval a real registration would create, following the (hypothetical) register eval:
  // as Nomad 2.0.5 answers it (test/fixtures/recorded/nomad/post_v1_job_id_plan.failed.json), it
  // carries the failures and, being created by the scheduler, no JobModifyIndex.
  Object.assign(evaluation, {
    StatusDescription: 'created to place remaining allocations', PreviousEval: ctx.rt.random.uuid(), FailedTGAllocs: failed, JobModifyIndex: 0,
    ClassEligibility: Object.fromEntries(ctx.rt.nodes.map((n) => [`v1:${n.ID.replace(/-/g, '').slice(0, 19)}`, true])),
  });
  return encodeEvaluation(evaluation);
}

/** Adds `Updates` to group diffs and the `forces …` annotations Nomad puts on tasks. */
function annotate(diff: JobDiff, result: ReconcileResult): JobDiff {
  for (const group of diff.TaskGroups ?? []) {
    const desired = result.desired[group.Name];
    group.Updates = desired ? updates(desired) : null;
    const annotation = !desired ? undefined
      : group.Type === 'Added' ? 'forces create'
      : group.Type === 'Deleted' ? 'forces destroy'
      : desired.DestructiveUpdate + desired.Canary > 0 ? 'forces create/destroy update'
      : desired.InPlaceUpdate > 0 ? 'forces in-place update' : undefined;
    for (const task of group.Tasks ?? []) if (annotation && task.Type !== 'None') task.Annotations = [annotation];
    for (const f of group.Fields ?? []) if (f.Name === 'Count') f.Annotations = [Number(f.New) > Number(f.Old) ? 'forces create' : 'forces destroy'];
  }
  return diff;
}

function updates(d: DesiredUpdates): Record<string, number> | null {
  const entries: [string, number][] = [
    ['ignore', d.Ignore], ['create', d.Place], ['destroy', d.Stop], ['migrate', d.Migrate], ['canary', d.Canary],
    ['in-place update', d.InPlaceUpdate], ['create/destroy update', d.DestructiveUpdate],
  ];
  const nonZero = entries.filter(([, n]) => n > 0);
  return nonZero.length ? Object.fromEntries(nonZero) : null;
}
