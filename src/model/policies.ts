import type { Duration } from './duration.ts';
import type { CanaryAnalysisSettings, CanaryPromotion } from '../config/environment.ts';

/** A gate of a progressive canary: a PromQL instant query whose value must stay at or below `max`. */
export interface CanaryMetric {
  /** Short id shown in reports, e.g. `checkout-errors`; unique within the policy. */
  readonly name: string;
  /** Answers one number: a scalar, or a vector whose largest sample counts. */
  readonly query: string;
  readonly max: number;
}

/** A job's own settings for progressive canaries, over the environment's `promotion.analysis`. */
export interface CanaryAnalysisOverrides extends Partial<CanaryAnalysisSettings> {
  /** Replace the default gates (route 5xx ratio and p99 latency) with these queries. */
  readonly metrics?: readonly CanaryMetric[];
}

interface UpdateBase {
  /** Allocations updated at a time. @default 1 */
  readonly maxParallel?: number;
  /** What decides health. @default "checks" */
  readonly healthCheck?: 'checks' | 'task_states' | 'manual';
  /** @default "10s" */
  readonly minHealthyTime?: Duration;
  /** @default "5m" */
  readonly healthyDeadline?: Duration;
  /** @default "10m" */
  readonly progressDeadline?: Duration;
  /** Roll back to the last stable version when the deployment fails. @default true */
  readonly autoRevert?: boolean;
}

/**
 * How Nomad replaces allocations on a new version.
 * @see https://developer.hashicorp.com/nomad/docs/job-specification/update
 */
export type UpdatePolicy =
  | (UpdateBase & { readonly strategy: 'rolling' })
  | (UpdateBase & {
      readonly strategy: 'canary';
      /** Number of canaries. @default 1 */
      readonly canaries?: number;
      /** @default the environment's `promotion.canary` */
      readonly promotion?: CanaryPromotion;
      /** Steps and gates when the promotion is `progressive`, over the environment's `promotion.analysis`. */
      readonly analysis?: CanaryAnalysisOverrides;
    });

/** @see https://developer.hashicorp.com/nomad/docs/job-specification/restart */
export interface RestartPolicy {
  readonly attempts: number;
  readonly interval: Duration;
  readonly delay: Duration;
  /** @default "fail" */
  readonly mode?: 'fail' | 'delay';
}

/** @see https://developer.hashicorp.com/nomad/docs/job-specification/reschedule */
export interface ReschedulePolicy {
  readonly attempts?: number;
  readonly interval?: Duration;
  readonly delay: Duration;
  readonly delayFunction?: 'constant' | 'exponential' | 'fibonacci';
  readonly maxDelay?: Duration;
  readonly unlimited?: boolean;
}

/** @see https://developer.hashicorp.com/nomad/docs/job-specification/migrate */
export interface MigratePolicy {
  readonly maxParallel?: number;
  readonly healthCheck?: 'checks' | 'task_states';
  readonly minHealthyTime?: Duration;
  readonly healthyDeadline?: Duration;
}
