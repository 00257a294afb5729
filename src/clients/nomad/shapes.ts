/**
 * Shapes that narrow Nomad's JSON into src/wire/nomad-api.ts. Each table lists every field of its
 * wire type (the compiler checks that), so what drover reads is exactly what is declared there.
 * Bodies were parsed with lossless-json.ts, so long timestamps arrive as digit strings.
 */
import type * as W from '../../wire/nomad-api.ts';
import { bool, dict, json, lazy, list, nullable, num, obj, oneOf, record, str, stringMap, strings, time, unixNanos, type Shape } from '../http/shape.ts';

const numbers = dict(num);

const updateStrategy: Shape<W.NomadUpdateStrategyRead> = obj({
  Stagger: num, MaxParallel: num, HealthCheck: str, MinHealthyTime: num, HealthyDeadline: num, ProgressDeadline: num,
  AutoRevert: bool, AutoPromote: bool, Canary: num,
});

const service: Shape<W.NomadServiceRead> = obj({ Name: str, Provider: str, Checks: list(obj<W.NomadServiceCheckRead>({ Name: str, Type: str, Interval: num, Timeout: num })) });

const reschedulePolicy: Shape<W.NomadReschedulePolicyRead> = obj({ Attempts: num, Interval: num, Delay: num, DelayFunction: str, MaxDelay: num, Unlimited: bool });

const task: Shape<W.NomadTaskRead> = obj({ Name: str, Driver: str, Config: dict(json), Meta: stringMap, Services: list(service) });

const taskGroup: Shape<W.NomadTaskGroupRead> = obj({
  Name: str, Count: num, Update: nullable(updateStrategy), ReschedulePolicy: nullable(reschedulePolicy), Meta: stringMap, Services: list(service), Tasks: list(task),
});

const jobType = oneOf<W.NomadJobType>(['service', 'batch', 'system', 'sysbatch']);
const jobStatus = oneOf<W.NomadJobStatus>(['pending', 'running', 'dead']);

/** `GET /v1/job/:id`, each of `versions`, and the `Job` of an event. */
export const job: Shape<W.NomadJobRead> = obj({
  ID: str, ParentID: str, Name: str, Namespace: str, Region: str, Type: jobType, Priority: num, Datacenters: strings,
  NodePool: str, Stop: bool, Status: jobStatus, StatusDescription: str, Stable: bool, Version: num, SubmitTime: unixNanos,
  CreateIndex: num, ModifyIndex: num, JobModifyIndex: num, Meta: stringMap, Update: nullable(updateStrategy),
  TaskGroups: list(taskGroup), VersionTag: nullable(obj({ Name: str, Description: str, TaggedTime: unixNanos })),
});

/** `GET /v1/job/:id/summary`, also embedded in list stubs. */
export const jobSummary: Shape<W.NomadJobSummary> = obj({
  JobID: str,
  Namespace: str,
  Summary: dict(obj<W.NomadTaskGroupSummary>({ Queued: num, Complete: num, Failed: num, Running: num, Starting: num, Lost: num, Unknown: num })),
  Children: obj({ Pending: num, Running: num, Dead: num }),
  CreateIndex: num,
  ModifyIndex: num,
});

/** One element of `GET /v1/jobs`. */
export const jobListStub: Shape<W.NomadJobListStub> = obj({
  ID: str, ParentID: str, Name: str, Namespace: str, Datacenters: strings, NodePool: str, Type: jobType, Priority: num,
  Periodic: bool, ParameterizedJob: bool, Stop: bool, Status: jobStatus, StatusDescription: str, JobSummary: nullable(jobSummary),
  CreateIndex: num, ModifyIndex: num, JobModifyIndex: num, SubmitTime: unixNanos, Meta: stringMap,
});

/** Answer of register, revert, scale and evaluate. */
export const registerResponse: Shape<W.NomadJobRegisterResponse> = obj({ EvalID: str, EvalCreateIndex: num, JobModifyIndex: num, Warnings: str, Index: num });

/** Answer of `DELETE /v1/job/:id`. */
export const deregisterResponse: Shape<W.NomadJobDeregisterResponse> = obj({ EvalID: str, EvalCreateIndex: num, JobModifyIndex: num, Index: num });

const diffType = oneOf<W.NomadDiffType>(['None', 'Added', 'Deleted', 'Edited']);
const fieldDiff: Shape<W.NomadFieldDiff> = obj({ Type: diffType, Name: str, Old: str, New: str, Annotations: strings });
const objectDiff: Shape<W.NomadObjectDiff> = lazy(() => obj({ Type: diffType, Name: str, Fields: list(fieldDiff), Objects: list(objectDiff) }));
const taskDiff: Shape<W.NomadTaskDiff> = obj({ Type: diffType, Name: str, Fields: list(fieldDiff), Objects: list(objectDiff), Annotations: strings });
const taskGroupDiff: Shape<W.NomadTaskGroupDiff> = obj({
  Type: diffType, Name: str, Fields: list(fieldDiff), Objects: list(objectDiff), Tasks: list(taskDiff), Updates: numbers,
});
const jobDiff: Shape<W.NomadJobDiff> = obj({ Type: diffType, ID: str, Fields: list(fieldDiff), Objects: list(objectDiff), TaskGroups: list(taskGroupDiff) });

const desiredUpdates: Shape<W.NomadDesiredUpdates> = obj({
  Ignore: num, Place: num, Migrate: num, Stop: num, InPlaceUpdate: num, DestructiveUpdate: num, Canary: num, Preemptions: num,
  Disconnect: num, Reconnect: num, RescheduleNow: num, RescheduleLater: num,
});

/** Placement metrics (why a placement failed or would fail). */
export const allocMetric: Shape<W.NomadAllocMetric> = obj({
  NodesEvaluated: num, NodesFiltered: num, NodesInPool: num, NodesAvailable: numbers, ClassFiltered: numbers,
  ConstraintFiltered: numbers, NodesExhausted: num, ClassExhausted: numbers, DimensionExhausted: numbers,
  QuotaExhausted: strings, CoalescedFailures: num,
});

/** An evaluation (omitempty-encoded on the wire). */
export const evaluation: Shape<W.NomadEvaluation> = obj({
  ID: str, Namespace: str, Priority: num, Type: str, TriggeredBy: str, JobID: str, JobModifyIndex: num, DeploymentID: str,
  Status: oneOf<W.NomadEvaluationStatus>(['blocked', 'pending', 'complete', 'failed', 'canceled']), StatusDescription: str,
  NextEval: str, PreviousEval: str, BlockedEval: str, FailedTGAllocs: dict(allocMetric), QueuedAllocations: numbers,
  CreateIndex: num, ModifyIndex: num, CreateTime: unixNanos, ModifyTime: unixNanos,
});

const taskEvent: Shape<W.NomadTaskEvent> = obj({
  Type: str, Time: unixNanos, DisplayMessage: str, Message: str, Details: stringMap, FailsTask: bool, RestartReason: str,
  SetupError: str, DriverError: str, DriverMessage: str, ExitCode: num, Signal: num, KillReason: str, KillError: str,
  DownloadError: str, ValidationError: str, VaultError: str,
});

const taskState: Shape<W.NomadTaskState> = obj({
  State: oneOf(['pending', 'running', 'dead']), Failed: bool, Restarts: num, LastRestart: time, StartedAt: time, FinishedAt: time,
  Events: list(taskEvent),
});

const allocStubFields = {
  ID: str, EvalID: str, Name: str, Namespace: str, NodeID: str, NodeName: str, JobID: str, JobType: str, JobVersion: num,
  TaskGroup: str, DesiredStatus: oneOf<W.NomadDesiredStatus>(['run', 'stop', 'evict']), DesiredDescription: str,
  ClientStatus: oneOf<W.NomadClientStatus>(['pending', 'running', 'complete', 'failed', 'lost', 'unknown']), ClientDescription: str,
  TaskStates: dict(taskState),
  DeploymentStatus: nullable(obj<W.NomadAllocDeploymentStatus>({ Healthy: nullable(bool), Timestamp: time, Canary: bool, ModifyIndex: num })),
  FollowupEvalID: str, NextAllocation: str,
  RescheduleTracker: nullable(obj({ Events: list(obj<W.NomadRescheduleEvent>({ RescheduleTime: unixNanos, PrevAllocID: str, PrevNodeID: str, Delay: num })) })),
  CreateIndex: num, ModifyIndex: num, CreateTime: unixNanos, ModifyTime: unixNanos,
} as const;

/** One element of the allocation lists. */
export const allocStub: Shape<W.NomadAllocListStub> = obj(allocStubFields);

/** `GET /v1/allocation/:id` (omitempty-encoded on the wire). */
export const allocation: Shape<W.NomadAllocation> = obj({
  ...allocStubFields, DeploymentID: str, PreviousAllocation: str, AllocModifyIndex: num, Metrics: nullable(allocMetric),
});

/** `POST /v1/job/:id/plan`. */
export const planResponse: Shape<W.NomadJobPlanResponse> = obj({
  Annotations: nullable(obj({ DesiredTGUpdates: dict(desiredUpdates), PreemptedAllocs: list(allocStub) })),
  FailedTGAllocs: dict(allocMetric), JobModifyIndex: num, CreatedEvals: list(evaluation), Diff: nullable(jobDiff),
  NextPeriodicLaunch: time, Warnings: str, Index: num,
});

/** `GET /v1/job/:id/versions`. */
export const versionsResponse: Shape<W.NomadJobVersionsResponse> = obj({ Versions: list(job), Diffs: list(jobDiff) });

/** `GET /v1/job/:id/submission`. */
export const submission: Shape<W.NomadJobSubmission> = obj({
  JobID: str, Namespace: str, Version: num, JobModifyIndex: num, Format: str, Source: str, VariableFlags: stringMap, Variables: str,
});

/** `GET /v1/job/:id/scale`. */
export const scaleStatus: Shape<W.NomadJobScaleStatus> = obj({
  JobID: str, Namespace: str, JobCreateIndex: num, JobModifyIndex: num, JobStopped: bool,
  TaskGroups: dict(obj<W.NomadTaskGroupScaleStatus>({
    Desired: num, Placed: num, Running: num, Healthy: num, Unhealthy: num,
    Events: list(obj<W.NomadScalingEvent>({ Count: nullable(num), PreviousCount: num, Error: bool, Message: str, EvalID: str, Time: unixNanos, CreateIndex: num })),
  })),
});

const deploymentState: Shape<W.NomadDeploymentState> = obj({
  AutoRevert: bool, AutoPromote: bool, ProgressDeadline: num, RequireProgressBy: time, Promoted: bool, PlacedCanaries: strings,
  DesiredCanaries: num, DesiredTotal: num, PlacedAllocs: num, HealthyAllocs: num, UnhealthyAllocs: num,
});

/** A deployment, as read, listed and streamed. */
export const deployment: Shape<W.NomadDeployment> = obj({
  ID: str, Namespace: str, JobID: str, JobVersion: num, JobModifyIndex: num, JobSpecModifyIndex: num, JobCreateIndex: num,
  IsMultiregion: bool, TaskGroups: dict(deploymentState),
  Status: oneOf<W.NomadDeploymentStatus>(['running', 'paused', 'failed', 'successful', 'cancelled', 'initializing', 'pending', 'blocked', 'unblocking']),
  StatusDescription: str, EvalPriority: num, CreateIndex: num, ModifyIndex: num, CreateTime: unixNanos, ModifyTime: unixNanos,
});

/** Answer of promote, fail and allocation-health. */
export const deploymentUpdate: Shape<W.NomadDeploymentUpdateResponse> = obj({
  EvalID: str, EvalCreateIndex: num, DeploymentModifyIndex: num, RevertedJobVersion: nullable(num), Index: num,
});

/** One element of `GET /v1/namespaces`. */
export const namespace: Shape<W.NomadNamespace> = obj({ Name: str, Description: str, Meta: stringMap, CreateIndex: num, ModifyIndex: num });

const sample: Shape<W.NomadMetricSample> = obj({ Name: str, Count: num, Sum: num, Min: num, Max: num, Mean: num, Stddev: num, Labels: stringMap });

/** `GET /v1/metrics` (JSON format). */
export const metrics: Shape<W.NomadMetrics> = obj({
  Timestamp: str, Gauges: list(obj<W.NomadMetricGauge>({ Name: str, Value: num, Labels: stringMap })), Counters: list(sample), Samples: list(sample),
});

const payloadParts = { Deployment: deployment, Evaluation: evaluation, Allocation: allocation, Job: job, Deleted: bool } as const;

/** Keeps the payload keys of the topics drover watches; a Node or ACL payload comes through as `{}`. */
const eventPayload: Shape<W.NomadEventPayload> = (value, at) => {
  const source = record(value ?? {}, at);
  const out: Record<string, unknown> = {};
  for (const [key, shape] of Object.entries(payloadParts) as [string, Shape<unknown>][]) {
    if (source[key] !== undefined && source[key] !== null) out[key] = shape(source[key], `${at}.${key}`);
  }
  return out as W.NomadEventPayload;
};

/** One event of the event stream. */
export const event: Shape<W.NomadEvent> = obj({ Topic: str, Type: str, Key: str, Namespace: str, FilterKeys: strings, Index: num, Payload: eventPayload });
