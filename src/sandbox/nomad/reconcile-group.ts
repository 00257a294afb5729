import type { AllocMetric, Allocation, Json, JobObject, SimNode } from './model.ts';
import { nameIndex } from './model.ts';
import { eligibleNodes } from './placement.ts';
import type { DesiredUpdates, Placement, ReconcileInput } from './reconcile-types.ts';
import { decideReschedule } from './reschedule.ts';
import { groupFingerprint } from './spec.ts';

/** Inputs for one task group. */
export interface GroupInput extends ReconcileInput {
  readonly job: JobObject;
  readonly group: string;
}

/** Where each allocation of a group stands before anything is decided. */
export interface GroupAnalysis {
  readonly spec: Json;
  readonly eligible: SimNode[];
  readonly slots: string[];
  readonly current: Allocation[];
  readonly inPlace: Allocation[];
  readonly old: Allocation[];
  readonly rescheduleNow: Allocation[];
  readonly rescheduleLater: { alloc: Allocation; at: number }[];
  readonly excess: Allocation[];
  readonly missing: string[];
  readonly desiredTotal: number;
  readonly hasWork: boolean;
  readonly destructiveCandidates: number;
}

/** The plan for one task group. */
export interface GroupPlan {
  readonly place: Placement[];
  readonly stop: { alloc: Allocation; description: string }[];
  readonly inPlace: Allocation[];
  readonly followups: { alloc: Allocation; at: number; evalId: string }[];
  readonly desired: DesiredUpdates;
  readonly failures: number;
  readonly failedMetric: AllocMetric | undefined;
  readonly hasWork: boolean;
  readonly remainingOld: number;
}

/** Slot of an allocation: its node for system jobs, its name index otherwise. */
export function slotOf(job: JobObject, alloc: Allocation): string {
  return isSystem(job) ? alloc.NodeID : String(nameIndex(alloc.Name));
}

/** System and sysbatch jobs run one allocation per eligible node. */
export function isSystem(job: JobObject): boolean {
  return job.Type === 'system' || job.Type === 'sysbatch';
}

/** Sorts allocations into current / in-place / destructive / reschedule buckets. */
export function analyzeGroup(input: GroupInput): GroupAnalysis {
  const { job, group } = input;
  const spec = job.TaskGroups.find((g) => g.Name === group)!;
  const eligible = eligibleNodes(input.nodes, job);
  const slots = isSystem(job) ? eligible.map((n) => n.ID) : Array.from({ length: Number(spec.Count ?? 1) }, (_, i) => String(i));
  const fingerprint = groupFingerprint(job, group);
  const buckets = { current: [] as Allocation[], inPlace: [] as Allocation[], old: [] as Allocation[], stale: [] as Allocation[], kept: [] as Allocation[], now: [] as Allocation[], later: [] as { alloc: Allocation; at: number }[] };
  for (const alloc of input.allocs.filter((a) => a.TaskGroup === group)) {
    classify(input, alloc, fingerprint, spec, buckets);
  }
  const desired = new Set(slots);
  const live = [...buckets.current, ...buckets.inPlace, ...buckets.old];
  const excess = [...live.filter((a) => !desired.has(slotOf(job, a))), ...buckets.stale];
  const occupied = new Set([...live, ...buckets.kept, ...buckets.now, ...buckets.later.map((l) => l.alloc)].map((a) => slotOf(job, a)));
  const missing = slots.filter((s) => !occupied.has(s));
  const destructiveCandidates = buckets.old.filter((a) => desired.has(slotOf(job, a))).length;
  return {
    spec, eligible, slots, current: buckets.current, inPlace: buckets.inPlace, old: buckets.old.filter((a) => desired.has(slotOf(job, a))),
    rescheduleNow: buckets.now, rescheduleLater: buckets.later, excess, missing, desiredTotal: slots.length, destructiveCandidates,
    hasWork: destructiveCandidates + buckets.inPlace.length + missing.length + buckets.now.length + excess.length > 0,
  };
}

function classify(
  input: GroupInput,
  alloc: Allocation,
  fingerprint: string | undefined,
  spec: Json,
  buckets: { current: Allocation[]; inPlace: Allocation[]; old: Allocation[]; stale: Allocation[]; kept: Allocation[]; now: Allocation[]; later: { alloc: Allocation; at: number }[] },
): void {
  const { job } = input;
  const deployment = input.deployments.find((d) => d.ID === alloc.DeploymentID);
  const live = alloc.ClientStatus === 'pending' || alloc.ClientStatus === 'running';
  // A running but unhealthy allocation of an active deployment with a progress deadline is
  // rescheduled like a failed one (the deployment watcher sets DesiredTransition.Reschedule).
  const unhealthy = live && alloc.DeploymentStatus?.Healthy === false && deployment?.Status === 'running' && (deployment.TaskGroups[alloc.TaskGroup]?.ProgressDeadline ?? 0) > 0;
  // Nomad stops unpromoted canaries of an older deployment or of a failed one instead of updating
  // or rescheduling them, whatever their client status (reconciler cancelUnneededCanaries; a failed
  // canary ended "failed/stop" on Nomad 2.0.5): they never count as allocations to replace, so a
  // revert to the stable spec needs no canaries of its own.
  const state = deployment?.TaskGroups[alloc.TaskGroup];
  const unpromotedCanary = state !== undefined && !state.Promoted && (state.PlacedCanaries ?? []).includes(alloc.ID);
  if (unpromotedCanary && (deployment!.JobVersion !== job.Version || deployment!.Status === 'failed')) return void buckets.stale.push(alloc);
  if (live && !unhealthy) {
    const sameVersion = alloc.Job.Version === job.Version && alloc.Job.CreateIndex === job.CreateIndex;
    if (sameVersion) buckets.current.push(alloc);
    else if (groupFingerprint(alloc.Job, input.group) === fingerprint) buckets.inPlace.push(alloc);
    else buckets.old.push(alloc);
    return;
  }
  if (alloc.ClientStatus === 'complete' && (job.Type === 'batch' || job.Type === 'sysbatch')) {
    // Finished batch work occupies its slot, unless it ran an older, different version.
    if (groupFingerprint(alloc.Job, input.group) === fingerprint) buckets.kept.push(alloc);
    return;
  }
  if (alloc.NextAllocation) return;
  if (alloc.ClientStatus === 'lost') return void buckets.now.push(alloc);
  // A failed allocation Nomad does not reschedule keeps its slot, but a rollout of another spec
  // replaces it like a running one (reconciler: it stays untainted, and untainted allocations of
  // another job spec are destructive updates). Nomad 2.0.5 did so for the crashed allocation of a
  // failed deployment once the auto-revert's canary was promoted.
  const keep = () => void (groupFingerprint(alloc.Job, input.group) === fingerprint ? buckets.kept : buckets.old).push(alloc);
  // Allocations of a failed deployment are not rescheduled.
  if (deployment?.Status === 'failed') return keep();
  const decision = decideReschedule(alloc, (spec.ReschedulePolicy as Json | null) ?? null, input.failedAt(alloc), input.now);
  if (decision.kind === 'now') buckets.now.push(alloc);
  else if (decision.kind === 'later') buckets.later.push({ alloc, at: decision.at });
  else keep();
}
