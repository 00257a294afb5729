import type { ConsulCheckStatus, ConsulServiceEntry } from '../wire/consul.ts';
import type { NomadAllocListStub, NomadDeployment, NomadJobRead, NomadServiceRead, NomadTime } from '../wire/nomad-api.ts';

/** What decides how long Nomad waits for one group's allocations to become healthy. */
export interface GroupHealthPolicy {
  readonly group: string;
  /** `checks`, `task_states` or `manual`. */
  readonly healthCheck: string;
  readonly healthyDeadlineNs: number;
  readonly progressDeadlineNs: number;
  readonly autoRevert: boolean;
  /** `null`: the group cannot be rescheduled. */
  readonly reschedule: { readonly attempts: number; readonly intervalNs: number; readonly unlimited: boolean } | null;
  /** Consul services of the group and its tasks, with how long a new check may take to run once (interval + timeout). */
  readonly checks: readonly { readonly service: string; readonly check: string; readonly graceMs: number }[];
}

/** Each group's health policy, from the job as Nomad stored it (its defaults filled in). Pure. */
export function healthPolicies(job: NomadJobRead): ReadonlyMap<string, GroupHealthPolicy> {
  const policies = new Map<string, GroupHealthPolicy>();
  for (const group of job.TaskGroups) {
    if (!group.Update) continue;
    const services = [...group.Services, ...group.Tasks.flatMap((t) => t.Services)].filter((s) => s.Provider !== 'nomad');
    const r = group.ReschedulePolicy;
    policies.set(group.Name, {
      group: group.Name,
      healthCheck: group.Update.HealthCheck,
      healthyDeadlineNs: group.Update.HealthyDeadline,
      progressDeadlineNs: group.Update.ProgressDeadline,
      autoRevert: group.Update.AutoRevert,
      reschedule: r ? { attempts: r.Attempts, intervalNs: r.Interval, unlimited: r.Unlimited } : null,
      checks: services.flatMap(checksOf),
    });
  }
  return policies;
}

function checksOf(service: NomadServiceRead): GroupHealthPolicy['checks'] {
  // Nomad names an unnamed check `service: "<name>" check`.
  return service.Checks.map((c) => ({ service: service.Name, check: c.Name || `service: "${service.Name}" check`, graceMs: (c.Interval + c.Timeout) / 1e6 }));
}

/** One Consul check of one allocation. */
export interface CheckObservation {
  readonly service: string;
  readonly check: string;
  readonly status: ConsulCheckStatus;
  /** `""` until Consul writes it back to the catalog (see the `health-check-failing` formatter). */
  readonly output: string;
}

/**
 * The checks Consul holds for one allocation: Nomad registers its services with IDs
 * `_nomad-task-<alloc ID>-<task or group-<group>>-<service>-<port label>`. Node checks (`serfHealth`,
 * `ServiceID: ""`) are not the allocation's. Sorted by service, then check. Pure.
 */
export function allocationChecks(entries: readonly ConsulServiceEntry[], allocId: string): CheckObservation[] {
  const prefix = `_nomad-task-${allocId}-`;
  return entries
    .filter((e) => e.Service.ID.startsWith(prefix))
    .flatMap((e) => e.Checks.filter((c) => c.ServiceID === e.Service.ID).map((c) => ({ service: e.Service.Service, check: c.Name, status: c.Status, output: c.Output })))
    .sort((a, b) => (a.service === b.service ? cmp(a.check, b.check) : cmp(a.service, b.service)));
}

/**
 * Which deadline ends the wait for an allocation whose checks fail, read from Nomad 2.0.5:
 * - client/allocrunner/health_hook.go: the client's health watcher gives up `healthy_deadline` after
 *   it started (when the client received the allocation) and marks the allocation unhealthy.
 * - nomad/deploymentwatcher/deployment_watcher.go `shouldFailEarly`: an unhealthy allocation fails
 *   the deployment at once when the group's `progress_deadline` is 0, or when the allocation cannot be
 *   rescheduled (`RescheduleTracker.RescheduleEligible`: no policy, no attempts and not unlimited, or
 *   the attempts within `interval` spent). Otherwise the watcher lets Nomad replace the allocation
 *   (`allowReplacements`) and keeps the deployment running until `RequireProgressBy` — the
 *   `progress_deadline` counted from the first placement, pushed back by each healthy allocation
 *   (nomad/state/state_store.go) — and only then fails it (`Failed due to progress deadline`).
 * With `auto_revert`, a failed deployment rolls back to the latest stable version.
 */
export type WaitDeadline =
  | {
      readonly ends: 'healthy_deadline';
      readonly because: 'progress_deadline is 0' | 'no reschedule attempt left';
      readonly healthyDeadlineNs: number;
      readonly healthyDeadlineAt: NomadTime;
      readonly autoRevert: boolean;
    }
  | {
      readonly ends: 'progress_deadline';
      readonly healthyDeadlineNs: number;
      readonly healthyDeadlineAt: NomadTime;
      readonly progressDeadlineNs: number;
      readonly progressDeadlineAt: NomadTime;
      readonly autoRevert: boolean;
    };

/** An allocation that runs but is not healthy because checks fail, and what will end the wait. */
export interface HealthWait {
  readonly allocId: string;
  readonly allocName: string;
  readonly group: string;
  /** The checks that do not pass. */
  readonly checks: readonly CheckObservation[];
  /** Nomad already marked it unhealthy (its healthy_deadline passed). */
  readonly markedUnhealthy: boolean;
  readonly deadline: WaitDeadline;
}

/** Everything {@link describeHealthWait} looks at. */
export interface HealthWaitInput {
  readonly alloc: NomadAllocListStub;
  readonly policy: GroupHealthPolicy;
  readonly deployment: NomadDeployment;
  /** Checks that failed long enough to count (see watch-job's grace). */
  readonly failing: readonly CheckObservation[];
}

/** The wait for one allocation, or undefined when nothing fails. Pure. */
export function describeHealthWait(input: HealthWaitInput): HealthWait | undefined {
  const { alloc, policy, deployment, failing } = input;
  if (failing.length === 0) return undefined;
  return {
    allocId: alloc.ID,
    allocName: alloc.Name,
    group: alloc.TaskGroup,
    checks: failing,
    markedUnhealthy: alloc.DeploymentStatus?.Healthy === false,
    deadline: decideWaitDeadline(alloc, policy, deployment),
  };
}

export function decideWaitDeadline(alloc: NomadAllocListStub, policy: GroupHealthPolicy, deployment: NomadDeployment): WaitDeadline {
  const healthyDeadlineAt = healthyDeadlineOf(alloc, policy.healthyDeadlineNs);
  const common = { healthyDeadlineNs: policy.healthyDeadlineNs, healthyDeadlineAt, autoRevert: policy.autoRevert };
  if (policy.progressDeadlineNs === 0) return { ends: 'healthy_deadline', because: 'progress_deadline is 0', ...common };
  if (!isRescheduleEligible(alloc, policy.reschedule)) return { ends: 'healthy_deadline', because: 'no reschedule attempt left', ...common };
  const state = deployment.TaskGroups[alloc.TaskGroup];
  return { ends: 'progress_deadline', progressDeadlineNs: policy.progressDeadlineNs, progressDeadlineAt: state?.RequireProgressBy ?? null, ...common };
}

/**
 * The client starts its health watcher right after the task runners emit `Received`
 * (client/allocrunner/taskrunner/task_runner.go, then health_hook.go's Prerun), so that event's
 * time plus healthy_deadline is when Nomad gives up on it.
 */
function healthyDeadlineOf(alloc: NomadAllocListStub, healthyDeadlineNs: number): NomadTime {
  const received = Object.values(alloc.TaskStates ?? {})
    .flatMap((s) => s.Events ?? [])
    .filter((e) => e.Type === 'Received' && /^\d+$/.test(e.Time))
    .map((e) => BigInt(e.Time))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[0];
  if (received === undefined) return null;
  return new Date(Number((received + BigInt(Math.round(healthyDeadlineNs))) / 1_000_000n)).toISOString();
}

/**
 * Nomad's `RescheduleTracker.RescheduleEligible`, with the allocation's own last change
 * (`ModifyTime`, when the client reported it) standing for the failure time the watcher uses.
 */
function isRescheduleEligible(alloc: NomadAllocListStub, policy: GroupHealthPolicy['reschedule']): boolean {
  if (!policy) return false;
  if (policy.unlimited) return true;
  if (policy.attempts <= 0) return false;
  const now = /^\d+$/.test(alloc.ModifyTime) ? BigInt(alloc.ModifyTime) : 0n;
  const recent = (alloc.RescheduleTracker?.Events ?? []).filter((e) => now - BigInt(e.RescheduleTime) < BigInt(Math.round(policy.intervalNs)));
  return recent.length < policy.attempts;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
