import type { JobOutcome, JobResult } from '../../../src/deploy/outcome.ts';
import type { NomadJob, NomadTaskGroup } from '../../../src/wire/nomad-job.ts';

/*
 * Builders for deploy/'s pure decisions; override only what a test is about. Jobs as Nomad reads
 * them, plan answers and deployments come from ../plan/builders.ts and ../watch/builders.ts.
 */

/** The drover meta a job rendered for project `shop` in `qa` carries; `specHash` is what registration compares. */
export function droverMeta(overrides: Record<string, string> = {}): Record<string, string> {
  return { 'drover.env': 'qa', 'drover.git_sha': 'abc1234', 'drover.project': 'shop', 'drover.release': 'r4', 'drover.spec_hash': 'hash-3', ...overrides };
}

export function aTaskGroup(overrides: Partial<NomadTaskGroup> = {}): NomadTaskGroup {
  return { Name: 'api', Count: 2, Tasks: [{ Name: 'api', Driver: 'docker', Config: { image: 'registry.example/shop/api:1.4.0' }, Resources: { CPU: 200, MemoryMB: 256 } }], ...overrides };
}

/** A job as render/ hands it to deploy/: what `decideRegistration` compares with the running one. */
export function aRenderedJob(overrides: Partial<NomadJob> = {}): NomadJob {
  return { ID: 'api', Name: 'api', Type: 'service', Datacenters: ['qa1'], Meta: droverMeta(), TaskGroups: [aTaskGroup()], ...overrides };
}

/** A job result with the given outcome status and the fields that status requires. */
export function aResult(job: string, status: JobOutcome['status']): JobResult {
  return { job, outcome: outcomes[status] };
}

const outcomes: { readonly [S in JobOutcome['status']]: Extract<JobOutcome, { status: S }> } = {
  succeeded: { status: 'succeeded', version: 4, deploymentId: 'dep-4' },
  unchanged: { status: 'unchanged', version: 3 },
  'awaiting-promotion': { status: 'awaiting-promotion', version: 4, deploymentId: 'dep-4', groups: ['api'] },
  failed: { status: 'failed', version: 4, reason: 'deployment failed: progress deadline', runningVersion: 3 },
  'placement-failed': { status: 'placement-failed', version: 4, group: 'api', reason: 'memory exhausted on 3 nodes', runningVersion: 3 },
  skipped: { status: 'skipped', reason: 'dependency db did not deploy' },
};
