import type { Allocation, Json } from './model.ts';

/** How a failed allocation should be handled by the next plan. */
export type RescheduleDecision =
  | { readonly kind: 'now' }
  | { readonly kind: 'later'; readonly at: number }
  | { readonly kind: 'never' };

/**
 * Applies a group's `ReschedulePolicy` to an allocation that failed at `failedAt` (sandbox ms):
 * attempts within `Interval` (unless `Unlimited`), delay by `DelayFunction` capped at `MaxDelay`.
 */
export function decideReschedule(alloc: Allocation, policy: Json | null, failedAt: number, now: number): RescheduleDecision {
  if (!policy) return { kind: 'never' };
  const events = alloc.RescheduleTracker?.Events ?? [];
  const unlimited = policy.Unlimited === true;
  const interval = Number(policy.Interval ?? 0) / 1e6;
  const recent = unlimited ? events.length : events.filter((e) => Number(e.RescheduleTime / 1_000_000n) > now - interval).length;
  if (!unlimited && recent >= Number(policy.Attempts ?? 0)) return { kind: 'never' };
  const at = failedAt + rescheduleDelay(policy, events.length) / 1e6;
  return at <= now ? { kind: 'now' } : { kind: 'later', at };
}

/**
 * Nomad's `RescheduleTracker.RescheduleEligible` (nomad/structs/structs.go): no policy, or one
 * with neither attempts nor `Unlimited`, never reschedules; otherwise fewer attempts than allowed
 * within `Interval` before `now` (sandbox ms).
 */
export function isRescheduleEligible(alloc: Allocation, policy: Json | null | undefined, now: number): boolean {
  if (!policy) return false;
  const attempts = Number(policy.Attempts ?? 0);
  if (policy.Unlimited === true) return true;
  if (attempts <= 0) return false;
  const interval = Number(policy.Interval ?? 0) / 1e6;
  const recent = (alloc.RescheduleTracker?.Events ?? []).filter((e) => now - Number(e.RescheduleTime / 1_000_000n) < interval);
  return recent.length < attempts;
}

/** Delay in nanoseconds before attempt number `attempt` (0-based). */
export function rescheduleDelay(policy: Json, attempt: number): number {
  const base = Number(policy.Delay ?? 0);
  const max = Number(policy.MaxDelay ?? 0);
  let delay = base;
  if (policy.DelayFunction === 'exponential') delay = base * 2 ** attempt;
  else if (policy.DelayFunction === 'fibonacci') delay = base * fibonacci(attempt + 1);
  return max > 0 ? Math.min(delay, max) : delay;
}

function fibonacci(n: number): number {
  let [a, b] = [1, 1];
  for (let i = 2; i < n; i++) [a, b] = [b, a + b];
  return n <= 2 ? 1 : b;
}
