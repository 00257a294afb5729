import { ApiError } from '../clients/api-error.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import { META } from '../render/context.ts';
import type { Report } from '../report/events.ts';
import type { NomadJobListStub } from '../wire/nomad-api.ts';
import { ownedJobs } from './ownership.ts';

/** A job this project owns in the environment that no longer exists in jobs/: deploy may stop it. */
export interface JobStop {
  readonly id: string;
  /** From the listing; the stop is skipped when the job was registered again since. */
  readonly jobModifyIndex: number;
  readonly type: NomadJobListStub['Type'];
  /** `drover.release` of the running version, `""` when absent. */
  readonly release: string;
}

/**
 * The jobs to stop: owned by `project` in `env` (by meta), not already stopped, and not among
 * `ids` (the jobs in jobs/). Children of periodic/parameterized jobs are never listed: they carry
 * their parent's meta but are not ours to stop. Pure; sorted by ID.
 */
export function findStops(listed: readonly NomadJobListStub[], project: string, env: string, ids: Iterable<string>): JobStop[] {
  const wanted = new Set(ids);
  return ownedJobs(listed, { project, env })
    .filter((job) => !job.Stop && !wanted.has(job.ID))
    .map((job) => ({ id: job.ID, jobModifyIndex: job.JobModifyIndex, type: job.Type, release: job.Meta?.[META.release] ?? '' }));
}

/** What happened to one stop. */
export type PruneResult =
  | { readonly id: string; readonly status: 'stopped'; readonly evalId: string }
  /** Already gone (purged) when drover got to it. */
  | { readonly id: string; readonly status: 'gone' }
  /** Registered again (or stopped) since it was listed: someone else's newer intent wins. */
  | { readonly id: string; readonly status: 'changed'; readonly jobModifyIndex: number };

/**
 * Stops (deregisters, never purges: its history and `nomad job revert` stay available) each job in
 * `stops`, one at a time. Nomad's deregister has no check-and-set, so each job is re-read first and
 * left alone when its JobModifyIndex moved since the listing.
 */
export async function pruneJobs(nomad: NomadClient, stops: readonly JobStop[], report: Report, options: { readonly signal?: AbortSignal } = {}): Promise<PruneResult[]> {
  const results: PruneResult[] = [];
  for (const stop of stops) results.push(await pruneOne(nomad, stop, report, options.signal));
  return results;
}

async function pruneOne(nomad: NomadClient, stop: JobStop, report: Report, signal: AbortSignal | undefined): Promise<PruneResult> {
  const signalOpt = signal ? { signal } : {};
  const current = await nomad.jobs.read(stop.id, signalOpt).then(
    (r) => r.value,
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    },
  );
  if (!current) return { id: stop.id, status: 'gone' };
  if (current.Stop || current.JobModifyIndex !== stop.jobModifyIndex) {
    report({ type: 'job-progress', job: stop.id, message: `not stopped: changed since it was listed (job modify index ${stop.jobModifyIndex} → ${current.JobModifyIndex})` });
    return { id: stop.id, status: 'changed', jobModifyIndex: current.JobModifyIndex };
  }
  const response = await nomad.jobs.deregister(stop.id, { purge: false, ...signalOpt });
  report({ type: 'job-progress', job: stop.id, message: `stopped: no longer in jobs/ (evaluation ${response.EvalID.slice(0, 8)})` });
  return { id: stop.id, status: 'stopped', evalId: response.EvalID };
}
