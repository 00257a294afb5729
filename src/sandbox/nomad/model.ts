/**
 * The Nomad simulator's state objects. Field names are Nomad's wire names (PascalCase) so the
 * encoders only pick and omit; unix-nano times are `bigint`, RFC3339 times are `string | null`
 * (Go encodes the zero time as null). Source: shared/reference/nomad.md §3–§6.
 */

/** Any JSON object (jobs are kept as canonicalized JSON, not typed field by field). */
export type Json = Record<string, unknown>;

/** A job as stored: the canonicalized `structs.Job` JSON including server fields. */
export type JobObject = Json & {
  ID: string;
  Namespace: string;
  Type: 'service' | 'batch' | 'system' | 'sysbatch';
  Version: number;
  Stop: boolean;
  Stable: boolean;
  Status: 'pending' | 'running' | 'dead';
  TaskGroups: Json[];
  CreateIndex: number;
  ModifyIndex: number;
  JobModifyIndex: number;
  SubmitTime: bigint;
};

/** `JobSubmission` as `GET /v1/job/:id/submission` returns it. */
export interface JobSubmission {
  Source: string;
  Format: string;
  VariableFlags: Record<string, string> | null;
  Variables: string;
  Namespace: string;
  JobID: string;
  Version: number;
  JobModifyIndex: number;
}

/** `ScalingEvent` in `JobScaleStatus.TaskGroups[g].Events`. */
export interface ScalingEvent {
  Count: number | null;
  PreviousCount: number;
  Error: boolean;
  Message: string;
  Meta: Json | null;
  EvalID: string | null;
  Time: bigint;
  CreateIndex: number;
}

/** Every version of one job ID in one namespace, oldest first; the last is current. */
export interface JobRecord {
  readonly namespace: string;
  readonly id: string;
  versions: JobObject[];
  submissions: Map<number, JobSubmission>;
  scalingEvents: Map<string, ScalingEvent[]>;
}

/** `TaskEvent`; every field is always present (TaskEvent is not omitempty). */
export interface TaskEvent {
  Type: string;
  Time: bigint;
  Message: string;
  DisplayMessage: string;
  Details: Record<string, string>;
  FailsTask: boolean;
  RestartReason: string;
  SetupError: string;
  DriverError: string;
  DriverMessage: string;
  ExitCode: number;
  Signal: number;
  KillReason: string;
  KillTimeout: number;
  KillError: string;
  StartDelay: number;
  DownloadError: string;
  ValidationError: string;
  DiskLimit: number;
  FailedSibling: string;
  VaultError: string;
  TaskSignalReason: string;
  TaskSignal: string;
  GenericSource: string;
}

/** `TaskState`. */
export interface TaskState {
  State: 'pending' | 'running' | 'dead';
  Failed: boolean;
  Restarts: number;
  LastRestart: string | null;
  StartedAt: string | null;
  FinishedAt: string | null;
  Events: TaskEvent[];
  /** The pause state of a task with a `schedule` block; "" otherwise (Nomad 2.0.5 always sends it). */
  Paused: string;
}

/** `AllocDeploymentStatus`. */
export interface AllocDeploymentStatus {
  Healthy: boolean | null;
  Timestamp: string | null;
  Canary: boolean;
  ModifyIndex: number;
}

/** `DesiredTransition`. */
export interface DesiredTransition {
  Migrate: boolean | null;
  Reschedule: boolean | null;
  ForceReschedule: boolean | null;
  NoShutdownDelay: boolean | null;
  MigrateDisablePlacement: boolean | null;
}

/** `RescheduleTracker`. */
export interface RescheduleTracker {
  Events: { RescheduleTime: bigint; PrevAllocID: string; PrevNodeID: string; Delay: number }[];
  LastReschedule: string;
}

/** `Allocation.ClientStatus` values. */
export type ClientStatus = 'pending' | 'running' | 'complete' | 'failed' | 'lost' | 'unknown';

/** `structs.Allocation` (encoded omitempty at top level). */
export interface Allocation {
  ID: string;
  Namespace: string;
  EvalID: string;
  Name: string;
  NodeID: string;
  NodeName: string;
  JobID: string;
  Job: JobObject;
  TaskGroup: string;
  AllocatedResources: Json;
  Metrics: Json;
  DesiredStatus: 'run' | 'stop' | 'evict';
  DesiredDescription: string;
  DesiredTransition: DesiredTransition;
  ClientStatus: ClientStatus;
  ClientDescription: string;
  TaskStates: Record<string, TaskState> | null;
  DeploymentID: string;
  DeploymentStatus: AllocDeploymentStatus | null;
  PreviousAllocation: string;
  NextAllocation: string;
  FollowupEvalID: string;
  RescheduleTracker: RescheduleTracker | null;
  CreateIndex: number;
  ModifyIndex: number;
  AllocModifyIndex: number;
  CreateTime: bigint;
  ModifyTime: bigint;
}

/** `AllocMetric` (placement metrics; FailedTGAllocs values). */
export type AllocMetric = Json;

/** `structs.Evaluation` (encoded omitempty). */
export interface Evaluation {
  ID: string;
  Namespace: string;
  Priority: number;
  Type: string;
  TriggeredBy: string;
  JobID: string;
  JobModifyIndex: number;
  DeploymentID: string;
  Status: 'blocked' | 'pending' | 'complete' | 'failed' | 'canceled';
  StatusDescription: string;
  Wait: number;
  WaitUntil: string | null;
  NextEval: string;
  PreviousEval: string;
  BlockedEval: string;
  FailedTGAllocs: Record<string, AllocMetric> | null;
  ClassEligibility: Record<string, boolean> | null;
  EscapedComputedClass: boolean;
  QueuedAllocations: Record<string, number> | null;
  /** What the scheduler's plan did per group; set when an evaluation completes (Nomad 2.0.5 sends it). */
  PlanAnnotations?: { DesiredTGUpdates: Record<string, unknown>; PreemptedAllocs: null } | null;
  SnapshotIndex: number;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: bigint;
  ModifyTime: bigint;
}

/** `DeploymentState` (one task group of a deployment). */
export interface DeploymentState {
  AutoRevert: boolean;
  AutoPromote: boolean;
  ProgressDeadline: number;
  RequireProgressBy: string | null;
  Promoted: boolean;
  PlacedCanaries: string[] | null;
  DesiredCanaries: number;
  DesiredTotal: number;
  PlacedAllocs: number;
  HealthyAllocs: number;
  UnhealthyAllocs: number;
}

/** `Deployment.Status` values (note the two Ls of `cancelled`). */
export type DeploymentStatus = 'running' | 'paused' | 'failed' | 'successful' | 'cancelled' | 'initializing' | 'pending' | 'blocked' | 'unblocking';

/** `structs.Deployment`. */
export interface Deployment {
  ID: string;
  Namespace: string;
  JobID: string;
  JobVersion: number;
  JobModifyIndex: number;
  JobSpecModifyIndex: number;
  JobCreateIndex: number;
  IsMultiregion: boolean;
  TaskGroups: Record<string, DeploymentState>;
  Status: DeploymentStatus;
  StatusDescription: string;
  EvalPriority: number;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: bigint;
  ModifyTime: bigint;
}

/** A simulated client node. */
export interface SimNode {
  readonly ID: string;
  readonly Name: string;
  readonly Datacenter: string;
  readonly NodePool: string;
  readonly Address: string;
  readonly CpuMHz: number;
  readonly MemoryMB: number;
}

/** Deployment statuses that still progress (nomad.md §4.2). */
export const ACTIVE_DEPLOYMENT: ReadonlySet<DeploymentStatus> = new Set(['running', 'paused', 'blocked', 'unblocking', 'initializing', 'pending']);

/** Fixed texts Nomad uses (nomad.md §4.2). */
export const DEPLOYMENT_TEXT = {
  running: 'Deployment is running',
  needsPromotion: 'Deployment is running but requires manual promotion',
  autoPromotion: 'Deployment is running pending automatic promotion',
  successful: 'Deployment completed successfully',
  stopped: 'Cancelled because job is stopped',
  newerJob: 'Cancelled due to newer version of job',
  unhealthy: 'Failed due to unhealthy allocations',
  progressDeadline: 'Failed due to progress deadline',
  markedFailed: 'Deployment marked as failed',
} as const;

/** Is the allocation done on the client or told to stop? (`Allocation.TerminalStatus`) */
export function isTerminal(alloc: Allocation): boolean {
  return alloc.DesiredStatus !== 'run' || ['complete', 'failed', 'lost'].includes(alloc.ClientStatus);
}

/** Name index of `job.group[3]` → 3. */
export function nameIndex(name: string): number {
  const match = /\[(\d+)\]$/.exec(name);
  return match ? Number(match[1]) : 0;
}
