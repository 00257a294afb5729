import type { NomadAllocListStub } from '../wire/nomad-api.ts';

/**
 * The soak decision: after smoke checks, a release must run for `promotion.soak` without any of
 * its allocations failing or restarting. Nomad already restarts and reschedules; what it does not
 * do is tell a release apart that "deployed fine but crashes every few minutes". Two snapshots of
 * the jobs' allocations, before and after the soak, answer that. Pure.
 */

/** What the decision needs from one allocation. */
export interface AllocSnapshot {
  readonly job: string;
  readonly id: string;
  /** `api.api[0]`. */
  readonly name: string;
  readonly version: number;
  readonly clientStatus: string;
  readonly desiredStatus: string;
  /** Restarts by task name. */
  readonly restarts: Readonly<Record<string, number>>;
  /** The newest task event with a message, for the report ("OOM Killed", "Exit Code: 137"). */
  readonly lastEvent?: string;
}

/** Something that went wrong during the soak. */
export interface SoakProblem {
  readonly job: string;
  readonly allocId: string;
  readonly allocName: string;
  readonly kind: 'failed' | 'lost' | 'restarted';
  /** e.g. `task api restarted 2 times` or `client status failed`, with the last task event. */
  readonly detail: string;
}

/** The parts of an allocation stub the soak looks at. */
export function toAllocSnapshot(stub: NomadAllocListStub): AllocSnapshot {
  const restarts: Record<string, number> = {};
  let last: { time: bigint; text: string } | undefined;
  for (const [task, state] of Object.entries(stub.TaskStates ?? {})) {
    restarts[task] = state.Restarts ?? 0;
    for (const event of state.Events ?? []) {
      const text = event.DisplayMessage || event.Message;
      const time = /^\d+$/.test(String(event.Time)) ? BigInt(event.Time) : 0n;
      if (text && (!last || time >= last.time)) last = { time, text: `${task}: ${event.Type}: ${text}` };
    }
  }
  return {
    job: stub.JobID,
    id: stub.ID,
    name: stub.Name,
    version: stub.JobVersion,
    clientStatus: stub.ClientStatus,
    desiredStatus: stub.DesiredStatus,
    restarts,
    ...(last ? { lastEvent: last.text } : {}),
  };
}

/** The two snapshots and the versions the release runs. */
export interface SoakInput {
  /** Allocations of the release's jobs before the smoke checks. */
  readonly before: readonly AllocSnapshot[];
  /** The same jobs' allocations after the soak. */
  readonly after: readonly AllocSnapshot[];
  /** The job version the release runs, by job: older versions' allocations are not its problem. */
  readonly versions: ReadonlyMap<string, number>;
}

/**
 * Allocations of the release's versions that failed or were lost by the end of the soak, or whose
 * tasks restarted during it (counted against the first snapshot; an allocation that appeared
 * during the soak counts all its restarts).
 */
export function decideSoak(input: SoakInput): SoakProblem[] {
  const before = new Map(input.before.map((a) => [a.id, a]));
  const problems: SoakProblem[] = [];
  for (const alloc of input.after) {
    if (input.versions.get(alloc.job) !== alloc.version) continue;
    const suffix = alloc.lastEvent ? ` (last event: ${alloc.lastEvent})` : '';
    const base = { job: alloc.job, allocId: alloc.id, allocName: alloc.name };
    if (alloc.clientStatus === 'failed' || alloc.clientStatus === 'lost') {
      problems.push({ ...base, kind: alloc.clientStatus, detail: `client status ${alloc.clientStatus}${suffix}` });
      continue;
    }
    const earlier = before.get(alloc.id)?.restarts ?? {};
    const restarted = Object.entries(alloc.restarts)
      .filter(([task, count]) => count > (earlier[task] ?? 0))
      .map(([task, count]) => `task ${task} restarted ${count - (earlier[task] ?? 0)} time${count - (earlier[task] ?? 0) === 1 ? '' : 's'}`);
    if (restarted.length) problems.push({ ...base, kind: 'restarted', detail: `${restarted.join(', ')}${suffix}` });
  }
  return problems.sort((a, b) => (a.job === b.job ? (a.allocName < b.allocName ? -1 : 1) : a.job < b.job ? -1 : 1));
}
