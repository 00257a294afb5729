/**
 * The release side of a rollout, in two halves around the one render:
 * - before it, {@link decideRelease}: which release this deploy renders (its label, commit and,
 *   for an environment that takes releases, the release's image pins);
 * - after the jobs finished, under the lock, {@link releaseStages}: an environment others take
 *   releases from (QA) records a new release and verifies it (smoke checks, soak); one that
 *   takes releases (prod) records how deploying it went. Any other environment only labels jobs.
 */
import type { ConsulClient } from '../clients/consul/index.ts';
import type { Environment } from '../config/environment.ts';
import { releaseTargetsOf } from '../config/promotion-chain.ts';
import type { DeployJob } from '../deploy/deploy.ts';
import type { RolloutStage } from '../deploy/stages.ts';
import { UsageError } from '../errors.ts';
import type { Duration } from '../model/duration.ts';
import type { JobSpec } from '../model/job.ts';
import type { Project } from '../project/project.ts';
import type { RenderContext } from '../render/context.ts';
import type { Report } from '../report/events.ts';
import type { SmokeHttp } from '../smoke/http.ts';
import type { NomadJob } from '../wire/nomad-job.ts';
import { createRelease, type ReleaseProject } from './create.ts';
import { localReleaseDir } from './local.ts';
import { gateProdRelease, loadProdCandidate, recordProdOutcome, type LoadForProdInput, type ProdCandidate, type ProdRelease } from './prod.ts';
import { releaseId, type Release } from './record.ts';
import { createReleaseStore, type ReleaseStore } from './store.ts';
import { verifyRelease } from './verify.ts';

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

/** Inputs of {@link decideRelease}. */
export interface ReleaseInput {
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
  /** Opens the Consul holding `source`'s releases (a target environment reads them there). */
  readonly openSourceConsul: (source: Environment) => ConsulClient;
}

/** What a rollout renders with, decided before rendering. */
export interface ReleaseDecision {
  readonly role: ReleaseRole;
  /** `drover.release` of every rendered job: the release id, or a label. */
  readonly label: string;
  /** `drover.git_sha`: prod records the commit QA verified. */
  readonly gitSha: string;
  /** Target: the release loaded and judged on its record; its pins are what the render uses. */
  readonly candidate?: ProdCandidate;
  /** Target: where the release lives, to record the outcome on. */
  readonly sourceStore?: ReleaseStore;
  /** Closes the source environment's Consul client, if one was opened. */
  close(): void;
}

/** Decides the release of a rollout (target: loads it through the first half of the gate). */
export async function decideRelease(input: ReleaseInput): Promise<ReleaseDecision> {
  const { role } = input;
  if ((input.force || input.reason !== undefined) && role.kind !== 'target') {
    throw new UsageError(`--force and --reason apply only to environments that take releases; ${input.env.name} does not`, { hint: 'Remove them.' });
  }
  switch (role.kind) {
    case 'none':
      return { role, label: input.release ?? input.gitSha.slice(0, 12), gitSha: input.gitSha, close: () => {} };
    case 'source': {
      const id = input.release ?? releaseId(input.now, input.gitSha);
      if (!/^[\w.-]+$/.test(id)) throw new UsageError(`--release ${id} is not a valid release id`, { hint: 'Use letters, digits, ".", "_" and "-", or leave it out for a generated id.' });
      return { role, label: id, gitSha: input.gitSha, close: () => {} };
    }
    case 'target': {
      const consul = input.openSourceConsul(role.source);
      try {
        const sourceStore = createReleaseStore(consul, { env: role.source.name, localDir: localReleaseDir(input.project.root) });
        const candidate = await loadProdCandidate(gateInput(input, sourceStore));
        return { role, label: candidate.release.id, gitSha: candidate.release.gitSha, candidate, sourceStore, close: () => consul.close() };
      } catch (error) {
        consul.close();
        throw error;
      }
    }
  }
}

/** How the render is shared with the release: the deploy's renders of the environment's jobs. */
export interface RenderedRelease {
  readonly rendered: ReadonlyMap<string, NomadJob>;
  readonly render?: (spec: JobSpec, ctx: RenderContext) => NomadJob;
}

/** Target: the second half of the gate, on the rollout's own render. `undefined` for other roles. */
export function gateRelease(decision: ReleaseDecision, input: ReleaseInput, renders: RenderedRelease): ProdRelease | undefined {
  if (!decision.candidate || !decision.sourceStore) return undefined;
  return gateProdRelease(decision.candidate, { ...gateInput(input, decision.sourceStore), ...renders });
}

function gateInput(input: ReleaseInput, store: ReleaseStore): LoadForProdInput {
  return {
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
  };
}

function releaseProject(input: Pick<ReleaseInput, 'projectName' | 'project'>): ReleaseProject {
  return { name: input.projectName, definitions: input.project.jobs, environments: input.project.environments.map((m) => m.value) };
}

/** What the release stages need from the prepared rollout. */
export interface ReleaseStagesInput {
  readonly decision: ReleaseDecision;
  readonly release: Pick<ReleaseInput, 'env' | 'project' | 'projectName' | 'now' | 'operator' | 'report'>;
  readonly prod?: ProdRelease;
  /** The jobs registered, and their specs (their smoke checks run). */
  readonly jobs: readonly DeployJob[];
  readonly specs: readonly JobSpec[];
  /** The image pins the jobs were rendered with. */
  readonly images?: Readonly<Record<string, string>>;
  readonly renders: RenderedRelease;
  /** Overrides `promotion.soak` for verification (`--soak`). */
  readonly soak?: Duration;
  /** Waits of the soak and smoke retries (the demo runs them on the sandbox's faster clock). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Smoke transport (tests). */
  readonly http?: SmokeHttp;
}

/** The named stages that run under the lock once every job finished. */
export function releaseStages(input: ReleaseStagesInput): RolloutStage[] {
  const { decision, release: r } = input;
  switch (decision.role.kind) {
    case 'none':
      return [];
    case 'source': {
      // The store the release is recorded in is the one its verification updates.
      let recorded: { readonly release: Release; readonly store: ReleaseStore } | undefined;
      return [
        {
          name: 'record-release',
          run: async ({ results, consul }) => {
            const store = createReleaseStore(consul, { env: r.env.name, localDir: localReleaseDir(r.project.root) });
            const release = await createRelease(
              { id: decision.label, gitSha: decision.gitSha, project: releaseProject(r), env: r.env, jobs: input.jobs, results, now: r.now, operator: r.operator, ...(input.images ? { images: input.images } : {}), ...input.renders },
              { store, report: r.report },
            );
            recorded = { release, store };
          },
        },
        {
          name: 'verify-release',
          // A failed rollout already has its exit code; there is nothing to verify.
          run: async ({ nomad, consul, signal }) => {
            if (recorded?.release.status !== 'deployed') return;
            await verifyRelease(
              { release: recorded.release, env: r.env, jobs: input.specs, ...(input.soak ? { soak: input.soak } : {}) },
              { store: recorded.store, nomad, consul, report: r.report, signal, ...(input.sleep ? { sleep: input.sleep } : {}), ...(input.http ? { http: input.http } : {}) },
            );
          },
        },
      ];
    }
    case 'target': {
      const { prod } = input;
      const store = decision.sourceStore;
      if (!prod || !store) return [];
      return [
        {
          name: 'record-prod-outcome',
          run: async ({ results }) => {
            await recordProdOutcome(store, { release: prod.release.id, env: r.env.name, results, now: new Date(), operator: r.operator, ...(prod.forced ? { forced: prod.forced } : {}) }, r.report);
          },
        },
      ];
    }
  }
}
