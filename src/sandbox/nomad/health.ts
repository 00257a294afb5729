import { goDuration, rfc3339 } from '../json.ts';
import { appendEvent, mainTaskNames, tasksOf } from './alloc-state.ts';
import type { ClientSim, Run } from './client-sim.ts';
import type { Allocation, Json } from './model.ts';
import type { Runtime } from './runtime.ts';
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
    private readonly rt: Runtime,
    private readonly client: ClientSim,
  ) {}

  /** Starts tracking when the allocation belongs to a deployment and has no health yet. */
  begin(run: Run): void {
    const alloc = this.rt.store.allocs.get(run.allocId);
    if (!alloc?.DeploymentID || alloc.DeploymentStatus?.Healthy != null) return;
    const update = groupUpdate(alloc.Job, alloc.TaskGroup);
    if (!update || update.HealthCheck === 'manual') return;
    this.stopTracking(run.allocId);
    this.tracking.set(run.allocId, { since: this.rt.clock.now(), update });
    this.client.later(run, num(update, 'HealthyDeadline', 300e9) / 1e6, () => this.deadline(run));
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

  /** A task failed for good. */
  onFailed(run: Run): void {
    if (this.tracking.has(run.allocId)) this.report(run, false, () => 'Unhealthy because of failed task');
  }

  private scheduleHealthy(run: Run, t: Tracking): void {
    t.healthyTimer?.();
    t.healthyTimer = this.client.later(run, num(t.update, 'MinHealthyTime', 10e9) / 1e6, () => this.report(run, true));
  }

  private deadline(run: Run): void {
    const t = this.tracking.get(run.allocId);
    if (t) this.report(run, false, (alloc) => unhealthyReason(alloc, t, run));
  }

  private report(run: Run, healthy: boolean, reason?: (alloc: Allocation) => string): void {
    const alloc = this.rt.store.allocs.get(run.allocId);
    this.stopTracking(run.allocId);
    if (!alloc || alloc.DeploymentStatus?.Healthy != null) return;
    const message = reason?.(alloc);
    this.client.update(
      alloc,
      (a, now) => {
        a.DeploymentStatus = { Healthy: healthy, Timestamp: rfc3339(now), Canary: a.DeploymentStatus?.Canary ?? false, ModifyIndex: this.rt.store.index + 1 };
        if (message) appendEvent(a, mainTaskNames(a), taskEvent('Alloc Unhealthy', now, { Message: message }));
        if (!healthy) this.rt.failedAt.set(a.ID, now);
      },
      (a) => this.rt.watcher.onHealth(a),
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

/** The tracker's explanation at the deadline (client/allochealth `taskHealthState.event`). */
function unhealthyReason(alloc: Allocation, t: Tracking, run: Run): string {
  const deadline = goDuration(num(t.update, 'HealthyDeadline', 300e9));
  const minHealthy = goDuration(num(t.update, 'MinHealthyTime', 10e9));
  const state = alloc.TaskStates?.[mainTaskNames(alloc)[0] ?? ''];
  if (!state || state.State === 'pending') return `Task not running by healthy_deadline of ${deadline}`;
  if (state.State === 'dead') return state.Failed ? 'Unhealthy because of failed task' : 'Unhealthy because of dead task';
  if (!run.checksPassing && hasChecks(alloc) && t.update.HealthCheck !== 'task_states') {
    const group = alloc.Job.TaskGroups.find((g) => g.Name === alloc.TaskGroup);
    const names = ((group?.Services as Json[] | null) ?? []).map((s) => String(s.Name));
    return `Services not healthy by deadline: ${names.join(', ')}`;
  }
  return `Task not running for min_healthy_time of ${minHealthy} by healthy_deadline of ${deadline}`;
}
