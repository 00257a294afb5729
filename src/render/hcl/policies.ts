import type { NomadReschedulePolicy, NomadScaling, NomadTaskGroup, NomadUpdateStrategy } from '../../wire/nomad-job.ts';
import { freeformBody } from './freeform.ts';
import { attr, durationAttr, optionalBlock, type HclItem } from './syntax.ts';

/** `update`, for jobs and groups; only the fields the wire object sets, in Nomad's docs order. */
export function updateBlock(update: NomadUpdateStrategy | undefined): HclItem[] {
  return optionalBlock('update', update, (u) => [
    ...attr('max_parallel', u.MaxParallel),
    ...attr('health_check', u.HealthCheck),
    ...durationAttr('min_healthy_time', u.MinHealthyTime),
    ...durationAttr('healthy_deadline', u.HealthyDeadline),
    ...durationAttr('progress_deadline', u.ProgressDeadline),
    ...attr('auto_revert', u.AutoRevert),
    ...attr('auto_promote', u.AutoPromote),
    ...attr('canary', u.Canary),
  ]);
}

/** `restart`: every field is set on the wire, durations as Go strings. */
export function restartBlock(policy: NomadTaskGroup['RestartPolicy']): HclItem[] {
  return optionalBlock('restart', policy, (p) => [
    ...attr('attempts', p.Attempts),
    ...durationAttr('interval', p.Interval),
    ...durationAttr('delay', p.Delay),
    ...attr('mode', p.Mode),
  ]);
}

/** `reschedule`: only the fields the wire object sets. */
export function rescheduleBlock(policy: NomadReschedulePolicy | undefined): HclItem[] {
  return optionalBlock('reschedule', policy, (p) => [
    ...attr('attempts', p.Attempts),
    ...durationAttr('interval', p.Interval),
    ...durationAttr('delay', p.Delay),
    ...attr('delay_function', p.DelayFunction),
    ...durationAttr('max_delay', p.MaxDelay),
    ...attr('unlimited', p.Unlimited),
  ]);
}

/** `migrate` (service jobs only; the JSON renderer decides when it is present). */
export function migrateBlock(policy: NomadTaskGroup['Migrate']): HclItem[] {
  return optionalBlock('migrate', policy, (p) => [
    ...attr('max_parallel', p.MaxParallel),
    ...attr('health_check', p.HealthCheck),
    ...durationAttr('min_healthy_time', p.MinHealthyTime),
    ...durationAttr('healthy_deadline', p.HealthyDeadline),
  ]);
}

/**
 * `scaling` with its autoscaler `policy`. The policy is schemaless to Nomad, so its durations stay
 * strings ("1m") and its nested lists become (labeled) blocks: `check "avg_cpu" { strategy
 * "target-value" { target = 60 } }` parses back to `check: [{ avg_cpu: [{ strategy: [...] }] }]`.
 */
export function scalingBlock(scaling: NomadScaling | undefined): HclItem[] {
  return optionalBlock('scaling', scaling, (s) => [
    ...attr('min', s.Min),
    ...attr('max', s.Max),
    ...attr('enabled', s.Enabled),
    ...optionalBlock('policy', s.Policy, (policy) => freeformBody(policy, 'scaling policy')),
  ]);
}
