import type { NomadAllocation, NomadAllocListStub, NomadDeployment, NomadEvaluation, NomadJobType } from '../wire/nomad-api.ts';

/** A piece of news about a job in flight, from the event stream or a blocking query. */
export type Fact =
  | { readonly kind: 'evaluation'; readonly evaluation: NomadEvaluation }
  | { readonly kind: 'deployment'; readonly deployment: NomadDeployment }
  | { readonly kind: 'allocation'; readonly allocation: NomadAllocListStub };

/** What drover knows about one job's rollout. Replaced, never mutated. */
export interface RolloutState {
  readonly jobId: string;
  readonly jobType: NomadJobType;
  /** The job version this rollout registered (or resumed). */
  readonly version: number;
  /** Evaluation created by the registration; `""` when there is none (periodic, parameterized, resumed). */
  readonly evalId: string;
  /** Periodic and parameterized jobs: registering succeeds without placing anything. */
  readonly launchesNothing?: boolean;
  /** Raft index of the registration: facts older than this belong to earlier rollouts. */
  readonly sinceIndex: number;
  readonly evaluations: Readonly<Record<string, NomadEvaluation>>;
  /** Deployments of this job created since the registration, by ID (the rollout's, then a revert's). */
  readonly deployments: Readonly<Record<string, NomadDeployment>>;
  readonly allocations: Readonly<Record<string, NomadAllocListStub>>;
  /** Set once drover asked Nomad to fail the deployment; facts keep flowing to follow the revert. */
  readonly failedByDrover?: { readonly deploymentId: string; readonly revertedToVersion: number | null; readonly reason: string };
}

export function initialRollout(init: Pick<RolloutState, 'jobId' | 'jobType' | 'version' | 'evalId' | 'sinceIndex' | 'launchesNothing'>): RolloutState {
  return { ...init, evaluations: {}, deployments: {}, allocations: {} };
}

/**
 * Folds a fact into the state. Facts about other jobs, or older than the registration, are
 * ignored; a newer copy of an object (by ModifyIndex) replaces an older one, so replays after a
 * stream reconnect are harmless.
 */
export function reduceRollout(state: RolloutState, fact: Fact): RolloutState {
  switch (fact.kind) {
    case 'evaluation': {
      const e = fact.evaluation;
      if (e.JobID !== state.jobId || e.CreateIndex < state.sinceIndex) return state;
      return isNewer(state.evaluations[e.ID], e) ? { ...state, evaluations: { ...state.evaluations, [e.ID]: e } } : state;
    }
    case 'deployment': {
      const d = fact.deployment;
      if (d.JobID !== state.jobId || d.CreateIndex < state.sinceIndex) return state;
      return isNewer(state.deployments[d.ID], d) ? { ...state, deployments: { ...state.deployments, [d.ID]: d } } : state;
    }
    case 'allocation': {
      const a = fact.allocation;
      const previous = state.allocations[a.ID];
      if (a.JobID !== state.jobId || !isNewer(previous, a)) return state;
      return { ...state, allocations: { ...state.allocations, [a.ID]: mergeAllocation(previous, a) } };
    }
  }
}

/**
 * List stubs carry `JobVersion` but no `DeploymentID`; event-stream allocations carry
 * `DeploymentID` but no `JobVersion` (Nomad strips the embedded Job it derives from, so it reads
 * as 0). Keep what each copy knows.
 */
function mergeAllocation(previous: NomadAllocListStub | undefined, next: NomadAllocListStub): NomadAllocListStub {
  if (!previous) return next;
  const deploymentId = deploymentOf(next) || deploymentOf(previous);
  return { ...next, JobVersion: next.JobVersion || previous.JobVersion, ...(deploymentId ? { DeploymentID: deploymentId } : {}) };
}

function deploymentOf(alloc: NomadAllocListStub): string {
  return (alloc as Partial<NomadAllocation>).DeploymentID ?? '';
}

function isNewer(previous: { readonly ModifyIndex: number } | undefined, next: { readonly ModifyIndex: number }): boolean {
  return previous === undefined || next.ModifyIndex >= previous.ModifyIndex;
}

/** The deployment for the registered version (the one drover is rolling out), if Nomad made one. */
export function rolloutDeployment(state: RolloutState): NomadDeployment | undefined {
  return Object.values(state.deployments)
    .filter((d) => d.JobVersion === state.version)
    .sort((a, b) => b.CreateIndex - a.CreateIndex)[0];
}

/** A deployment for another (reverted-to) version created after the rollout's. */
export function revertDeployment(state: RolloutState): NomadDeployment | undefined {
  const own = rolloutDeployment(state);
  return Object.values(state.deployments)
    .filter((d) => d.JobVersion !== state.version && (!own || d.CreateIndex > own.CreateIndex))
    .sort((a, b) => b.CreateIndex - a.CreateIndex)[0];
}

/**
 * Allocations of this rollout that Nomad still wants running: those of its deployment, or, where
 * the copy does not name a deployment, those of its job version or created since it registered.
 */
export function currentAllocations(state: RolloutState): NomadAllocListStub[] {
  const deployment = rolloutDeployment(state);
  return Object.values(state.allocations).filter((a) => {
    if (a.DesiredStatus !== 'run') return false;
    const deploymentId = deploymentOf(a);
    if (deploymentId) return deploymentId === deployment?.ID;
    return a.JobVersion === state.version || (state.sinceIndex > 0 && a.CreateIndex >= state.sinceIndex);
  });
}
