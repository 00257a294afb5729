import type { CheckObservation, HealthWait, WaitDeadline } from './health-wait.ts';

/**
 * `check "api-ready" of service api is critical: HTTP GET …: 503 …; healthy_deadline (30s) at … marks
 * the allocation unhealthy; the deployment then waits for progress_deadline (1m) at …, which fails
 * it and rolls back (auto_revert)`. Pure.
 */
export function summarizeHealthWait(wait: HealthWait): string {
  return `${wait.checks.map(describeCheck).join('; ')}; ${describeDeadline(wait.deadline, wait.markedUnhealthy)}`;
}

/**
 * A check and its output. An empty output is Consul's, not ours: the agent writes a check's output
 * back to the catalog at once only when its status changes; a check failing from the start keeps
 * `""` there until check_update_interval (5m by default; 2.5–7.5 min with its stagger) — seen on a
 * real Consul 1.8.7 agent, whose own /v1/agent/checks had the output all along.
 */
export function describeCheck(check: CheckObservation): string {
  const head = `check "${check.check}" of service ${check.service} is ${check.status}`;
  if (check.output) return `${head}: ${check.output.trim()}`;
  return `${head} (no output in Consul's catalog yet: it is written back on a status change or every check_update_interval, 5m by default)`;
}

function describeDeadline(d: WaitDeadline, marked: boolean): string {
  const healthy = `healthy_deadline (${duration(d.healthyDeadlineNs)})`;
  const revert = d.autoRevert ? ' and rolls back (auto_revert)' : ' (no auto_revert: nothing rolls back)';
  if (d.ends === 'healthy_deadline') {
    const when = marked ? `Nomad marked the allocation unhealthy at its ${healthy}, which fails` : `${healthy} at ${at(d.healthyDeadlineAt)} marks the allocation unhealthy and fails`;
    return `${when} the deployment${revert} (${d.because})`;
  }
  const progress = `progress_deadline (${duration(d.progressDeadlineNs)}) at ${at(d.progressDeadlineAt)}`;
  const first = marked ? `Nomad marked the allocation unhealthy at its ${healthy}` : `${healthy} at ${at(d.healthyDeadlineAt)} marks the allocation unhealthy`;
  return `${first}; the deployment then waits for ${progress}, which fails it${revert}, unless a replacement Nomad may place meanwhile becomes healthy`;
}

/** RFC 3339 to the second: what a person compares with a clock. */
function at(time: string | null): string {
  return time ? time.replace(/\.\d+Z$/, 'Z') : '(not known yet)';
}

/** Nanoseconds as Nomad's job files write them: `30s`, `1m30s`, `5m`, `1h`. */
export function duration(ns: number): string {
  if (ns < 60e9) return `${Number((ns / 1e9).toFixed(3))}s`;
  let s = Math.round(ns / 1e9);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
