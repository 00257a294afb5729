/**
 * Nomad's HTTP API responses as drover reads them: PascalCase Go field names exactly as on the
 * wire, only the fields drover uses. Missing keys (Allocation and Evaluation are `omitempty`) and
 * `null` slices/maps arrive here as zero values, `[]` and `{}`; zero times as `null`; unix
 * nanosecond timestamps as exact decimal strings. No logic here. Source: shared/reference/nomad.md.
 * The job drover sends is in nomad-job.ts.
 */

/** Unix nanoseconds as exact decimal digits (~1.7e18 exceeds `Number.MAX_SAFE_INTEGER`). */
export type NomadUnixNanos = `${bigint}`;
/** RFC 3339 time, or `null` for Go's zero time. */
export type NomadTime = string | null;
/** Any JSON value (driver `Config`, which keeps HCL's snake_case keys). */
export type NomadJsonValue = string | number | boolean | null | readonly NomadJsonValue[] | { readonly [key: string]: NomadJsonValue };

export type NomadJobType = 'service' | 'batch' | 'system' | 'sysbatch';
export type NomadJobStatus = 'pending' | 'running' | 'dead';
/** Two L's, unlike evaluations' `canceled`. */
export type NomadDeploymentStatus = 'running' | 'paused' | 'failed' | 'successful' | 'cancelled' | 'initializing' | 'pending' | 'blocked' | 'unblocking';
/** One L, unlike deployments' `cancelled`. */
export type NomadEvaluationStatus = 'blocked' | 'pending' | 'complete' | 'failed' | 'canceled';
export type NomadClientStatus = 'pending' | 'running' | 'complete' | 'failed' | 'lost' | 'unknown';
export type NomadDesiredStatus = 'run' | 'stop' | 'evict';

/** `UpdateStrategy` as read back: the effective one lives on each group (job-level keeps only Stagger/MaxParallel). */
export interface NomadUpdateStrategyRead {
  Stagger: number;
  MaxParallel: number;
  HealthCheck: string;
  MinHealthyTime: number;
  HealthyDeadline: number;
  ProgressDeadline: number;
  AutoRevert: boolean;
  AutoPromote: boolean;
  Canary: number;
}

/** A service check as read back (durations in ns). */
export interface NomadServiceCheckRead {
  Name: string;
  Type: string;
  Interval: number;
  Timeout: number;
}

/** A group or task service as read back; `Provider` is `consul` or `nomad`. */
export interface NomadServiceRead {
  Name: string;
  Provider: string;
  Checks: NomadServiceCheckRead[];
}

/** `ReschedulePolicy` as read back (the server fills the job type's default). */
export interface NomadReschedulePolicyRead {
  Attempts: number;
  Interval: number;
  Delay: number;
  DelayFunction: string;
  MaxDelay: number;
  Unlimited: boolean;
}

export interface NomadTaskRead {
  Name: string;
  Driver: string;
  Config: Record<string, NomadJsonValue>;
  Meta: Record<string, string>;
  Services: NomadServiceRead[];
}

export interface NomadTaskGroupRead {
  Name: string;
  Count: number;
  /** `null` for batch/sysbatch groups without an update block. */
  Update: NomadUpdateStrategyRead | null;
  ReschedulePolicy: NomadReschedulePolicyRead | null;
  Meta: Record<string, string>;
  Services: NomadServiceRead[];
  Tasks: NomadTaskRead[];
}

/** `GET /v1/job/:id` (server `structs.Job`, canonicalized), also each of `versions`' `Versions`. */
export interface NomadJobRead {
  ID: string;
  ParentID: string;
  Name: string;
  Namespace: string;
  Region: string;
  Type: NomadJobType;
  Priority: number;
  Datacenters: string[];
  NodePool: string;
  Stop: boolean;
  Status: NomadJobStatus;
  StatusDescription: string;
  Stable: boolean;
  Version: number;
  SubmitTime: NomadUnixNanos;
  CreateIndex: number;
  ModifyIndex: number;
  JobModifyIndex: number;
  Meta: Record<string, string>;
  Update: NomadUpdateStrategyRead | null;
  TaskGroups: NomadTaskGroupRead[];
  VersionTag: { Name: string; Description: string; TaggedTime: NomadUnixNanos } | null;
}

export interface NomadTaskGroupSummary { Queued: number; Complete: number; Failed: number; Running: number; Starting: number; Lost: number; Unknown: number }

/** `GET /v1/job/:id/summary`, also embedded in list stubs. */
export interface NomadJobSummary {
  JobID: string;
  Namespace: string;
  Summary: Record<string, NomadTaskGroupSummary>;
  Children: { Pending: number; Running: number; Dead: number };
  CreateIndex: number;
  ModifyIndex: number;
}

/** One element of `GET /v1/jobs`; `Meta` only with `?meta=true`. */
export interface NomadJobListStub {
  ID: string;
  ParentID: string;
  Name: string;
  Namespace: string;
  Datacenters: string[];
  NodePool: string;
  Type: NomadJobType;
  Priority: number;
  Periodic: boolean;
  ParameterizedJob: boolean;
  Stop: boolean;
  Status: NomadJobStatus;
  StatusDescription: string;
  JobSummary: NomadJobSummary | null;
  CreateIndex: number;
  ModifyIndex: number;
  JobModifyIndex: number;
  SubmitTime: NomadUnixNanos;
  Meta: Record<string, string>;
}

/** Register, revert, scale and evaluate answers. `EvalID` is `""` for periodic/parameterized jobs. */
export interface NomadJobRegisterResponse {
  EvalID: string;
  EvalCreateIndex: number;
  /** Pass as `enforceIndex` on the next register. Unchanged when the job spec was unchanged. */
  JobModifyIndex: number;
  /** One multi-line string, not an array; `""` when none. */
  Warnings: string;
  Index: number;
}

export interface NomadJobDeregisterResponse { EvalID: string; EvalCreateIndex: number; JobModifyIndex: number; Index: number }

export type NomadDiffType = 'None' | 'Added' | 'Deleted' | 'Edited';
/** `Old`/`New` are strings even for numbers and durations (`"5000000000"`). */
export interface NomadFieldDiff { Type: NomadDiffType; Name: string; Old: string; New: string; Annotations: string[] }
export interface NomadObjectDiff { Type: NomadDiffType; Name: string; Fields: NomadFieldDiff[]; Objects: NomadObjectDiff[] }
export interface NomadTaskDiff { Type: NomadDiffType; Name: string; Fields: NomadFieldDiff[]; Objects: NomadObjectDiff[]; Annotations: string[] }
export interface NomadTaskGroupDiff {
  Type: NomadDiffType;
  Name: string;
  Fields: NomadFieldDiff[];
  Objects: NomadObjectDiff[];
  Tasks: NomadTaskDiff[];
  /** Keys like `create`, `destroy`, `in-place update`, `create/destroy update`, `canary`; only non-zero entries. */
  Updates: Record<string, number>;
}
export interface NomadJobDiff { Type: NomadDiffType; ID: string; Fields: NomadFieldDiff[]; Objects: NomadObjectDiff[]; TaskGroups: NomadTaskGroupDiff[] }

export interface NomadDesiredUpdates {
  Ignore: number; Place: number; Migrate: number; Stop: number; InPlaceUpdate: number; DestructiveUpdate: number;
  Canary: number; Preemptions: number; Disconnect: number; Reconnect: number; RescheduleNow: number; RescheduleLater: number;
}

/** Why a placement failed (or would fail); maps are `{}` when Nomad sent `null`. */
export interface NomadAllocMetric {
  NodesEvaluated: number;
  NodesFiltered: number;
  NodesInPool: number;
  NodesAvailable: Record<string, number>;
  ClassFiltered: Record<string, number>;
  ConstraintFiltered: Record<string, number>;
  NodesExhausted: number;
  ClassExhausted: Record<string, number>;
  DimensionExhausted: Record<string, number>;
  QuotaExhausted: string[];
  CoalescedFailures: number;
}

/** `POST /v1/job/:id/plan`. */
export interface NomadJobPlanResponse {
  Annotations: { DesiredTGUpdates: Record<string, NomadDesiredUpdates>; PreemptedAllocs: NomadAllocListStub[] } | null;
  FailedTGAllocs: Record<string, NomadAllocMetric>;
  /** Current server-side JobModifyIndex (0 for a new job): feed it into register's `enforceIndex`. */
  JobModifyIndex: number;
  CreatedEvals: NomadEvaluation[];
  Diff: NomadJobDiff | null;
  NextPeriodicLaunch: NomadTime;
  Warnings: string;
  Index: number;
}

/** `GET /v1/job/:id/versions` (newest first). `Diffs[i]` compares `Versions[i]` with the one before; `[]` unless asked. */
export interface NomadJobVersionsResponse { Versions: NomadJobRead[]; Diffs: NomadJobDiff[] }

/** `GET /v1/job/:id/submission?version=N`: the source the job was submitted from (last 6 versions kept). */
export interface NomadJobSubmission {
  JobID: string;
  Namespace: string;
  Version: number;
  JobModifyIndex: number;
  Format: string;
  Source: string;
  VariableFlags: Record<string, string>;
  Variables: string;
}

export interface NomadScalingEvent { Count: number | null; PreviousCount: number; Error: boolean; Message: string; EvalID: string; Time: NomadUnixNanos; CreateIndex: number }
export interface NomadTaskGroupScaleStatus { Desired: number; Placed: number; Running: number; Healthy: number; Unhealthy: number; Events: NomadScalingEvent[] }

/** `GET /v1/job/:id/scale`. */
export interface NomadJobScaleStatus {
  JobID: string;
  Namespace: string;
  JobCreateIndex: number;
  JobModifyIndex: number;
  JobStopped: boolean;
  TaskGroups: Record<string, NomadTaskGroupScaleStatus>;
}

/** Per-group progress of a deployment; canary health comes from here. */
export interface NomadDeploymentState {
  AutoRevert: boolean;
  AutoPromote: boolean;
  ProgressDeadline: number;
  /** `null` until the first allocation is placed. */
  RequireProgressBy: NomadTime;
  Promoted: boolean;
  PlacedCanaries: string[];
  DesiredCanaries: number;
  DesiredTotal: number;
  PlacedAllocs: number;
  HealthyAllocs: number;
  UnhealthyAllocs: number;
}

export interface NomadDeployment {
  ID: string;
  Namespace: string;
  JobID: string;
  JobVersion: number;
  JobModifyIndex: number;
  JobSpecModifyIndex: number;
  JobCreateIndex: number;
  IsMultiregion: boolean;
  TaskGroups: Record<string, NomadDeploymentState>;
  Status: NomadDeploymentStatus;
  StatusDescription: string;
  EvalPriority: number;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: NomadUnixNanos;
  ModifyTime: NomadUnixNanos;
}

/** Promote, fail and allocation-health answers. `RevertedJobVersion` is set when fail triggered an auto-revert. */
export interface NomadDeploymentUpdateResponse {
  EvalID: string;
  EvalCreateIndex: number;
  DeploymentModifyIndex: number;
  RevertedJobVersion: number | null;
  Index: number;
}

export interface NomadEvaluation {
  ID: string;
  Namespace: string;
  Priority: number;
  Type: string;
  TriggeredBy: string;
  JobID: string;
  JobModifyIndex: number;
  DeploymentID: string;
  Status: NomadEvaluationStatus;
  StatusDescription: string;
  NextEval: string;
  PreviousEval: string;
  /** Set on an eval that could not place everything: the `blocked` eval waiting for capacity. */
  BlockedEval: string;
  FailedTGAllocs: Record<string, NomadAllocMetric>;
  QueuedAllocations: Record<string, number>;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: NomadUnixNanos;
  ModifyTime: NomadUnixNanos;
}

/** Prefer `DisplayMessage`; the specific fields explain driver, setup, template/Vault and kill failures. */
export interface NomadTaskEvent {
  Type: string;
  Time: NomadUnixNanos;
  DisplayMessage: string;
  Message: string;
  Details: Record<string, string>;
  FailsTask: boolean;
  RestartReason: string;
  SetupError: string;
  DriverError: string;
  DriverMessage: string;
  ExitCode: number;
  Signal: number;
  KillReason: string;
  KillError: string;
  DownloadError: string;
  ValidationError: string;
  VaultError: string;
}

export interface NomadTaskState {
  State: 'pending' | 'running' | 'dead';
  Failed: boolean;
  Restarts: number;
  LastRestart: NomadTime;
  StartedAt: NomadTime;
  FinishedAt: NomadTime;
  /** The last 10 events. */
  Events: NomadTaskEvent[];
}

/** `Healthy: null` = not yet determined. */
export interface NomadAllocDeploymentStatus { Healthy: boolean | null; Timestamp: NomadTime; Canary: boolean; ModifyIndex: number }

export interface NomadRescheduleEvent { RescheduleTime: NomadUnixNanos; PrevAllocID: string; PrevNodeID: string; Delay: number }

/** Allocation lists (`/job/:id/allocations`, `/deployment/allocations/:id`, …). No `DeploymentID` in a stub. */
export interface NomadAllocListStub {
  ID: string;
  EvalID: string;
  Name: string;
  Namespace: string;
  NodeID: string;
  NodeName: string;
  JobID: string;
  JobType: string;
  JobVersion: number;
  TaskGroup: string;
  DesiredStatus: NomadDesiredStatus;
  DesiredDescription: string;
  ClientStatus: NomadClientStatus;
  ClientDescription: string;
  TaskStates: Record<string, NomadTaskState>;
  DeploymentStatus: NomadAllocDeploymentStatus | null;
  FollowupEvalID: string;
  NextAllocation: string;
  RescheduleTracker: { Events: NomadRescheduleEvent[] } | null;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: NomadUnixNanos;
  ModifyTime: NomadUnixNanos;
}

/** `GET /v1/allocation/:id` (omitempty-encoded on the wire; zero values here). */
export interface NomadAllocation extends NomadAllocListStub {
  DeploymentID: string;
  PreviousAllocation: string;
  AllocModifyIndex: number;
  Metrics: NomadAllocMetric | null;
}

/** Payload of an event; which key is set depends on the topic (others are not kept). */
export interface NomadEventPayload {
  Deployment?: NomadDeployment;
  Evaluation?: NomadEvaluation;
  /** Sent without its `Job`. */
  Allocation?: NomadAllocation;
  Job?: NomadJobRead;
  Deleted?: boolean;
}

/** One event. `Type` follows the Raft operation (a new deployment is `Topic: Deployment, Type: PlanResult`). */
export interface NomadEvent {
  Topic: string;
  Type: string;
  Key: string;
  Namespace: string;
  FilterKeys: string[];
  Index: number;
  Payload: NomadEventPayload;
}

export interface NomadNamespace { Name: string; Description: string; Meta: Record<string, string>; CreateIndex: number; ModifyIndex: number }

export interface NomadMetricGauge { Name: string; Value: number; Labels: Record<string, string> }
export interface NomadMetricSample { Name: string; Count: number; Sum: number; Min: number; Max: number; Mean: number; Stddev: number; Labels: Record<string, string> }

/** `GET /v1/metrics` (JSON format). */
export interface NomadMetrics { Timestamp: string; Gauges: NomadMetricGauge[]; Counters: NomadMetricSample[]; Samples: NomadMetricSample[] }
