import type { Duration } from './duration.ts';

/**
 * Horizontal autoscaling by the Nomad Autoscaler (what a Kubernetes HPA would be).
 * @see https://developer.hashicorp.com/nomad/tools/autoscaling/policy
 */
export interface ScalingSpec {
  readonly min: number;
  readonly max: number;
  readonly target:
    | { readonly kind: 'cpu'; /** Average CPU, % of allocated. */ readonly percent: number }
    | { readonly kind: 'prometheus'; readonly query: string; /** Target value of the query per allocation. */ readonly value: number };
  /** @default "1m" */
  readonly cooldown?: Duration;
  /** @default "30s" */
  readonly evaluationInterval?: Duration;
}
