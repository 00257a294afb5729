import type { Allocation, Deployment, Evaluation, Json, JobObject, JobRecord } from './model.ts';

/**
 * Wire encodings. `Allocation` and `Evaluation` are encoded by Nomad with struct-level
 * `omitempty` (zero values are absent); `AllocListStub`, `Job`, `JobListStub` and `Deployment`
 * are not (nomad.md §1).
 */

/** Drops zero-valued top-level fields like go-msgpack's struct-level omitempty. */
export function omitEmpty(object: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) if (!isZero(value)) out[key] = value;
  return out;
}

function isZero(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === 0n || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  // Maps are omitted when empty; structs (DesiredTransition, Metrics…) are kept even when zero.
  return false;
}

/** Full `Allocation` (`GET /v1/allocation/:id`). */
export function encodeAllocation(alloc: Allocation, withJob = true): Json {
  const encoded = omitEmpty({ ...alloc, TaskStates: alloc.TaskStates ?? undefined });
  // A zero DesiredTransition is left out too (Nomad 2.0.5: test/fixtures/recorded/nomad/get_v1_allocation_id.json).
  if (Object.values(alloc.DesiredTransition).every((flag) => !flag)) delete encoded.DesiredTransition;
  if (!withJob) delete encoded.Job;
  return encoded;
}

/** Options of {@link allocationStub}. */
export interface StubOptions {
  /** `task_states=false` drops TaskStates. @default true */
  readonly taskStates?: boolean;
  /** `resources=true` adds AllocatedResources. @default false */
  readonly resources?: boolean;
}

/** `AllocListStub`: every field present, no `DeploymentID` (nomad.md §5). */
export function allocationStub(alloc: Allocation, options: StubOptions = {}): Json {
  return {
    ID: alloc.ID,
    EvalID: alloc.EvalID,
    Name: alloc.Name,
    Namespace: alloc.Namespace,
    NodeID: alloc.NodeID,
    NodeName: alloc.NodeName,
    JobID: alloc.JobID,
    JobType: alloc.Job.Type,
    JobVersion: alloc.Job.Version,
    TaskGroup: alloc.TaskGroup,
    ...(options.resources ? { AllocatedResources: alloc.AllocatedResources } : {}),
    DesiredStatus: alloc.DesiredStatus,
    DesiredDescription: alloc.DesiredDescription,
    ClientStatus: alloc.ClientStatus,
    ClientDescription: alloc.ClientDescription,
    DesiredTransition: alloc.DesiredTransition,
    TaskStates: options.taskStates === false ? null : alloc.TaskStates,
    DeploymentStatus: alloc.DeploymentStatus,
    FollowupEvalID: alloc.FollowupEvalID,
    NextAllocation: alloc.NextAllocation,
    RescheduleTracker: alloc.RescheduleTracker,
    PreemptedAllocations: null,
    PreemptedByAllocation: '',
    CreateIndex: alloc.CreateIndex,
    ModifyIndex: alloc.ModifyIndex,
    CreateTime: alloc.CreateTime,
    ModifyTime: alloc.ModifyTime,
  };
}

/** `Evaluation`, omitempty-encoded. */
export function encodeEvaluation(evaluation: Evaluation): Json {
  return omitEmpty({ ...evaluation });
}

/** `Deployment` (not omitempty). */
export function encodeDeployment(deployment: Deployment): Json {
  return { ...deployment, TaskGroups: { ...deployment.TaskGroups } };
}

/** `JobSummary` computed from the allocations of the job's current incarnation. */
export function jobSummary(job: JobObject, allocs: readonly Allocation[], queued: Record<string, number>): Json {
  const summary: Record<string, Record<string, number>> = {};
  for (const group of job.TaskGroups) {
    const name = String(group.Name);
    summary[name] = { Queued: queued[name] ?? 0, Complete: 0, Failed: 0, Running: 0, Starting: 0, Lost: 0, Unknown: 0 };
  }
  for (const alloc of allocs) {
    // Nomad ignores allocations of a previous job with the same ID (issue #2304).
    if (alloc.Job.CreateIndex !== job.CreateIndex) continue;
    const counts = (summary[alloc.TaskGroup] ??= { Queued: 0, Complete: 0, Failed: 0, Running: 0, Starting: 0, Lost: 0, Unknown: 0 });
    const key = ({ pending: 'Starting', running: 'Running', complete: 'Complete', failed: 'Failed', lost: 'Lost', unknown: 'Unknown' } as const)[alloc.ClientStatus];
    counts[key] = (counts[key] ?? 0) + 1;
  }
  const modifyIndex = Math.max(job.CreateIndex, ...allocs.filter((a) => a.Job.CreateIndex === job.CreateIndex).map((a) => a.ModifyIndex));
  return {
    JobID: job.ID,
    Namespace: job.Namespace,
    Summary: summary,
    Children: { Pending: 0, Running: 0, Dead: 0 },
    CreateIndex: job.CreateIndex,
    ModifyIndex: modifyIndex,
  };
}

/** `JobListStub`; `Meta` only with `?meta=true`. */
export function jobStub(record: JobRecord, summary: Json, withMeta: boolean): Json {
  const job = current(record);
  return {
    ID: job.ID,
    ParentID: job.ParentID ?? '',
    Name: job.Name,
    Namespace: job.Namespace,
    Datacenters: job.Datacenters,
    NodePool: job.NodePool,
    Multiregion: null,
    Type: job.Type,
    Priority: job.Priority,
    Periodic: job.Periodic !== null && job.Periodic !== undefined,
    ParameterizedJob: job.ParameterizedJob !== null && job.ParameterizedJob !== undefined,
    Stop: job.Stop,
    Status: job.Status,
    StatusDescription: job.StatusDescription ?? '',
    JobSummary: summary,
    CreateIndex: job.CreateIndex,
    ModifyIndex: job.ModifyIndex,
    JobModifyIndex: job.JobModifyIndex,
    SubmitTime: job.SubmitTime,
    ...(withMeta ? { Meta: job.Meta ?? null } : {}),
  };
}

/** The current version of a job. */
export function current(record: JobRecord): JobObject {
  return record.versions[record.versions.length - 1]!;
}
