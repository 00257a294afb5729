import type { Environment } from '../config/environment.ts';
import { DroverError, ExitCode } from '../errors.ts';
import { exclusionReason } from '../model/define-job.ts';
import type { JobResult } from '../deploy/outcome.ts';
import type { ReleaseProject } from './create.ts';
import { forceNeedsReason, releaseNotFound } from './errors.ts';
import type { ReleaseReport } from './events.ts';
import { fingerprintJobs } from './fingerprint.ts';
import { compareWithRelease, decideProdRelease, pinsForProd } from './gate.ts';
import type { JobSpec } from '../model/job.ts';
import type { RenderContext } from '../render/context.ts';
import type { NomadJob } from '../wire/nomad-job.ts';
import { promotionStatus, toJobDeployment, type PromotionOutcome, type Release } from './record.ts';
import type { ReleaseStore } from './store.ts';

/** Inputs of `loadReleaseForProd`. */
export interface LoadForProdInput {
  /** Store of the environment the target takes releases from (`promotion.releasesFrom`). */
  readonly store: ReleaseStore;
  /** A release id; default: the source's `latest-verified`. */
  readonly id?: string;
  readonly project: ReleaseProject;
  /** The environment being deployed (prod). */
  readonly target: Environment;
  /** Commit and release label prod renders with (only per-release meta; not compared). */
  readonly gitSha: string;
  readonly releaseLabel: string;
  /** IDs of the jobs about to be deployed (`--job`); default: every job in `jobs/`. */
  readonly deploying?: readonly string[];
  readonly now: Date;
  readonly force?: boolean;
  readonly reason?: string;
  readonly report?: ReleaseReport;
}

/** What prod renders and deploys with, once the gate said yes. */
export interface ProdRelease {
  readonly release: Release;
  /** `RenderContext.images` for prod: QA's exact images. */
  readonly images: Readonly<Record<string, string>>;
  /** Set when `--force` overrode refusals; record it with `recordProdOutcome`. */
  readonly forced?: { readonly reason: string; readonly overrode: readonly string[] };
}

/**
 * The prod gate end to end: loads the release (given id or latest verified), refuses (exit 4) a
 * release that is not verified, failed, too old or made of other jobs, then renders the jobs for
 * the target with QA's image pins and refuses when any differs from what QA verified apart from
 * environment values. `--force --reason` turns every refusal into a recorded override;
 * `--force` alone is a usage error (64).
 */
export async function loadReleaseForProd(input: LoadForProdInput): Promise<ProdRelease> {
  return gateProdRelease(await loadProdCandidate(input), input);
}

/** A release loaded for the target and judged on its record alone, before any render. */
export interface ProdCandidate {
  readonly release: Release;
  /** `RenderContext.images` for prod: QA's exact images, what the render must use. */
  readonly images: Readonly<Record<string, string>>;
  readonly decision: ReturnType<typeof decideProdRelease>;
  /** IDs of the project's jobs built for the target. */
  readonly jobsInProject: readonly string[];
}

/**
 * The first half of the gate: the release's record (status, age, jobs), and the image pins the
 * target must render with. A deploy renders with them once, then calls {@link gateProdRelease}.
 */
export async function loadProdCandidate(input: LoadForProdInput): Promise<ProdCandidate> {
  // Checked before any network call: a usage error should not wait on Consul.
  if (input.force && !input.reason?.trim()) throw forceNeedsReason();
  const source = input.store.env;
  const release = input.id ? await input.store.load(input.id) : await input.store.latestVerified();
  if (!release) throw releaseNotFound({ ...(input.id ? { id: input.id } : {}), env: source });
  const jobsInProject = input.project.definitions.filter((d) => exclusionReason(d.value, input.target.name) === undefined).map((d) => d.value.build(input.target).id);
  const decision = decideProdRelease({ release, now: input.now, maxAge: input.target.promotion.maxReleaseAge, jobsInProject, force: input.force, reason: input.reason });
  if (decision.kind === 'usage') throw forceNeedsReason();
  return { release, images: pinsForProd(release), decision, jobsInProject };
}

/** Where the gate's comparison gets the target's renders: the deploy's own, or its own render. */
export interface GateRenders {
  /** The target's jobs as the deploy rendered them with `candidate.images`, by job ID. */
  readonly rendered?: ReadonlyMap<string, NomadJob>;
  readonly render?: (spec: JobSpec, ctx: RenderContext) => NomadJob;
}

/**
 * The second half: every job deployed must equal what QA verified apart from environment
 * values; refusals throw (exit 4) unless forced, and the acceptance is reported.
 */
export function gateProdRelease(candidate: ProdCandidate, input: LoadForProdInput & GateRenders): ProdRelease {
  const { release, images, decision } = candidate;
  const fingerprints = fingerprintJobs({
    definitions: input.project.definitions,
    environments: input.project.environments,
    target: input.target,
    context: { project: input.project.name, gitSha: input.gitSha, release: input.releaseLabel, images },
    ...(input.rendered ? { rendered: input.rendered } : {}),
    ...(input.render ? { render: input.render } : {}),
  });
  const deploying = new Set(input.deploying ?? candidate.jobsInProject);
  const mismatches = compareWithRelease(release, [...fingerprints.values()].filter((f) => deploying.has(f.id)));
  const refusals = [...(decision.kind === 'refuse' ? decision.reasons : decision.kind === 'ok' ? decision.forced?.overrode ?? [] : []), ...mismatches.map((m) => `${m.job}: ${m.problem}`)];
  if (!input.force) {
    if (refusals.length) throw refused(release, input.target.name, refusals);
    input.report?.({ type: 'release-accepted', release: release.id, env: input.target.name });
    return { release, images };
  }
  const forced = { reason: input.reason!.trim(), overrode: refusals };
  input.report?.({ type: 'release-accepted', release: release.id, env: input.target.name, forced });
  return { release, images, forced };
}

/**
 * Records how the prod deploy of the release ended (with the override, if it was forced):
 * `awaiting-promotion` when it stopped at healthy canaries, for `drover promote` to complete.
 */
export async function recordProdOutcome(
  store: ReleaseStore,
  input: { readonly release: string; readonly env: string; readonly results: readonly JobResult[]; readonly now: Date; readonly operator: string; readonly forced?: ProdRelease['forced'] },
  report?: ReleaseReport,
): Promise<Release> {
  const jobs = Object.fromEntries(input.results.map((r) => [r.job, toJobDeployment(r.outcome)]));
  const outcome: PromotionOutcome = {
    status: promotionStatus(Object.values(jobs)),
    at: input.now.toISOString(),
    by: input.operator,
    jobs,
    ...(input.forced ? { forced: input.forced } : {}),
  };
  const release = await store.recordOutcome(input.release, input.env, outcome);
  report?.({ type: 'release-outcome-recorded', release: input.release, env: input.env, status: outcome.status });
  return release;
}

function refused(release: Release, env: string, reasons: readonly string[]): DroverError {
  const context: Record<string, string> = { release: `${release.id} (${release.gitSha.slice(0, 12)}, ${release.status}, created ${release.createdAt} by ${release.createdBy})` };
  reasons.forEach((reason, i) => (context[reasons.length === 1 ? 'because' : `reason ${i + 1}`] = reason));
  return new DroverError(`Refusing to deploy release ${release.id} to ${env}`, ExitCode.refused, {
    context,
    hint: `Deploy and verify a new release in ${release.sourceEnv} (\`drover deploy ${release.sourceEnv}\`); to see what changed since, run \`git diff ${release.gitSha.replace(/-dirty$/, '')} -- jobs/\`. Override only with --force --reason "…".`,
  });
}
