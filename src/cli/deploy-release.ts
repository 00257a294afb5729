/**
 * The release side of `drover deploy`: which release a deploy renders and what happens under the
 * lock once its jobs finished. An environment others take releases from (QA) records a new
 * release and verifies it; an environment that takes releases (prod) deploys exactly one QA
 * verified, and records how that went on it; any other environment just labels its jobs.
 */
import { readFileSync } from 'node:fs';
import { createConsulClient, type ConsulClient } from '../clients/consul/index.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import type { Environment } from '../config/environment.ts';
import { releaseTargetsOf } from '../config/promotion-chain.ts';
import type { DeployJob } from '../deploy/deploy.ts';
import { UsageError } from '../errors.ts';
import type { Duration } from '../model/duration.ts';
import type { JobSpec } from '../model/job.ts';
import type { Project } from '../project/project.ts';
import { createRelease, type ReleaseProject } from '../release/create.ts';
import { localReleaseDir } from '../release/local.ts';
import { loadReleaseForProd, recordProdOutcome, type ProdRelease } from '../release/prod.ts';
import { releaseId } from '../release/record.ts';
import { createReleaseStore } from '../release/store.ts';
import { verifyRelease } from '../release/verify.ts';
import type { Report } from '../report/events.ts';
import type { JobResult } from '../deploy/outcome.ts';
import type { SmokeHttp } from '../smoke/http.ts';
import type { CliIo } from './io.ts';

/** How this deploy relates to releases. */
export type ReleaseRole =
  /** Others take releases from this environment: the deploy records and verifies one. */
  | { readonly kind: 'source' }
  /** This environment takes releases from `source`. */
  | { readonly kind: 'target'; readonly source: Environment }
  /** Neither (or a partial `--job` deploy of a source environment): jobs are only labelled. */
  | { readonly kind: 'none'; readonly why?: string };

/** The role of `env` in the project's promotion chain; `partial` = a `--job` deploy. */
export function releaseRole(env: Environment, environments: readonly Environment[], partial: boolean): ReleaseRole {
  const from = env.promotion.releasesFrom;
  if (from) {
    const source = environments.find((e) => e.name === from);
    // env/releases-from reports an unknown name during validation; this is only reached after it passed.
    if (!source) throw new UsageError(`Environment ${env.name} takes releases from "${from}", which is not an environment of this project`);
    return { kind: 'target', source };
  }
  if (releaseTargetsOf(environments, env.name).length === 0) return { kind: 'none' };
  return partial ? { kind: 'none', why: `a --job deploy is not a whole release; no release is recorded in ${env.name}` } : { kind: 'source' };
}

/** What `deploy` renders with and runs under the lock. */
export interface ReleaseSetup {
  /** `drover.release` of every rendered job: the release id, or a label. */
  readonly label: string;
  /** `drover.git_sha`: prod records the commit QA verified. */
  readonly gitSha: string;
  /** Image pins (prod: QA's exact references). */
  readonly images?: Readonly<Record<string, string>>;
  /** The release prod deploys (for messages). */
  readonly prod?: ProdRelease;
  /** Runs under the lock after the rollout; needs the deploy's clients and rendered jobs. */
  readonly afterRollout?: (ctx: AfterRolloutContext) => Promise<void>;
  /** Closes the source environment's Consul client, if one was opened. */
  close(): void;
}

/** What the after-rollout step gets from the deploy. */
export interface AfterRolloutContext {
  readonly results: readonly JobResult[];
  readonly jobs: readonly DeployJob[];
  readonly specs: readonly JobSpec[];
  readonly nomad: NomadClient;
  readonly consul: ConsulClient;
  readonly signal: AbortSignal;
  /** The image pins the jobs were rendered with (digests from the environment's registries). */
  readonly images?: Readonly<Record<string, string>>;
}

/** Inputs of {@link setUpRelease}. */
export interface ReleaseSetupInput {
  readonly role: ReleaseRole;
  readonly env: Environment;
  readonly project: Project;
  readonly projectName: string;
  readonly gitSha: string;
  /** `--release`: the id to deploy (target), the id to record (source), or a label. */
  readonly release?: string;
  readonly force?: boolean;
  readonly reason?: string;
  /** IDs being deployed (`--job`), for the gate's comparison. */
  readonly deploying: readonly string[];
  readonly now: Date;
  readonly operator: string;
  readonly report: Report;
  readonly io: CliIo;
  /** The source environment's Consul (prod reads QA's records) instead of the address resolution below. */
  readonly releasesConsul?: string;
  /** Overrides `promotion.soak` for verification (`--soak`). */
  readonly soak?: Duration;
  /** Waits of the soak and smoke retries (the demo runs them on the sandbox's faster clock). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Smoke transport (tests). */
  readonly http?: SmokeHttp;
}

/** Resolves the release this deploy renders and the work it does under the lock. */
export async function setUpRelease(input: ReleaseSetupInput): Promise<ReleaseSetup> {
  const { role } = input;
  if ((input.force || input.reason !== undefined) && role.kind !== 'target') {
    throw new UsageError(`--force and --reason apply only to environments that take releases; ${input.env.name} does not`, { hint: 'Remove them.' });
  }
  switch (role.kind) {
    case 'none':
      return { label: input.release ?? input.gitSha.slice(0, 12), gitSha: input.gitSha, close: () => {} };
    case 'source':
      return sourceSetup(input);
    case 'target':
      return targetSetup(input, role.source);
  }
}

function releaseProject(input: ReleaseSetupInput): ReleaseProject {
  return { name: input.projectName, definitions: input.project.jobs, environments: input.project.environments.map((m) => m.value) };
}

/** QA: a new release id, recorded after the rollout and verified by smoke checks and soak. */
function sourceSetup(input: ReleaseSetupInput): ReleaseSetup {
  const id = input.release ?? releaseId(input.now, input.gitSha);
  if (!/^[\w.-]+$/.test(id)) throw new UsageError(`--release ${id} is not a valid release id`, { hint: 'Use letters, digits, ".", "_" and "-", or leave it out for a generated id.' });
  return {
    label: id,
    gitSha: input.gitSha,
    afterRollout: async (ctx) => {
      const store = createReleaseStore(ctx.consul, { env: input.env.name, localDir: localReleaseDir(input.project.root) });
      const release = await createRelease(
        { id, gitSha: input.gitSha, project: releaseProject(input), env: input.env, jobs: ctx.jobs, results: ctx.results, now: input.now, operator: input.operator, ...(ctx.images ? { images: ctx.images } : {}) },
        { store, report: input.report },
      );
      // A failed rollout already has its exit code; there is nothing to verify.
      if (release.status !== 'deployed') return;
      await verifyRelease(
        { release, env: input.env, jobs: ctx.specs, ...(input.soak ? { soak: input.soak } : {}) },
        { store, nomad: ctx.nomad, consul: ctx.consul, report: input.report, signal: ctx.signal, ...(input.sleep ? { sleep: input.sleep } : {}), ...(input.http ? { http: input.http } : {}) },
      );
    },
    close: () => {},
  };
}

/** Prod: QA's latest verified release (or `--release`), through the gate, pinned to QA's images. */
async function targetSetup(input: ReleaseSetupInput, source: Environment): Promise<ReleaseSetup> {
  const consul = sourceConsul(input.io, source, input.releasesConsul);
  try {
    const store = createReleaseStore(consul, { env: source.name, localDir: localReleaseDir(input.project.root) });
    const prod = await loadReleaseForProd({
      store,
      ...(input.release ? { id: input.release } : {}),
      project: releaseProject(input),
      target: input.env,
      gitSha: input.gitSha,
      releaseLabel: input.release ?? 'candidate',
      deploying: input.deploying,
      now: input.now,
      ...(input.force ? { force: true } : {}),
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
      report: input.report,
    });
    return {
      label: prod.release.id,
      gitSha: prod.release.gitSha,
      images: prod.images,
      prod,
      afterRollout: async (ctx) => {
        await recordProdOutcome(
          store,
          { release: prod.release.id, env: input.env.name, results: ctx.results, now: new Date(), operator: input.operator, ...(prod.forced ? { forced: prod.forced } : {}) },
          input.report,
        );
      },
      close: () => consul.close(),
    };
  } catch (error) {
    consul.close();
    throw error;
  }
}

/**
 * The Consul holding the source environment's releases. Its address: the caller's, else
 * `DROVER_RELEASES_CONSUL_HTTP_ADDR`, else the source environment file's; its token only from
 * `DROVER_RELEASES_CONSUL_HTTP_TOKEN` (prod's CONSUL_HTTP_TOKEN is for prod's Consul).
 */
export function sourceConsul(io: CliIo, source: Environment, releasesConsul?: string): ConsulClient {
  const env = io.env;
  return createConsulClient({
    address: releasesConsul ?? (env.DROVER_RELEASES_CONSUL_HTTP_ADDR || source.consul.address),
    ...(env.DROVER_RELEASES_CONSUL_HTTP_TOKEN ? { token: env.DROVER_RELEASES_CONSUL_HTTP_TOKEN } : {}),
    ...(env.DROVER_RELEASES_CONSUL_CACERT ? { caCert: readFileSync(env.DROVER_RELEASES_CONSUL_CACERT) } : {}),
  });
}
