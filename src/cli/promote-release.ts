/**
 * The release side of `drover promote`. A deploy that stopped at healthy canaries
 * (`--stop-at-canary`) recorded its release (in the environment others take releases from, QA) or
 * its outcome on the release (in one that takes releases, prod) as `awaiting-promotion`, with the
 * deployment each job waits at. Promote completes exactly those records once the promoted
 * deployments ended; in QA the release is then verified as deploy would have verified it (smoke
 * checks, then the soak), because a release whose canaries were never promoted was never checked.
 */
import type { ConsulClient } from '../clients/consul/index.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import type { Environment } from '../config/environment.ts';
import type { Duration } from '../model/duration.ts';
import type { JobSpec } from '../model/job.ts';
import { localReleaseDir } from '../release/local.ts';
import { jobsAwaitingPromotion, toJobDeployment, type Release } from '../release/record.ts';
import { createReleaseStore, type ReleaseStore } from '../release/store.ts';
import { verifyRelease } from '../release/verify.ts';
import { META } from '../render/context.ts';
import type { Report } from '../report/events.ts';
import type { JobResult } from '../deploy/outcome.ts';
import type { NomadDeployment } from '../wire/nomad-api.ts';
import { releaseRole } from '../release/deploy-release.ts';
import { sourceConsul } from './clients.ts';
import type { CliIo } from './io.ts';

/** A deployment `drover promote` is about to promote. */
export interface WaitingDeployment {
  readonly jobId: string;
  readonly deployment: NomadDeployment;
}

/** The release records this promote completes, and where they are stored. */
export interface ReleaseCompletion {
  /** `source`: the records are this environment's releases (QA); `target`: this environment's outcome on a source's release (prod). */
  readonly role: 'source' | 'target';
  readonly store: ReleaseStore;
  /** By release id: the jobs of this promote the record waits for, sorted. */
  readonly waiting: ReadonlyMap<string, readonly string[]>;
  /** Closes the source environment's Consul client, if one was opened. */
  close(): void;
}

/** Inputs of {@link findWaitingReleases}. */
export interface FindWaitingInput {
  readonly env: Environment;
  readonly environments: readonly Environment[];
  readonly projectRoot: string;
  readonly io: CliIo;
  /** The environment's own Consul (QA's records live there). */
  readonly consul: ConsulClient;
  readonly nomad: NomadClient;
  readonly deployments: readonly WaitingDeployment[];
  readonly signal: AbortSignal;
}

/**
 * The release records waiting for these deployments, or `undefined` when there are none (an
 * environment without releases, a `--job` deploy that recorded none, a record already complete).
 * The release is the one named in the `drover.release` meta of the deployment's job version, and
 * a job counts only when the record waits for that very deployment, so a label that happens to
 * name a release (`deploy qa --job api --release r-…`) never completes a record it did not write.
 */
export async function findWaitingReleases(input: FindWaitingInput): Promise<ReleaseCompletion | undefined> {
  const role = releaseRole(input.env, input.environments, false);
  if (role.kind === 'none') return undefined;
  const foreign = role.kind === 'target' ? sourceConsul(input.io.env, role.source) : undefined;
  const store = createReleaseStore(foreign ?? input.consul, { env: role.kind === 'target' ? role.source.name : input.env.name, localDir: localReleaseDir(input.projectRoot) });
  const close = () => foreign?.close();
  try {
    const byRelease = await releasesOf(input.nomad, input.deployments, input.signal);
    const waiting = new Map<string, string[]>();
    for (const [id, deployments] of byRelease) {
      const release = await store.load(id);
      if (!release) continue;
      const jobs = matchWaiting(release, input.env.name, deployments);
      if (jobs.length) waiting.set(id, jobs);
    }
    if (waiting.size === 0) return close(), undefined;
    return { role: role.kind, store, waiting, close };
  } catch (error) {
    close();
    throw error;
  }
}

/** The jobs of `deployments` the record waits for in `env`, at exactly that deployment; pure. */
export function matchWaiting(release: Release, env: string, deployments: readonly WaitingDeployment[]): string[] {
  const awaiting = jobsAwaitingPromotion(release, env);
  return deployments.filter((d) => awaiting.get(d.jobId) === d.deployment.ID).map((d) => d.jobId).sort();
}

/** Groups the deployments by the release their job version was rendered for (`drover.release`). */
async function releasesOf(nomad: NomadClient, deployments: readonly WaitingDeployment[], signal: AbortSignal): Promise<Map<string, WaitingDeployment[]>> {
  const byRelease = new Map<string, WaitingDeployment[]>();
  for (const d of deployments) {
    const { value } = await nomad.jobs.versions(d.jobId, { signal });
    const id = value.Versions.find((v) => v.Version === d.deployment.JobVersion)?.Meta?.[META.release];
    if (id) byRelease.set(id, [...(byRelease.get(id) ?? []), d]);
  }
  return byRelease;
}

/** Inputs of {@link completeReleases}. */
export interface CompleteInput {
  readonly env: Environment;
  /** How each promoted deployment ended (jobs whose promotion Nomad refused are left out: they still wait). */
  readonly results: readonly JobResult[];
  /** The jobs built for `env`: their smoke checks verify a QA release. */
  readonly specs: readonly JobSpec[];
  readonly operator: string;
  readonly now: () => Date;
  /** Overrides `promotion.soak` (`--soak`). */
  readonly soak?: Duration;
}

/** The clients verification uses; run under the environment lock in QA. */
export interface CompleteDeps {
  readonly nomad: NomadClient;
  readonly consul: ConsulClient;
  readonly report: Report;
  readonly signal: AbortSignal;
}

/**
 * Records how each promoted job ended on the release that waited for it; a QA release that no
 * longer waits for anything and has not failed is then verified (smoke checks and soak, as
 * `deploy` does), which marks it verified or throws `ReleaseVerificationError` (exit 1).
 */
export async function completeReleases(completion: ReleaseCompletion, input: CompleteInput, deps: CompleteDeps): Promise<void> {
  const outcomes = new Map(input.results.map((r) => [r.job, r.outcome]));
  for (const [id, jobs] of completion.waiting) {
    const finished = jobs.filter((job) => outcomes.has(job));
    if (finished.length === 0) continue;
    const record = Object.fromEntries(finished.map((job) => [job, toJobDeployment(outcomes.get(job))]));
    const release = await completion.store.recordPromotion(id, input.env.name, record, { at: input.now().toISOString(), by: input.operator });
    const status = completion.role === 'source' ? release.status : release.promotions[input.env.name]!.status;
    deps.report({ type: 'release-promotion-recorded', release: id, env: input.env.name, jobs: finished, status });
    if (completion.role !== 'source' || release.status !== 'deployed') continue;
    await verifyRelease(
      { release, env: input.env, jobs: input.specs, ...(input.soak ? { soak: input.soak } : {}) },
      { store: completion.store, nomad: deps.nomad, consul: deps.consul, report: deps.report, signal: deps.signal },
    );
  }
}
