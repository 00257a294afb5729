import type { AllocationFailure } from '../watch/classify.ts';

/*
 * What a rollout ends with, per job. Its home is deploy/, which decides it; reporters, release
 * records and metrics read it from here instead of from each other.
 */

/** How one job's rollout ended. */
export type JobOutcome =
  | { readonly status: 'succeeded'; readonly version: number; readonly deploymentId?: string }
  | { readonly status: 'unchanged'; readonly version: number }
  | { readonly status: 'awaiting-promotion'; readonly version: number; readonly deploymentId: string; readonly groups: readonly string[] }
  | { readonly status: 'failed'; readonly version: number; readonly reason: string; readonly runningVersion?: number; readonly failure?: AllocationFailure; readonly revert?: RevertWaiting }
  | { readonly status: 'placement-failed'; readonly version: number; readonly group: string; readonly reason: string; readonly runningVersion?: number }
  | { readonly status: 'skipped'; readonly reason: string };

/**
 * Nomad's auto-revert after the failure: the stable version `toVersion` registered again as
 * `version`, whose deployment waits for its canaries to be promoted (hashicorp/nomad#10882).
 */
export interface RevertWaiting {
  readonly toVersion: number;
  readonly version: number;
  readonly deploymentId: string;
}

export interface JobResult {
  readonly job: string;
  readonly outcome: JobOutcome;
}
