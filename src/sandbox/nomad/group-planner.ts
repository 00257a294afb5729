import type { Allocation, Deployment } from './model.ts';
import { isTerminal, nameIndex } from './model.ts';
import { type Exhausted, failedMetric, groupDemand } from './placement.ts';
import { type GroupAnalysis, type GroupInput, type GroupPlan, isSystem, slotOf } from './reconcile-group.ts';
import type { DesiredUpdates, Placement } from './reconcile-types.ts';
import { groupUpdate, num } from './spec.ts';

/** Nomad's DesiredDescription texts. */
const NOT_NEEDED = 'alloc not needed due to job update';
const UPDATING = 'alloc is being updated due to job update';
const RESCHEDULED = 'alloc was rescheduled because it failed';

/** Decides placements and stops for one group given the deployment of the current version. */
export function planGroup(input: GroupInput, analysis: GroupAnalysis, deployment: Deployment | undefined): GroupPlan {
  return new GroupPlanner(input, analysis, deployment).plan();
}

/** All-zero `DesiredUpdates`: each group's plan starts from it, and reconcile.ts counts on it the stops outside any group plan. */
export function emptyUpdates(): DesiredUpdates {
  return { Ignore: 0, Place: 0, Migrate: 0, Stop: 0, InPlaceUpdate: 0, DestructiveUpdate: 0, Canary: 0, Preemptions: 0, Disconnect: 0, Reconnect: 0, RescheduleNow: 0, RescheduleLater: 0 };
}

/** One group's plan, built step by step in Nomad's reconciler order. */
class GroupPlanner {
  private readonly desired: DesiredUpdates = emptyUpdates();
  private readonly place: Placement[] = [];
  private readonly stop: GroupPlan['stop'] = [];
  private failures = 0;
  private exhausted: Exhausted;

  constructor(
    private readonly input: GroupInput,
    private readonly analysis: GroupAnalysis,
    private readonly deployment: Deployment | undefined,
  ) {
    this.exhausted = input.unplaceable ?? 'memory';
  }

  plan(): GroupPlan {
    const { analysis, desired } = this;
    // A failed canary being stopped holds no capacity any more.
    for (const alloc of analysis.excess) this.stopAlloc(alloc, NOT_NEEDED, !isTerminal(alloc));
    desired.InPlaceUpdate = analysis.inPlace.length;
    for (const alloc of analysis.rescheduleNow) if (this.replace(alloc, RESCHEDULED, { canary: this.isCanary(alloc), reschedule: true })) desired.RescheduleNow++;
    const followups = analysis.rescheduleLater.filter((l) => !l.alloc.FollowupEvalID).map((l) => ({ ...l, evalId: this.input.newId() }));
    desired.RescheduleLater = followups.length;
    const state = this.deployment?.TaskGroups[this.input.group];
    const canarying = state !== undefined && state.DesiredCanaries > 0 && !state.Promoted;
    // A failed or paused deployment places no canaries (reconciler computeCanaries).
    const halted = this.deployment?.Status === 'failed' || this.deployment?.Status === 'paused';
    const remaining = canarying ? (halted ? this.sortedOld() : this.placeCanaries(state.DesiredCanaries)) : this.rollOut();
    for (const slot of analysis.missing) if (this.tryPlace(slot)) desired.Place++;
    desired.Place += this.failures;
    desired.Ignore = analysis.current.length + remaining.length;
    return {
      place: this.place, stop: this.stop, inPlace: analysis.inPlace, followups, desired, failures: this.failures,
      failedMetric: this.failures > 0 ? failedMetric(analysis.eligible, this.failures, this.exhausted) : undefined,
      // Stops are not work left (reconciler's deploymentComplete counts places, updates and
      // reschedules only): a promoted canary that replaced the group's only allocation completes
      // the deployment in the evaluation that stops the old one, and no later evaluation comes.
      hasWork: this.place.length + analysis.inPlace.length + followups.length + this.failures > 0 || analysis.rescheduleLater.length > 0,
      remainingOld: remaining.length,
    };
  }

  /** Unpromoted canaries: place the missing ones under the names of the allocations they replace. */
  private placeCanaries(wanted: number): Allocation[] {
    const { analysis } = this;
    const old = this.sortedOld();
    const taken = [
      ...analysis.current.filter((a) => this.isCanary(a)).map((a) => a.Name),
      ...analysis.rescheduleLater.filter((l) => this.isCanary(l.alloc)).map((l) => l.alloc.Name),
      ...this.place.filter((p) => p.canary).map((p) => p.name),
    ];
    const used = new Set(taken.map((name) => String(nameIndex(name))));
    const slots = [...new Set([...old.map((a) => slotOf(this.input.job, a)), ...analysis.slots])].filter((s) => !used.has(s));
    for (const slot of slots.slice(0, Math.max(0, wanted - taken.length))) if (this.tryPlace(slot, { canary: true })) this.desired.Canary++;
    return old;
  }

  /** Promoted (or no) canaries: retire what canaries replaced, then replace up to the limit. */
  private rollOut(): Allocation[] {
    const { job } = this.input;
    const canarySlots = new Set(this.analysis.current.filter((a) => this.isCanary(a)).map((a) => slotOf(job, a)));
    const remaining: Allocation[] = [];
    for (const alloc of this.sortedOld()) {
      if (canarySlots.has(slotOf(job, alloc))) this.stopAlloc(alloc, NOT_NEEDED, false);
      else remaining.push(alloc);
    }
    const limit = this.destructiveLimit(remaining.length);
    const updated = new Set(remaining.slice(0, limit).filter((alloc) => this.replace(alloc, UPDATING, {})));
    this.desired.DestructiveUpdate = updated.size;
    return remaining.filter((a) => !updated.has(a));
  }

  /** MaxParallel minus allocations of the deployment that are not healthy yet; 0 once it stopped running. */
  private destructiveLimit(oldCount: number): number {
    const { deployment, input, analysis } = this;
    if (!deployment?.TaskGroups[input.group]) return oldCount;
    if (deployment.Status !== 'running') return 0;
    const maxParallel = num(groupUpdate(input.job, input.group), 'MaxParallel', 1);
    const pending = analysis.current.filter((a) => a.DeploymentID === deployment.ID && a.DeploymentStatus?.Healthy !== true).length;
    // In-place updates join the deployment in this plan and must become healthy too.
    return Math.max(0, maxParallel - pending - this.place.length - analysis.inPlace.length);
  }

  private tryPlace(slot: string, opts: { canary?: boolean; previous?: Allocation; reschedule?: boolean } = {}): boolean {
    const { input, analysis } = this;
    const { job, group } = input;
    const candidates = isSystem(job) ? analysis.eligible.filter((n) => n.ID === slot) : analysis.eligible;
    const node = input.unplaceable ?? (candidates.length ? input.capacity.place(groupDemand(analysis.spec), candidates) : 'memory');
    if (typeof node === 'string') return (this.failures++, (this.exhausted = node), false);
    const name = `${job.ID}.${group}[${isSystem(job) ? 0 : slot}]`;
    this.place.push({ id: input.newId(), group, name, node, canary: opts.canary ?? false, previous: opts.previous, reschedule: opts.reschedule ?? false });
    return true;
  }

  private replace(old: Allocation, description: string, opts: { canary?: boolean; reschedule?: boolean }): boolean {
    // A failed allocation being replaced holds no resources any more.
    const held = !isTerminal(old);
    if (held) this.input.capacity.release(old);
    if (this.tryPlace(slotOf(this.input.job, old), { ...opts, previous: old })) return this.stop.push({ alloc: old, description }), true;
    // Nomad backs out the stop when the replacement cannot be placed.
    if (held) this.input.capacity.reserve(old);
    return false;
  }

  private stopAlloc(alloc: Allocation, description: string, release: boolean): void {
    if (release) this.input.capacity.release(alloc);
    this.stop.push({ alloc, description });
    this.desired.Stop++;
  }

  /** A canary of the current deployment, promoted or not (promotion clears the allocation's `Canary` flag, not this). */
  private isCanary(alloc: Allocation): boolean {
    const d = this.deployment;
    return d !== undefined && alloc.DeploymentID === d.ID && (d.TaskGroups[alloc.TaskGroup]?.PlacedCanaries ?? []).includes(alloc.ID);
  }

  private sortedOld(): Allocation[] {
    return [...this.analysis.old].sort((a, b) => nameIndex(a.Name) - nameIndex(b.Name));
  }
}
