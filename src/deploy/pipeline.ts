/**
 * A rollout, top to bottom, in two calls:
 *
 * 1. {@link prepareRollout}: decide the release (prod: load it and judge its record), pin the
 *    images (the release's, or the digests the environment's registries answer now), render
 *    every job of the environment **once**, then (prod) compare that render with what QA
 *    verified. Nothing in the cluster changes; `drover plan` stops here.
 * 2. {@link runRollout}: lock, plan, register and watch each job in dependency order (with the
 *    progressive canaries), then the release stages under the same lock — QA: record-release,
 *    verify-release (smoke checks, soak); prod: record-prod-outcome.
 *
 * The CLI only parses flags, builds the clients, the reporter and the signal, and calls these.
 */
import { progressiveCanaryPlan, type ProgressiveCanaryPlan } from '../canary/plan.ts';
import type { ConsulClient } from '../clients/consul/index.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import type { PrometheusClient } from '../clients/prometheus/index.ts';
import type { CanaryAnalysisSettings, Environment } from '../config/environment.ts';
import type { Duration } from '../model/duration.ts';
import type { JobSpec } from '../model/job.ts';
import type { LoadedJob } from '../model/loaded-job.ts';
import type { Project } from '../project/project.ts';
import type { DigestLookup } from '../release/digests.ts';
import { decideRelease, gateRelease, releaseRole, releaseStages, type ReleaseDecision, type ReleaseInput } from '../release/deploy-release.ts';
import { imagePinsFor } from '../release/image-pins.ts';
import type { ProdRelease } from '../release/prod.ts';
import type { RenderContext } from '../render/context.ts';
import { holdCanaries } from '../render/hold-canaries.ts';
import { renderJob } from '../render/job.ts';
import type { Report } from '../report/events.ts';
import type { SmokeHttp } from '../smoke/http.ts';
import type { FactFeedMode } from '../watch/feed.ts';
import type { NomadJob } from '../wire/nomad-job.ts';
import { deploy, type DeployJob } from './deploy.ts';
import { deployExitCode } from './exit-code.ts';
import { deployWaves } from './order.ts';
import type { JobResult } from './outcome.ts';
import type { FailureLogsOptions } from './failure-logs.ts';
import type { SavedPlanCheck } from './saved-plan.ts';

/** Renders one job; injectable so a test can count renders. */
export type Renderer = (spec: JobSpec, ctx: RenderContext) => NomadJob;

/** What to roll out: the validated project for one environment and the user's choices. */
export interface RolloutRequest {
  readonly project: Project;
  /** `drover.project` of every job. */
  readonly projectName: string;
  /** The environment, validated (with the caller's Fabio address applied). */
  readonly env: Environment;
  /** Every job of the project built for `env`, validated. */
  readonly jobs: readonly LoadedJob[];
  /** `--job`: roll out only this one (no release is recorded for it). */
  readonly only?: string;
  readonly gitSha: string;
  /** `--release`: the release to deploy (target), the id to record (source), or a label. */
  readonly release?: string;
  readonly force?: boolean;
  readonly reason?: string;
  /** `--stop-at-canary`: every canary group waits for a promotion, no progressive canary runs. */
  readonly stopAtCanary?: boolean;
  /** Whether a source environment records a release (deploy) or only labels the render (plan). */
  readonly recordsRelease: boolean;
  /** Analysis settings over the environment's (the demo shortens the steps). */
  readonly analysis?: Partial<CanaryAnalysisSettings>;
  readonly now: Date;
  readonly operator: string;
}

/** The outside world {@link prepareRollout} reaches through. */
export interface PrepareDeps {
  readonly report: Report;
  /** Opens the Consul holding a source environment's releases (prod reads QA's). */
  readonly openSourceConsul: (source: Environment) => ConsulClient;
  /** Opens the lookup that asks a registry for a tag's digest; needed when the environment lists registries. */
  readonly openDigestLookup?: () => DigestLookup;
  readonly render?: Renderer;
  readonly signal?: AbortSignal;
}

/** Everything decided before the cluster is touched. */
export interface PreparedRollout {
  readonly request: RolloutRequest;
  readonly release: ReleaseDecision;
  /** Target: the release that passed the gate (or was forced through it). */
  readonly prod?: ProdRelease;
  /** Image pins of the render, if any. */
  readonly images?: Readonly<Record<string, string>>;
  /** Every job of the environment as rendered, by ID: the one render. */
  readonly rendered: ReadonlyMap<string, NomadJob>;
  /** The jobs to register (held at canaries for `--stop-at-canary`), in `jobs/` order. */
  readonly jobs: readonly DeployJob[];
  /** Their specs. */
  readonly specs: readonly JobSpec[];
  /** Progressive canaries of the jobs to register, by job ID. */
  readonly canaries: ReadonlyMap<string, ProgressiveCanaryPlan>;
  /** The renderer the release stages use for the chain's other environments (the fingerprint's masking). */
  readonly render?: Renderer;
  /** Closes what preparing opened (the source environment's Consul). */
  close(): void;
}

/** Decides, pins and renders once; see the module comment. Closes what it opened when it throws. */
export async function prepareRollout(request: RolloutRequest, deps: PrepareDeps): Promise<PreparedRollout> {
  const { env } = request;
  const environments = request.project.environments.map((m) => m.value);
  const role = releaseRole(env, environments, request.only !== undefined);
  const deploying = request.only ? request.jobs.filter((j) => j.spec.id === request.only) : request.jobs;
  const releaseInput: ReleaseInput = {
    role: role.kind === 'source' && !request.recordsRelease ? { kind: 'none' } : role,
    env,
    project: request.project,
    projectName: request.projectName,
    gitSha: request.gitSha,
    deploying: deploying.map((j) => j.spec.id),
    now: request.now,
    operator: request.operator,
    report: deps.report,
    openSourceConsul: deps.openSourceConsul,
    ...(request.release !== undefined ? { release: request.release } : {}),
    ...(request.force ? { force: true } : {}),
    ...(request.reason !== undefined ? { reason: request.reason } : {}),
  };
  const release = await decideRelease(releaseInput);
  try {
    // Before the lock and any registration: a tag the registry does not know stops the rollout here.
    const images = await imagePinsFor(
      { env, jobs: deploying, report: deps.report, ...(release.candidate ? { releasePins: release.candidate.images } : {}), ...(deps.signal ? { signal: deps.signal } : {}) },
      deps.openDigestLookup,
    );
    const render = deps.render ?? renderJob;
    const context: RenderContext = { env, project: request.projectName, gitSha: release.gitSha, release: release.label, ...(images ? { images } : {}) };
    const rendered = new Map(request.jobs.map((job) => [job.spec.id, render(job.spec, context)]));
    const prod = gateRelease(release, releaseInput, { rendered, ...(deps.render ? { render: deps.render } : {}) });
    const specs = deploying.map((j) => j.spec);
    const jobs: DeployJob[] = specs.map((spec) => {
      const job = rendered.get(spec.id)!;
      return { id: spec.id, job: request.stopAtCanary ? holdCanaries(job) : job, dependsOn: request.only ? [] : [...(spec.dependsOn ?? [])] };
    });
    // A run that stops at healthy canaries runs no progressive canary: `drover promote` decides later.
    const canaries = request.stopAtCanary ? new Map<string, ProgressiveCanaryPlan>() : canaryPlans(specs, env, request.analysis);
    return { request, release, ...(prod ? { prod } : {}), ...(images ? { images } : {}), rendered, jobs, specs, canaries, ...(deps.render ? { render: deps.render } : {}), close: () => release.close() };
  } catch (error) {
    release.close();
    throw error;
  }
}

/** Progressive canary plans of the jobs being deployed, with the caller's analysis settings on top. */
function canaryPlans(jobs: readonly JobSpec[], env: Environment, analysis: Partial<CanaryAnalysisSettings> | undefined): Map<string, ProgressiveCanaryPlan> {
  const effective: Environment = analysis ? { ...env, promotion: { ...env.promotion, analysis: { ...env.promotion.analysis, ...analysis } } } : env;
  const plans = new Map<string, ProgressiveCanaryPlan>();
  for (const job of jobs) {
    const plan = progressiveCanaryPlan(job, effective);
    if (plan) plans.set(job.id, plan);
  }
  return plans;
}

/** How the rollout runs (the deploy command's flags). */
export interface RolloutOptions {
  readonly adopt: boolean;
  readonly waitLock: boolean;
  readonly parallelism: number;
  readonly watch: FactFeedMode;
  readonly prune: boolean;
  /** Overrides `promotion.soak` for verification (`--soak`). */
  readonly soak?: Duration;
  /** `--plan FILE`: the cluster state the saved plan was computed against (see deploy/saved-plan.ts). */
  readonly savedPlan?: SavedPlanCheck;
  /** `--logs-on-failure N`: stderr lines of the failing task shown after a failed rollout. */
  readonly failureLogs?: FailureLogsOptions;
}

/** The clients and injectables of {@link runRollout}. */
export interface RolloutDeps {
  readonly nomad: NomadClient;
  readonly consul: ConsulClient;
  /** Answers the progressive canaries' queries; required when the prepared rollout has any. */
  readonly prometheus?: PrometheusClient;
  /** Checks Vault for the jobs under the lock, before anything is planned; throws with every problem. */
  readonly secretsPreflight?: (signal: AbortSignal) => Promise<void>;
  readonly report: Report;
  readonly signal: AbortSignal;
  /** Waits of the soak and smoke retries (the demo runs them on the sandbox's clock). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Smoke transport (tests). */
  readonly http?: SmokeHttp;
}

/** Runs a prepared rollout to its end; reports `deploy-started` and `deploy-finished`. */
export async function runRollout(prepared: PreparedRollout, options: RolloutOptions, deps: RolloutDeps): Promise<{ readonly results: JobResult[]; readonly exitCode: number }> {
  const { request, release } = prepared;
  const env = request.env.name;
  deps.report({ type: 'deploy-started', env, release: release.label, waves: deployWaves(prepared.jobs).waves });
  const stages = releaseStages({
    decision: release,
    release: { env: request.env, project: request.project, projectName: request.projectName, now: request.now, operator: request.operator, report: deps.report },
    ...(prepared.prod ? { prod: prepared.prod } : {}),
    jobs: prepared.jobs,
    specs: prepared.specs,
    ...(prepared.images ? { images: prepared.images } : {}),
    // The fingerprint of a release is of the unheld render (what prod will deploy), never of the held one.
    renders: { rendered: prepared.rendered, ...(prepared.render ? { render: prepared.render } : {}) },
    ...(options.soak ? { soak: options.soak } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.http ? { http: deps.http } : {}),
  });
  const results = await deploy(
    {
      env,
      project: request.projectName,
      release: release.label,
      jobs: prepared.jobs,
      adopt: options.adopt,
      waitLock: options.waitLock,
      stopAtCanary: request.stopAtCanary ?? false,
      promote: request.env.promotion.canary === 'auto',
      parallelism: options.parallelism,
      ...(options.failureLogs ? { failureLogs: options.failureLogs } : {}),
      watch: options.watch,
      prune: options.prune && request.only === undefined,
      allJobIds: request.jobs.map((j) => j.spec.id),
      canaries: prepared.canaries,
      ...(options.savedPlan ? { savedPlan: options.savedPlan } : {}),
    },
    {
      nomad: deps.nomad,
      consul: deps.consul,
      report: deps.report,
      signal: deps.signal,
      stages,
      ...(deps.secretsPreflight ? { secretsPreflight: deps.secretsPreflight } : {}),
      ...(deps.prometheus ? { prometheus: deps.prometheus } : {}),
    },
  );
  const exitCode = deployExitCode(results);
  deps.report({ type: 'deploy-finished', env, exitCode, results });
  return { results, exitCode };
}
