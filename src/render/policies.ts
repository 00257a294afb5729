import type { Environment } from '../config/environment.ts';
import type { MigratePolicy, ReschedulePolicy, RestartPolicy, UpdatePolicy } from '../model/policies.ts';
import type { ScalingSpec } from '../model/scaling.ts';
import type { NomadReschedulePolicy, NomadScaling, NomadTaskGroup, NomadUpdateStrategy } from '../wire/nomad-job.ts';
import { compact } from './canonical-json.ts';
import { nanos, optionalNanos } from './nanos.ts';

/**
 * The update block, with Nomad's defaults written out so the rendered spec says what will happen.
 * drover's one deliberate difference: `auto_revert` defaults to true. `hold` (deploy
 * --stop-at-canary) keeps canaries for a promotion even where the mode is `auto`.
 */
export function renderUpdate(policy: UpdatePolicy | undefined, env: Environment, hold = false): NomadUpdateStrategy {
  const p = policy ?? { strategy: 'rolling' };
  const canary = p.strategy === 'canary';
  return {
    MaxParallel: p.maxParallel ?? 1,
    HealthCheck: p.healthCheck ?? 'checks',
    MinHealthyTime: nanos(p.minHealthyTime ?? '10s'),
    HealthyDeadline: nanos(p.healthyDeadline ?? '5m'),
    ProgressDeadline: nanos(p.progressDeadline ?? '10m'),
    AutoRevert: p.autoRevert ?? true,
    Canary: canary ? (p.canaries ?? 1) : 0,
    AutoPromote: canary && !hold ? (p.promotion ?? env.promotion.canary) === 'auto' : false,
  };
}

export function renderRestart(policy: RestartPolicy | undefined): NomadTaskGroup['RestartPolicy'] {
  if (!policy) return undefined;
  return { Attempts: policy.attempts, Interval: nanos(policy.interval), Delay: nanos(policy.delay), Mode: policy.mode ?? 'fail' };
}

export function renderReschedule(policy: ReschedulePolicy | undefined): NomadReschedulePolicy | undefined {
  if (!policy) return undefined;
  return compact({
    Attempts: policy.attempts,
    Interval: optionalNanos(policy.interval),
    Delay: nanos(policy.delay),
    DelayFunction: policy.delayFunction,
    MaxDelay: optionalNanos(policy.maxDelay),
    Unlimited: policy.unlimited,
  });
}

export function renderMigrate(policy: MigratePolicy | undefined): NomadTaskGroup['Migrate'] {
  if (!policy) return undefined;
  return {
    MaxParallel: policy.maxParallel ?? 1,
    HealthCheck: policy.healthCheck ?? 'checks',
    MinHealthyTime: nanos(policy.minHealthyTime ?? '10s'),
    HealthyDeadline: nanos(policy.healthyDeadline ?? '5m'),
  };
}

/**
 * Nomad Autoscaler policy. Nested blocks are lists of maps, the shape Nomad stores when it parses
 * the same policy from HCL, so JSON- and HCL-submitted jobs compare equal.
 */
export function renderScaling(spec: ScalingSpec | undefined): NomadScaling | undefined {
  if (!spec) return undefined;
  const check =
    spec.target.kind === 'cpu'
      ? { avg_cpu: [{ source: 'nomad-apm', query: 'avg_cpu-allocated', strategy: [{ 'target-value': [{ target: spec.target.percent }] }] }] }
      : { prometheus: [{ source: 'prometheus', query: spec.target.query, strategy: [{ 'target-value': [{ target: spec.target.value }] }] }] };
  return {
    Min: spec.min,
    Max: spec.max,
    Enabled: true,
    Policy: { cooldown: spec.cooldown ?? '1m', evaluation_interval: spec.evaluationInterval ?? '30s', check: [check] },
  };
}
