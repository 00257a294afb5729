import { ApiError } from '../clients/api-error.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import { describeOwner, isOwnedBy, type Owner } from '../deploy/ownership.ts';
import { decideRegistration } from '../deploy/registration.ts';
import type { NomadJobRead } from '../wire/nomad-api.ts';
import type { NomadJob } from '../wire/nomad-job.ts';
import { summarizeJobPlan, type JobPlanSummary } from './summarize.ts';

/**
 * What `drover deploy` would do with one job, as decided by the same rule deploy uses
 * (`decideRegistration`), with Nomad's plan for the jobs it would register.
 */
export type JobPlanEntry =
  /** Deploy would register it; `adoptFrom` names the owner `--adopt` takes it from. */
  | { readonly id: string; readonly kind: 'change'; readonly summary: JobPlanSummary; readonly adoptFrom?: string }
  /** Same spec hash as the running version (only release meta may differ): deploy registers nothing. */
  | { readonly id: string; readonly kind: 'unchanged'; readonly version: number; readonly jobModifyIndex: number }
  /** A deployment of this very spec is still running: deploy resumes watching it. */
  | { readonly id: string; readonly kind: 'in-flight'; readonly version: number; readonly deploymentId: string; readonly jobModifyIndex: number }
  /** This spec is registered and its deployment failed: deploy reports the failure, registers nothing. */
  | { readonly id: string; readonly kind: 'last-failed'; readonly version: number; readonly description: string; readonly jobModifyIndex: number }
  /** The ID belongs to someone else: deploy refuses (exit 4) unless `--adopt`. */
  | { readonly id: string; readonly kind: 'refused'; readonly owner: string };

export interface PlanJobsOptions {
  readonly owner: Owner;
  readonly adopt: boolean;
  readonly signal?: AbortSignal;
  /** Jobs planned at the same time. @default 8 */
  readonly parallelism?: number;
}

/** Plans each rendered job against the cluster; the answer keeps the input order. Reads only. */
export async function planJobs(nomad: NomadClient, jobs: readonly { readonly id: string; readonly job: NomadJob }[], options: PlanJobsOptions): Promise<JobPlanEntry[]> {
  const entries: JobPlanEntry[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      entries[i] = await planOne(nomad, jobs[i]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallelism ?? 8, jobs.length) }, worker));
  return entries;
}

async function planOne(nomad: NomadClient, item: { readonly id: string; readonly job: NomadJob }, options: PlanJobsOptions): Promise<JobPlanEntry> {
  const signal = options.signal ? { signal: options.signal } : {};
  const [current, latest] = await Promise.all([readJob(nomad, item.id, options.signal), nomad.jobs.latestDeployment(item.id, signal).then((r) => r.value)]);
  const decision = decideRegistration({ current, latest, rendered: item.job, ...options.owner, adopt: options.adopt });
  const jobModifyIndex = current?.JobModifyIndex ?? 0;
  switch (decision.action) {
    case 'refuse-foreign':
      return { id: item.id, kind: 'refused', owner: decision.owner };
    case 'unchanged':
      return { id: item.id, kind: 'unchanged', version: decision.version, jobModifyIndex };
    case 'resume':
      return { id: item.id, kind: 'in-flight', version: decision.version, deploymentId: decision.deploymentId, jobModifyIndex };
    case 'last-deployment-failed':
      return { id: item.id, kind: 'last-failed', version: decision.version, description: decision.description, jobModifyIndex };
    case 'register': {
      const plan = await nomad.jobs.plan(item.job, { diff: true, ...signal });
      const foreign = current && !current.Stop && !isOwnedBy(current.Meta, options.owner);
      return { id: item.id, kind: 'change', summary: summarizeJobPlan(plan), ...(foreign ? { adoptFrom: describeOwner(current.Meta) } : {}) };
    }
  }
}

async function readJob(nomad: NomadClient, id: string, signal: AbortSignal | undefined): Promise<NomadJobRead | null> {
  try {
    return (await nomad.jobs.read(id, signal ? { signal } : {})).value;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}
