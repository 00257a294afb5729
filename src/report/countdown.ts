/**
 * Countdowns of the waits a deploy goes through (the soak, each progressive canary step), derived
 * from the events that start and end them and the reporter's clock. Pure: reporters own the clock
 * and the printing; the tty reporter shows them in its live block, the plain one every so often.
 */
import type { DeployEvent } from './events.ts';

/** A wait in progress, keyed in a {@link Countdowns} map by what waits (`soak`, `canary:<job>`). */
export type Countdown =
  | { readonly kind: 'soak'; readonly release: string; readonly startedAtMs: number; readonly endsAtMs: number }
  | {
      readonly kind: 'canary';
      readonly job: string;
      readonly step: number;
      readonly of: number;
      readonly weight: number;
      readonly startedAtMs: number;
      readonly intervalMs: number;
      readonly count: number;
      /** The last measurement of this step, or the step's start before the first. */
      readonly lastMeasuredAtMs: number;
    };

export type Countdowns = ReadonlyMap<string, Countdown>;

/** The countdowns after `event`, received at `nowMs`; unchanged (same map) when it touches none. */
export function reduceCountdowns(countdowns: Countdowns, event: DeployEvent, nowMs: number): Countdowns {
  const next = new Map(countdowns);
  switch (event.type) {
    case 'soak-started':
      return next.set('soak', { kind: 'soak', release: event.release, startedAtMs: nowMs, endsAtMs: nowMs + event.durationMs });
    case 'soak-finished':
      return next.delete('soak') ? next : countdowns;
    case 'canary-weight-set': {
      const { job, step, of, weight, intervalMs, count } = event;
      return next.set(`canary:${job}`, { kind: 'canary', job, step, of, weight, startedAtMs: nowMs, intervalMs, count, lastMeasuredAtMs: nowMs });
    }
    case 'canary-measured': {
      const current = countdowns.get(`canary:${event.job}`);
      return current?.kind === 'canary' ? next.set(`canary:${event.job}`, { ...current, lastMeasuredAtMs: nowMs }) : countdowns;
    }
    case 'canary-step-passed':
    case 'canary-analysis-failed':
    case 'canary-promoted':
    case 'canary-deployment-failed':
    case 'job-finished':
      return next.delete(`canary:${event.job}`) ? next : countdowns;
    case 'deploy-finished':
      return countdowns.size ? new Map() : countdowns;
    default:
      return countdowns;
  }
}

/**
 * The two clocks of the countdowns: the soak waits through the deploy's injected `sleep` (the
 * demo's sandbox time, faster than the wall), canary steps on the wall clock (real Prometheus).
 */
export interface CountdownClocks {
  readonly now: () => number;
  readonly soakNow: () => number;
}

/** The clock `event` is timed on. */
export function clockOf(event: DeployEvent, clocks: CountdownClocks): number {
  return event.type === 'soak-started' || event.type === 'soak-finished' ? clocks.soakNow() : clocks.now();
}

/** The clock `countdown` counts on. */
export function countdownNow(countdown: Countdown, clocks: CountdownClocks): number {
  return countdown.kind === 'soak' ? clocks.soakNow() : clocks.now();
}

/** Milliseconds until the countdown's end (0 once it is due). */
export function remainingMs(countdown: Countdown, nowMs: number): number {
  if (countdown.kind === 'soak') return Math.max(0, countdown.endsAtMs - nowMs);
  return Math.max(0, stepEndMs(countdown) - nowMs);
}

/** A step lasts `count` measurements at least; past that, it ends at the earliest with the next one. */
function stepEndMs(c: Extract<Countdown, { kind: 'canary' }>): number {
  return Math.max(c.startedAtMs + c.intervalMs * c.count, c.lastMeasuredAtMs + c.intervalMs);
}

/**
 * What is left, without its subject (the reporter labels the line `soak` or with the job):
 * `1m20s left (release r-…)`, `canary step 2/3 25 % — next measurement in 12s, step ends in 1m05s`.
 */
export function describeCountdown(countdown: Countdown, nowMs: number): string {
  if (countdown.kind === 'soak') return `${formatRemaining(remainingMs(countdown, nowMs))} left (release ${countdown.release})`;
  const next = Math.max(0, countdown.lastMeasuredAtMs + countdown.intervalMs - nowMs);
  const weight = `${Number((countdown.weight * 100).toFixed(2))} %`;
  return `canary step ${countdown.step}/${countdown.of} ${weight} — next measurement in ${formatRemaining(next)}, step ends in ${formatRemaining(remainingMs(countdown, nowMs))}`;
}

/** `45s`, `1m05s`, `1h02m`: whole seconds, rounded up so that `0s` means due. */
export function formatRemaining(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * How often the plain reporter repeats a countdown: about ten lines per wait, on round numbers
 * (every 10 s for a 2-minute soak, every minute for a 10-minute one), never more than every 5 s.
 */
export function plainEveryMs(totalMs: number): number {
  const steps = [5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];
  return steps.find((s) => s * 10 >= totalMs) ?? 600_000;
}

/** The countdown's whole length, for {@link plainEveryMs}. */
export function totalMs(countdown: Countdown): number {
  return countdown.kind === 'soak' ? countdown.endsAtMs - countdown.startedAtMs : countdown.intervalMs * countdown.count;
}
