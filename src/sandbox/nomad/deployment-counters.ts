import { rfc3339 } from '../json.ts';
import type { Allocation, Deployment } from './model.ts';

/** What an allocation has already added to its deployment's counters. */
export interface CountedAlloc {
  readonly deploymentId: string;
  readonly healthy: boolean | null;
}

interface CounterState {
  readonly counted: Map<string, CountedAlloc>;
  readonly deployments: Map<string, Deployment>;
}

/**
 * Nomad's `updateDeploymentWithAlloc`: a placement (or in-place move into a new deployment) bumps
 * PlacedAllocs (and PlacedCanaries), the first health report bumps HealthyAllocs or
 * UnhealthyAllocs, and the progress deadline starts at the first placement and moves forward with
 * each healthy allocation. Returns the deployment when it changed.
 */
export function updateDeploymentWithAlloc(state: CounterState, alloc: Allocation, now: number): Deployment | undefined {
  const before = state.counted.get(alloc.ID);
  const healthy = alloc.DeploymentStatus?.Healthy ?? null;
  state.counted.set(alloc.ID, { deploymentId: alloc.DeploymentID, healthy });
  if (!alloc.DeploymentID) return undefined;
  const deployment = state.deployments.get(alloc.DeploymentID);
  const group = deployment?.TaskGroups[alloc.TaskGroup];
  if (!deployment || !group) return undefined;

  const placed = before?.deploymentId !== alloc.DeploymentID;
  const healthReported = (placed || before?.healthy === null) && healthy !== null;
  if (!placed && !healthReported) return undefined;

  if (placed) {
    group.PlacedAllocs++;
    if (alloc.DeploymentStatus?.Canary) group.PlacedCanaries = [...(group.PlacedCanaries ?? []), alloc.ID];
  }
  if (healthReported) {
    if (healthy) group.HealthyAllocs++;
    else group.UnhealthyAllocs++;
  }
  if (group.ProgressDeadline > 0) moveProgressDeadline(group, alloc, { placed, healthy: healthReported && healthy === true, now });
  return deployment;
}

function moveProgressDeadline(
  group: Deployment['TaskGroups'][string],
  alloc: Allocation,
  change: { placed: boolean; healthy: boolean; now: number },
): void {
  const pdMs = group.ProgressDeadline / 1e6;
  if (change.placed && group.RequireProgressBy === null) {
    group.RequireProgressBy = rfc3339(change.now + pdMs);
    return;
  }
  if (!change.healthy) return;
  const healthyAt = alloc.DeploymentStatus?.Timestamp ? Date.parse(alloc.DeploymentStatus.Timestamp) : change.now;
  const candidate = healthyAt + pdMs;
  if (group.RequireProgressBy === null || candidate > Date.parse(group.RequireProgressBy)) group.RequireProgressBy = rfc3339(candidate);
}
