import type { AllocMetric, Allocation, Deployment, JobObject, SimNode } from './model.ts';
import type { Capacity, Exhausted } from './placement.ts';

// The reconciler's inputs and outputs, apart from its modules: reconcile.ts, reconcile-group.ts
// and group-planner.ts all speak them, and with the types in reconcile.ts its two helpers had to
// import the module that imports them (an import cycle).

/** `DesiredUpdates` of one task group (plan annotations, nomad.md §3.4). */
export interface DesiredUpdates {
  Ignore: number;
  Place: number;
  Migrate: number;
  Stop: number;
  InPlaceUpdate: number;
  DestructiveUpdate: number;
  Canary: number;
  Preemptions: number;
  Disconnect: number;
  Reconnect: number;
  RescheduleNow: number;
  RescheduleLater: number;
}

/** A new allocation the plan places. */
export interface Placement {
  readonly id: string;
  readonly group: string;
  readonly name: string;
  readonly node: SimNode;
  readonly canary: boolean;
  readonly previous?: Allocation;
  readonly reschedule: boolean;
}

/** Everything one evaluation decides for a job; applied by the scheduler or shown by plan. */
export interface ReconcileResult {
  readonly place: Placement[];
  readonly stop: { readonly alloc: Allocation; readonly description: string }[];
  readonly inPlace: Allocation[];
  readonly deployment: Deployment | undefined;
  readonly newDeployment: boolean;
  readonly cancel: { readonly deployment: Deployment; readonly description: string }[];
  readonly complete: boolean;
  readonly desired: Record<string, DesiredUpdates>;
  readonly failed: Record<string, AllocMetric>;
  readonly queued: Record<string, number>;
  readonly followups: { readonly alloc: Allocation; readonly at: number; readonly evalId: string }[];
}

/** Inputs of `reconcile` (reconcile.ts). */
export interface ReconcileInput {
  /** Current job version; undefined when the job was purged. */
  readonly job: JobObject | undefined;
  readonly allocs: readonly Allocation[];
  readonly deployments: readonly Deployment[];
  readonly nodes: readonly SimNode[];
  readonly capacity: Capacity;
  readonly now: number;
  readonly newId: () => string;
  readonly evalPriority: number;
  /** Scenario: every placement fails on this dimension. */
  readonly unplaceable?: Exhausted;
  /** When an allocation failed or was found unhealthy (sandbox ms). */
  readonly failedAt: (alloc: Allocation) => number;
}
