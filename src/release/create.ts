import type { Environment } from '../config/environment.ts';
import type { DeployJob } from '../deploy/deploy.ts';
import { InternalError } from '../errors.ts';
import type { JobDefinition } from '../model/define-job.ts';
import type { JobSpec } from '../model/job.ts';
import { META, type RenderContext } from '../render/context.ts';
import type { NomadJob } from '../wire/nomad-job.ts';
import type { JobResult } from '../deploy/outcome.ts';
import type { ReleaseReport } from './events.ts';
import { fingerprintJobs } from './fingerprint.ts';
import { buildRelease, type Release } from './record.ts';
import type { ReleaseStore } from './store.ts';

/** The project as the fingerprint needs it: every job definition and every environment. */
export interface ReleaseProject {
  /** Name recorded in job meta `drover.project`. */
  readonly name: string;
  readonly definitions: readonly { readonly value: JobDefinition }[];
  readonly environments: readonly Environment[];
}

/** What `createRelease` records: the deploy just finished in the source environment. */
export interface CreateReleaseInput {
  /** Chosen before rendering (`releaseId(now, gitSha)`) and rendered as `drover.release`, so Nomad job versions name their release. */
  readonly id: string;
  readonly gitSha: string;
  readonly project: ReleaseProject;
  /** The source environment just deployed (QA). */
  readonly env: Environment;
  /** What was deployed (rendered jobs) and how each rollout ended. */
  readonly jobs: readonly DeployJob[];
  readonly results: readonly JobResult[];
  /** Image pins the deploy rendered with, if any. */
  readonly images?: Readonly<Record<string, string>>;
  readonly now: Date;
  /** `user@host` (see `currentOperator()`). */
  readonly operator: string;
  /** The deploy's own renders of the environment's jobs, by ID: fingerprinted without rendering them again. */
  readonly rendered?: ReadonlyMap<string, NomadJob>;
  readonly render?: (spec: JobSpec, ctx: RenderContext) => NomadJob;
}

/**
 * Records a finished source-environment deploy as a release (`deployed`, or `failed` when a job
 * did not deploy) in the environment's Consul, with each job's fingerprint for the prod gate.
 */
export async function createRelease(input: CreateReleaseInput, deps: { readonly store: ReleaseStore; readonly report?: ReleaseReport }): Promise<Release> {
  const fingerprints = fingerprintJobs({
    definitions: input.project.definitions,
    environments: input.project.environments,
    target: input.env,
    context: { project: input.project.name, gitSha: input.gitSha, release: input.id, ...(input.images ? { images: input.images } : {}) },
    ...(input.rendered ? { rendered: input.rendered } : {}),
    ...(input.render ? { render: input.render } : {}),
  });
  const jobs = input.jobs.map((deployed) => {
    const fingerprint = fingerprints.get(deployed.id);
    if (!fingerprint) throw new InternalError(`Job ${deployed.id} was deployed but is not among the project's definitions`);
    const { job: _rendered, ...rest } = fingerprint;
    return { ...rest, specHash: deployed.job.Meta?.[META.specHash] ?? '' };
  });
  const release = buildRelease({
    id: input.id,
    gitSha: input.gitSha,
    project: input.project.name,
    sourceEnv: input.env.name,
    createdAt: input.now,
    createdBy: input.operator,
    jobs,
    results: input.results,
  });
  await deps.store.save(release);
  deps.report?.({ type: 'release-created', release: release.id, env: release.sourceEnv, gitSha: release.gitSha, status: release.status });
  return release;
}
