import type { NomadAllocation, NomadAllocListStub } from '../wire/nomad-api.ts';
import { classifyAllocationFailure, summarizeFailure } from './classify.ts';
import { describeRootCause, findRootCause } from './root-cause.ts';
import { rolloutDeployment, type RolloutState } from './state.ts';

/**
 * Why Nomad failed a rollout's deployment (progress deadline, unhealthy allocations), from the
 * task events of the allocations it placed: "api.api[0] task api: Driver Failure: … → Not
 * Restarting: …". The earliest root cause wins; `undefined` when no allocation shows one (a failing
 * group-service check leaves no task event: see health-wait.ts). Pure.
 */
export function explainRolloutFailure(state: RolloutState, deploymentId: string): string | undefined {
  const candidates = Object.values(state.allocations)
    .filter((a) => belongsTo(a, deploymentId, state.version))
    .map((alloc) => ({ alloc, text: explainAllocation(alloc) }))
    .filter((c): c is { alloc: NomadAllocListStub; text: { time: string; line: string } } => c.text !== undefined)
    .sort((a, b) => compare(a.text.time, b.text.time) || a.alloc.CreateIndex - b.alloc.CreateIndex);
  return candidates[0]?.text.line;
}

/**
 * The allocation whose failure explains a failed rollout, and its task: the one with the earliest
 * root cause among the rollout's allocations (of its version), for showing what that task said.
 * `undefined` when none shows a failure. Pure.
 */
export function failingAllocation(state: RolloutState): { readonly allocId: string; readonly allocName: string; readonly task: string } | undefined {
  const candidates = Object.values(state.allocations)
    .filter((a) => belongsTo(a, rolloutDeployment(state)?.ID ?? '', state.version))
    .map((alloc) => ({ alloc, root: findRootCause(alloc) }))
    .filter((c): c is { alloc: NomadAllocListStub; root: NonNullable<ReturnType<typeof findRootCause>> } => c.root !== undefined)
    .sort((a, b) => compare(a.root.cause.time, b.root.cause.time) || a.alloc.CreateIndex - b.alloc.CreateIndex);
  const first = candidates[0];
  return first ? { allocId: first.alloc.ID, allocName: first.alloc.Name, task: first.root.cause.task } : undefined;
}

function explainAllocation(alloc: NomadAllocListStub): { time: string; line: string } | undefined {
  const root = findRootCause(alloc);
  if (!root) return undefined;
  const failure = classifyAllocationFailure(alloc);
  const summary = failure ? summarizeFailure(failure) : describeRootCause(root);
  return { time: root.cause.time, line: `${alloc.Name} task ${root.cause.task}: ${summary}` };
}

/** Stubs from list reads carry no DeploymentID; event-stream copies do (see state.ts). */
function belongsTo(alloc: NomadAllocListStub, deploymentId: string, version: number): boolean {
  const id = (alloc as Partial<NomadAllocation>).DeploymentID;
  return id ? id === deploymentId : alloc.JobVersion === version;
}

function compare(a: string, b: string): number {
  const [x, y] = [BigInt(/^\d+$/.test(a) ? a : '0'), BigInt(/^\d+$/.test(b) ? b : '0')];
  return x < y ? -1 : x > y ? 1 : 0;
}
