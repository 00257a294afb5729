import { goDuration, rfc3339 } from '../json.ts';
import { appendEvent, tasksOf } from './alloc-state.ts';
import type { Allocation, Json, TaskState } from './model.ts';
import type { DeploymentHooks, Run, RunSteps, SimState } from './runtime-types.ts';
import { groupUpdate, num } from './spec.ts';
import { taskEvent } from './task-events.ts';

interface Tracking {
  readonly since: number;
  readonly update: Json;
  healthyTimer?: () => void;
}

/**
 * The client's deployment health tracker (nomad.md §5): an allocation of a deployment is healthy
 * once its tasks ran — and, with `health_check = "checks"`, its checks passed — for
 * `min_healthy_time`; it is unhealthy when a task fails, or at `healthy_deadline` with the reason
 * Nomad gives. `manual` leaves health to `POST /v1/deployment/allocation-health/:id`.
 */
export class HealthTracker {
  private readonly tracking = new Map<string, Tracking>();

  constructor(
    private readonly rt: Pick<SimState, 'store' | 'clock' | 'failedAt'>,
    private readonly peers: { readonly client: RunSteps; readonly watcher: Pick<DeploymentHooks, 'onHealth'> },
  ) {}

  /** Starts tracking when the allocation belongs to a deployment and has no health yet. */
  begin(run: Run): void {
    const alloc = this.rt.store.allocs.get(run.allocId);
    if (!alloc?.DeploymentID || alloc.DeploymentStatus?.Healthy != null) return;
    const update = groupUpdate(alloc.Job, alloc.TaskGroup);
    if (!update || update.HealthCheck === 'manual') return;
    this.stopTracking(run.allocId);
    this.tracking.set(run.allocId, { since: this.rt.clock.now(), update });
    this.peers.client.later(run, num(update, 'HealthyDeadline', 300e9) / 1e6, () => this.deadline(run));
  }

  /** Tasks are running: without checks to wait for, the min_healthy_time clock starts now. */
  onRunning(run: Run): void {
    const t = this.tracking.get(run.allocId);
    const alloc = this.rt.store.allocs.get(run.allocId);
    if (!t || !alloc) return;
    if (t.update.HealthCheck === 'task_states' || !hasChecks(alloc)) this.scheduleHealthy(run, t);
  }

  /** All checks passed: the min_healthy_time clock starts now. */
  onChecksPassing(run: Run): void {
    const t = this.tracking.get(run.allocId);
    if (t && t.update.HealthCheck !== 'task_states') this.scheduleHealthy(run, t);
  }

  /** A task exited: any healthy countdown restarts from the next start. */
  onStopped(run: Run): void {
    const t = this.tracking.get(run.allocId);
    t?.healthyTimer?.();
    if (t) delete t.healthyTimer;
  }

  /** A task failed for good: the tracker reports unhealthy at once, explaining each task. */
  onFailed(run: Run): void {
    const t = this.tracking.get(run.allocId);
    if (t) this.report(run, false, (alloc) => unhealthyEvents(alloc, t));
  }

  private scheduleHealthy(run: Run, t: Tracking): void {
    t.healthyTimer?.();
    t.healthyTimer = this.peers.client.later(run, num(t.update, 'MinHealthyTime', 10e9) / 1e6, () => this.report(run, true));
  }

  private deadline(run: Run): void {
    const t = this.tracking.get(run.allocId);
    if (t) this.report(run, false, (alloc) => unhealthyEvents(alloc, t));
  }

  private report(run: Run, healthy: boolean, reasons?: (alloc: Allocation) => ReadonlyMap<string, string>): void {
    const alloc = this.rt.store.allocs.get(run.allocId);
    this.stopTracking(run.allocId);
    if (!alloc || alloc.DeploymentStatus?.Healthy != null) return;
    const messages = reasons?.(alloc) ?? new Map<string, string>();
    this.peers.client.update(
      alloc,
      (a, now) => {
        a.DeploymentStatus = { Healthy: healthy, Timestamp: rfc3339(now), Canary: a.DeploymentStatus?.Canary ?? false, ModifyIndex: this.rt.store.index + 1 };
        for (const [task, message] of messages) appendEvent(a, [task], taskEvent('Alloc Unhealthy', now, { Message: message }));
        if (!healthy) this.rt.failedAt.set(a.ID, now);
      },
      (a) => this.peers.watcher.onHealth(a),
    );
  }

  private stopTracking(allocId: string): void {
    const t = this.tracking.get(allocId);
    t?.healthyTimer?.();
    this.tracking.delete(allocId);
  }
}

function hasChecks(alloc: Allocation): boolean {
  const group = alloc.Job.TaskGroups.find((g) => g.Name === alloc.TaskGroup);
  const services = [group?.Services, ...tasksOf(alloc).map((t) => t.Services)].flatMap((s) => (Array.isArray(s) ? (s as Json[]) : []));
  return services.some((s) => Array.isArray(s.Checks) && s.Checks.length > 0 && s.Provider !== 'nomad');
}

/**
 * The tracker's `Alloc Unhealthy` event per task (client/allochealth/tracker.go `TaskEvents` and
 * `taskHealthState.event`, Nomad 2.0.5). Its "deadline" is the tracker context's, which has none
 * (`context.WithCancel`): it is Go's zero time, so every started, running task reads as "not running
 * for min_healthy_time … by healthy_deadline …" — also when the real reason is a failing check, and
 * the "Services not healthy by deadline" branch is never reached for it. Seen on a real 2.0.5 agent
 * with failing group and task checks alike. Which check fails is only in Consul.
 */
function unhealthyEvents(alloc: Allocation, t: Tracking): Map<string, string> {
  const deadline = goDuration(num(t.update, 'HealthyDeadline', 300e9));
  const minHealthy = goDuration(num(t.update, 'MinHealthyTime', 10e9));
  const events = new Map<string, string>();
  for (const task of tasksOf(alloc)) {
    const name = String(task.Name);
    const message = taskUnhealthyReason(task, alloc.TaskStates?.[name], { deadline, minHealthy }) ?? unregisteredChecks(task, t.update.HealthCheck !== 'task_states');
    if (message) events.set(name, message);
  }
  return events;
}

function taskUnhealthyReason(task: Json, state: TaskState | undefined, text: { deadline: string; minHealthy: string }): string | undefined {
  if (!state) return undefined;
  if (state.Failed) return 'Unhealthy because of failed task';
  if (state.State === 'pending') return `Task not running by healthy_deadline of ${text.deadline}`;
  const lifecycle = task.Lifecycle as Json | null | undefined;
  if (state.State === 'dead') return !lifecycle || lifecycle.Sidecar === true ? 'Unhealthy because of dead task' : undefined;
  return `Task not running for min_healthy_time of ${text.minHealthy} by healthy_deadline of ${text.deadline}`;
}

/** A finished prestart task declaring checks of its own has no registrations left. */
function unregisteredChecks(task: Json, useChecks: boolean): string | undefined {
  const services = ((task.Services as Json[] | null) ?? []).filter((s) => s.Provider !== 'nomad');
  return useChecks && services.some((s) => Array.isArray(s.Checks) && s.Checks.length > 0) ? 'Service checks not registered' : undefined;
}
