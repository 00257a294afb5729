import { META } from '../render/context.ts';
import { describeOwner, isOwnedBy } from './ownership.ts';
import type { NomadDeployment, NomadJobRead } from '../wire/nomad-api.ts';
import type { NomadJob } from '../wire/nomad-job.ts';

/** What to do with one job before watching it. Pure. */
export type RegistrationDecision =
  | { readonly action: 'register' }
  | { readonly action: 'refuse-foreign'; readonly owner: string }
  | { readonly action: 'unchanged'; readonly version: number }
  | { readonly action: 'resume'; readonly version: number; readonly deploymentId: string; readonly sinceIndex: number }
  | { readonly action: 'last-deployment-failed'; readonly version: number; readonly description: string };

const ACTIVE = new Set(['running', 'pending', 'paused', 'initializing', 'blocked', 'unblocking']);

export interface RegistrationInput {
  readonly current: NomadJobRead | null;
  /** The latest deployment of the current job, if any. */
  readonly latest: NomadDeployment | null;
  readonly rendered: NomadJob;
  readonly project: string;
  readonly env: string;
  /** Take over a job this project does not own (`--adopt`). */
  readonly adopt: boolean;
}

/**
 * Decides from the running job: refuse jobs owned by someone else; skip a job whose spec hash
 * (which ignores per-release meta) is already running; resume watching a deployment of that same
 * spec still in flight (a previous drover was killed); otherwise register.
 */
export function decideRegistration(input: RegistrationInput): RegistrationDecision {
  const { current, latest, rendered } = input;
  if (!current) return { action: 'register' };
  const meta = current.Meta ?? {};
  // Ownership first: a stopped job of another project is still not ours to take over.
  const owned = isOwnedBy(meta, { project: input.project, env: input.env });
  if (!owned && !input.adopt) return { action: 'refuse-foreign', owner: describeOwner(meta) };
  if (current.Stop || !owned || meta[META.specHash] !== rendered.Meta?.[META.specHash]) return { action: 'register' };
  const deployment = latest && latest.JobVersion === current.Version ? latest : null;
  if (deployment && ACTIVE.has(deployment.Status)) return { action: 'resume', version: current.Version, deploymentId: deployment.ID, sinceIndex: deployment.CreateIndex };
  if (deployment && deployment.Status === 'failed') return { action: 'last-deployment-failed', version: current.Version, description: deployment.StatusDescription };
  return { action: 'unchanged', version: current.Version };
}


/** Groups whose counts the autoscaler owns: registering must keep their current counts. */
export function hasAutoscaledGroups(job: NomadJob): boolean {
  return job.TaskGroups.some((group) => group.Scaling?.Enabled);
}
