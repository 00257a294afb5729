import { rfc3339, unixNanos } from '../json.ts';
import { current } from './encode.ts';
import { type Allocation, type Deployment, type Json, type JobObject, DEPLOYMENT_TEXT, isTerminal } from './model.ts';
import { isRescheduleEligible } from './reschedule.ts';
import { runningDescription } from './reconcile.ts';
import type { AllocLifecycle, EvalQueue, SimState } from './runtime-types.ts';
import { newEvaluation, setDeploymentStatus } from './scheduler.ts';
import { specChanged } from './spec.ts';
import type { RaftType, Txn } from './store.ts';

/** What a deployment update (promote, fail, alloc health) returns: `DeploymentUpdateResponse`. */
export interface DeploymentUpdate {
  readonly EvalID: string;
  readonly EvalCreateIndex: number;
  readonly DeploymentModifyIndex: number;
  readonly RevertedJobVersion: number | null;
  readonly Index: number;
}

/**
 * Nomad's deployment watcher: reacts to allocation health (continue the rollout, auto-promote,
 * fail when `progress_deadline` is 0), enforces `RequireProgressBy`, and fails deployments with
 * auto-revert to the latest stable version whose spec differs (nomad.md §4).
 */
export class DeploymentWatcher {
  private readonly deadlines = new Map<string, () => void>();

  constructor(
    private readonly rt: Pick<SimState, 'store' | 'clock' | 'random'>,
    private readonly peers: { readonly scheduler: Pick<EvalQueue, 'enqueue'>; readonly client: Pick<AllocLifecycle, 'refreshServices'> },
  ) {}

  /** Is `alloc` a canary whose group is not promoted yet (Consul gets its CanaryTags)? */
  isUnpromotedCanary(alloc: Allocation): boolean {
    if (!alloc.DeploymentStatus?.Canary) return false;
    const state = this.rt.store.deployments.get(alloc.DeploymentID)?.TaskGroups[alloc.TaskGroup];
    return state !== undefined && !state.Promoted;
  }

  /** An allocation of a deployment reported health. */
  onHealth(alloc: Allocation): void {
    const deployment = this.rt.store.deployments.get(alloc.DeploymentID);
    if (!deployment || deployment.Status !== 'running') return;
    const state = deployment.TaskGroups[alloc.TaskGroup];
    if (alloc.DeploymentStatus?.Healthy === false && state && this.failsEarly(alloc, state)) return void this.fail(deployment, DEPLOYMENT_TEXT.unhealthy);
    if (this.autoPromoteReady(deployment)) return void this.promote(deployment, { all: true });
    this.watch(deployment.ID);
    this.createEval(deployment);
  }

  /**
   * Nomad's `shouldFailEarly` (nomad/deploymentwatcher/deployment_watcher.go): an unhealthy
   * allocation fails the deployment at once when the group has no progress deadline, or when Nomad
   * could not replace it (no reschedule attempt left); otherwise Nomad replaces it and the
   * deployment waits for its progress deadline.
   */
  private failsEarly(alloc: Allocation, state: Deployment['TaskGroups'][string]): boolean {
    if (state.ProgressDeadline === 0) return true;
    const group = alloc.Job.TaskGroups.find((g) => g.Name === alloc.TaskGroup);
    return !isRescheduleEligible(alloc, group?.ReschedulePolicy as Json | null | undefined, this.rt.clock.now());
  }

  /** (Re)arms the progress-deadline timer of a deployment. */
  watch(deploymentId: string): void {
    this.deadlines.get(deploymentId)?.();
    this.deadlines.delete(deploymentId);
    const deployment = this.rt.store.deployments.get(deploymentId);
    if (!deployment || deployment.Status !== 'running') return;
    const done = this.doneGroups(deployment);
    const cutoffs = Object.entries(deployment.TaskGroups)
      .filter(([name, s]) => !done.has(name) && s.RequireProgressBy !== null)
      .map(([, s]) => Date.parse(s.RequireProgressBy!));
    if (cutoffs.length === 0) return;
    const delay = Math.max(0, Math.min(...cutoffs) - this.rt.clock.now());
    this.deadlines.set(deploymentId, this.rt.clock.setTimer(delay + 1, () => this.checkDeadline(deploymentId)));
  }

  /** Cancels every timer (reset/close). */
  close(): void {
    for (const cancel of this.deadlines.values()) cancel();
    this.deadlines.clear();
  }

  /** Promotes canaries of all or some groups (`POST /v1/deployment/promote/:id`); throws the 500 text. */
  promote(deployment: Deployment, target: { all: boolean; groups?: readonly string[] }): DeploymentUpdate {
    const groups = Object.keys(deployment.TaskGroups).filter((g) => target.all || target.groups?.includes(g));
    const errors = groups
      .map((g) => [g, deployment.TaskGroups[g]!] as const)
      .filter(([, s]) => s.DesiredCanaries > 0 && this.healthyCanaries(deployment, s.PlacedCanaries) < s.DesiredCanaries)
      .map(([g, s]) => `Task group "${g}" has ${this.healthyCanaries(deployment, s.PlacedCanaries)}/${s.DesiredCanaries} healthy allocations`);
    if (errors.length > 0) throw new Error(multiError(errors));
    if (!groups.some((g) => (deployment.TaskGroups[g]?.PlacedCanaries ?? []).length > 0)) throw new Error('no canaries to promote');
    const result = this.update('DeploymentPromotion', deployment, (tx) => {
      for (const g of groups) {
        const state = deployment.TaskGroups[g]!;
        state.Promoted = true;
        // The rest of the rollout gets a fresh progress deadline: the canaries may have waited
        // for promotion far longer than it (seen on Nomad 2.0.5).
        if (state.ProgressDeadline > 0 && state.RequireProgressBy !== null) state.RequireProgressBy = rfc3339(tx.now + state.ProgressDeadline / 1e6);
      }
      if (deployment.Status === 'running') deployment.StatusDescription = runningDescription(deployment.TaskGroups);
      tx.putDeployment(deployment);
      // Promoted canaries stop being canaries: Nomad clears their DeploymentStatus.Canary.
      for (const alloc of this.promotableCanaries(deployment, groups)) {
        alloc.DeploymentStatus = { ...alloc.DeploymentStatus!, Canary: false, ModifyIndex: tx.index };
        alloc.AllocModifyIndex = tx.index;
        tx.putAlloc(alloc);
      }
      return null;
    });
    for (const g of groups) for (const id of deployment.TaskGroups[g]?.PlacedCanaries ?? []) this.peers.client.refreshServices(id);
    return result;
  }

  /** Fails a deployment, rolling back when a group has auto_revert (`POST /v1/deployment/fail/:id` and deadlines). */
  fail(deployment: Deployment, description: string): DeploymentUpdate {
    const result = this.update('DeploymentStatusUpdate', deployment, (tx) => {
      const rollback = Object.values(deployment.TaskGroups).some((s) => s.AutoRevert);
      const revert = rollback ? this.revertTarget(deployment) : undefined;
      const suffix = !rollback ? '' : revert?.kind === 'revert' ? ` - rolling back to job version ${revert.to.Version}` : revert?.kind === 'same' ? ` - not rolling back to stable job version ${revert.to.Version} as current job has same specification` : ' - no stable job version to auto revert to';
      setDeploymentStatus(tx, deployment, 'failed', `${description}${suffix}`);
      if (revert?.kind !== 'revert') return null;
      tx.putJob(revertedJob(revert.from, revert.to, tx), true);
      return revert.to.Version;
    });
    this.watch(deployment.ID);
    return result;
  }

  /** Sets health by hand (`POST /v1/deployment/allocation-health/:id`); unhealthy fails the deployment. */
  setAllocHealth(deployment: Deployment, healthy: readonly Allocation[], unhealthy: readonly Allocation[]): DeploymentUpdate {
    const result = this.update('DeploymentAllocHealth', deployment, (tx) => {
      for (const [allocs, value] of [[healthy, true], [unhealthy, false]] as const) {
        for (const alloc of allocs) {
          alloc.DeploymentStatus = { Healthy: value, Timestamp: rfc3339(tx.now), Canary: alloc.DeploymentStatus?.Canary ?? false, ModifyIndex: tx.index };
          tx.putAlloc(alloc);
        }
      }
      return null;
    });
    if (unhealthy.length > 0 && deployment.Status === 'running') return { ...this.fail(deployment, DEPLOYMENT_TEXT.unhealthy), Index: result.Index };
    if (this.autoPromoteReady(deployment)) this.promote(deployment, { all: true });
    this.watch(deployment.ID);
    return result;
  }

  /** Pauses or resumes a deployment (`POST /v1/deployment/pause/:id`). */
  pause(deployment: Deployment, pause: boolean): DeploymentUpdate {
    return this.update('DeploymentStatusUpdate', deployment, (tx) => {
      const status = pause ? 'paused' : 'running';
      setDeploymentStatus(tx, deployment, status, pause ? 'Deployment is paused' : runningDescription(deployment.TaskGroups));
      return null;
    });
  }

  private update(type: RaftType, deployment: Deployment, fn: (tx: Txn) => number | null): DeploymentUpdate {
    const job = this.jobOf(deployment);
    const { reverted, evalId, index } = this.rt.store.commit(type, (tx) => {
      const reverted = fn(tx);
      const latest = this.jobOf(deployment) ?? job;
      const ref = latest ?? { ID: deployment.JobID, Namespace: deployment.Namespace, Type: 'service' as const, JobModifyIndex: deployment.JobModifyIndex };
      const evaluation = newEvaluation(this.rt, { job: ref, triggeredBy: 'deployment-watcher', deploymentId: deployment.ID });
      tx.putEval(evaluation);
      return { reverted, evalId: evaluation.ID, index: tx.index };
    });
    this.peers.scheduler.enqueue(evalId);
    return { EvalID: evalId, EvalCreateIndex: index, DeploymentModifyIndex: index, RevertedJobVersion: reverted, Index: index };
  }

  private createEval(deployment: Deployment): void {
    const pending = this.rt.store.evalsOf(deployment.Namespace, deployment.JobID).some((e) => e.Status === 'pending' && e.TriggeredBy === 'deployment-watcher');
    const job = this.jobOf(deployment);
    if (pending || !job) return;
    const evaluation = newEvaluation(this.rt, { job, triggeredBy: 'deployment-watcher', deploymentId: deployment.ID });
    this.rt.store.commit('EvaluationUpdated', (tx) => tx.putEval(evaluation));
    this.peers.scheduler.enqueue(evaluation.ID);
  }

  private checkDeadline(deploymentId: string): void {
    this.deadlines.delete(deploymentId);
    const deployment = this.rt.store.deployments.get(deploymentId);
    if (!deployment || deployment.Status !== 'running') return;
    const now = this.rt.clock.now();
    const done = this.doneGroups(deployment);
    const late = Object.entries(deployment.TaskGroups).some(([name, s]) => !done.has(name) && s.RequireProgressBy !== null && Date.parse(s.RequireProgressBy) <= now);
    if (!late) return void this.watch(deploymentId);
    // Past the deadline, Nomad fails only when a group lacks healthy allocations; healthy
    // canaries waiting for promotion are enough. It then waits for the next deployment update.
    if (this.shouldFail(deployment)) this.fail(deployment, DEPLOYMENT_TEXT.progressDeadline);
  }

  /** Nomad's `shouldFail` (nomad/deploymentwatcher/deployment_watcher.go), from the deployment's counters. */
  private shouldFail(deployment: Deployment): boolean {
    return Object.values(deployment.TaskGroups).some((s) => (s.DesiredCanaries > 0 && !s.Promoted ? s.HealthyAllocs < s.DesiredCanaries : s.HealthyAllocs < s.DesiredTotal));
  }

  /** Groups that look finished: promoted (or no canaries) and enough healthy live allocations. */
  private doneGroups(deployment: Deployment): Set<string> {
    const allocs = [...this.rt.store.allocs.values()].filter((a) => a.DeploymentID === deployment.ID && !isTerminal(a));
    const done = new Set<string>();
    for (const [name, s] of Object.entries(deployment.TaskGroups)) {
      const healthy = allocs.filter((a) => a.TaskGroup === name && a.DeploymentStatus?.Healthy === true).length;
      if ((s.DesiredCanaries === 0 || s.Promoted) && healthy >= s.DesiredTotal) done.add(name);
    }
    return done;
  }

  private autoPromoteReady(deployment: Deployment): boolean {
    const waiting = Object.values(deployment.TaskGroups).filter((s) => s.DesiredCanaries > 0 && !s.Promoted);
    return waiting.length > 0 && waiting.every((s) => s.AutoPromote && this.healthyCanaries(deployment, s.PlacedCanaries) >= s.DesiredCanaries);
  }

  private healthyCanaries(deployment: Deployment, ids: readonly string[] | null): number {
    return (ids ?? []).map((id) => this.rt.store.allocs.get(id)).filter((a) => a && a.DeploymentID === deployment.ID && !isTerminal(a) && a.DeploymentStatus?.Healthy === true).length;
  }

  /** The live, healthy canaries of `groups` (state store UpdateDeploymentPromotion's `promotable`). */
  private promotableCanaries(deployment: Deployment, groups: readonly string[]): Allocation[] {
    const ids = groups.flatMap((g) => deployment.TaskGroups[g]?.PlacedCanaries ?? []);
    return ids.map((id) => this.rt.store.allocs.get(id)).filter((a): a is Allocation => a !== undefined && !isTerminal(a) && a.DeploymentStatus?.Healthy === true);
  }

  private jobOf(deployment: Deployment): JobObject | undefined {
    const record = this.rt.store.job(deployment.Namespace, deployment.JobID);
    return record ? current(record) : undefined;
  }

  /** The latest stable version (Nomad's `latestStableJob`), and whether reverting to it changes anything. */
  private revertTarget(deployment: Deployment): { kind: 'revert' | 'same'; from: JobObject; to: JobObject } | undefined {
    const record = this.rt.store.job(deployment.Namespace, deployment.JobID);
    if (!record) return undefined;
    const stable = [...record.versions].reverse().find((v) => v.Stable);
    if (!stable) return undefined;
    const from = current(record);
    return { kind: specChanged(stable, from) ? 'revert' : 'same', from, to: stable };
  }
}

/**
 * A new job version with the spec of `to` (what an auto-revert registers). It keeps `to`'s
 * `Stable: true`: Nomad 2.0.5 registers the copy of the stable version it found as it is, so the
 * revert reads stable before its own deployment has placed anything
 * (test/integration/revert-canary-real.test.ts).
 */
export function revertedJob(from: JobObject, to: JobObject, tx: Txn): JobObject {
  const job = structuredClone(to);
  Object.assign(job, { Version: from.Version + 1, Stable: true, Stop: false, SubmitTime: unixNanos(tx.now), CreateIndex: from.CreateIndex, JobModifyIndex: tx.index, Status: from.Status });
  return job;
}

/** hashicorp/go-multierror's text. */
export function multiError(errors: readonly string[]): string {
  const head = errors.length === 1 ? '1 error occurred:' : `${errors.length} errors occurred:`;
  return `${head}\n${errors.map((e) => `\t* ${e}`).join('\n')}\n\n`;
}
