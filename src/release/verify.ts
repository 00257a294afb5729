import type { ConsulClient } from '../clients/consul/index.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import type { Environment } from '../config/environment.ts';
import { toNanoseconds, type Duration } from '../model/duration.ts';
import type { JobSpec } from '../model/job.ts';
import type { SmokeHttp } from '../smoke/http.ts';
import { abortableSleep, runSmokeChecks } from '../smoke/run.ts';
import { releaseStateConflict, ReleaseVerificationError } from './errors.ts';
import type { ReleaseReport } from './events.ts';
import type { Release, Verification } from './record.ts';
import { decideSoak, toAllocSnapshot, type AllocSnapshot, type SoakProblem } from './soak.ts';
import type { ReleaseStore } from './store.ts';

/** What `verifyRelease` verifies. */
export interface VerifyReleaseInput {
  /** A `deployed` release of `env`, as `createRelease` returned it. */
  readonly release: Release;
  /** The source environment (QA): its `fabio.address` and `promotion.soak` apply. */
  readonly env: Environment;
  /** The jobs built for `env` (their `smoke` checks run); jobs not in the release are ignored. */
  readonly jobs: readonly JobSpec[];
  /** Overrides `env.promotion.soak` (tests use a few milliseconds). */
  readonly soak?: Duration;
}

/** The clients and injectables `verifyRelease` uses (tests inject transport, clock and sleep). */
export interface VerifyReleaseDeps {
  readonly store: ReleaseStore;
  readonly nomad: NomadClient;
  readonly consul: ConsulClient;
  /** Smoke transport. @default node:http(s) */
  readonly http?: SmokeHttp;
  /** Wall clock for the record's timestamps. @default () => new Date() */
  readonly now?: () => Date;
  /** Waits for retries and the soak. @default setTimeout, ended early by `signal` */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly report?: ReleaseReport;
  readonly signal?: AbortSignal;
}

/**
 * Verifies a freshly deployed release: snapshot its allocations, run every smoke check, wait the
 * soak time, snapshot again. Passed → `verified` (and `latest-verified` moves to it), returned.
 * Failed → recorded as `failed` and thrown as `ReleaseVerificationError` (exit 1) carrying the
 * failing request and response. A smoke failure ends verification at once, without the soak:
 * the release is failed either way, and waiting minutes to say so helps nobody.
 */
export async function verifyRelease(input: VerifyReleaseInput, deps: VerifyReleaseDeps): Promise<Release> {
  const { release, env } = input;
  if (release.status !== 'deployed') throw releaseStateConflict(release, 'verify it');
  const now = deps.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const ids = Object.keys(release.jobs);
  const versions = new Map<string, number>();
  for (const [id, job] of Object.entries(release.jobs)) if (job.source.version !== undefined) versions.set(id, job.source.version);
  const before = await snapshot(deps.nomad, ids, deps.signal);
  const jobs = input.jobs.filter((job) => ids.includes(job.id));
  const smoke = await runSmokeChecks(jobs, { env, consul: deps.consul, http: deps.http, sleep: deps.sleep, report: deps.report, signal: deps.signal });
  const smokeOk = smoke.every((r) => r.ok);
  const durationMs = smokeOk ? soakMs(input.soak ?? env.promotion.soak) : 0;
  const problems = smokeOk ? await soak(release, { ids, versions, before, durationMs, env: env.name }, deps) : [];
  const verification: Verification = {
    ok: smokeOk && problems.length === 0,
    startedAt,
    finishedAt: now().toISOString(),
    smoke,
    soak: { durationMs, problems },
  };
  if (verification.ok) {
    const verified = await deps.store.markVerified(release.id, verification);
    deps.report?.({ type: 'release-verified', release: release.id, env: env.name });
    return verified;
  }
  const failed = await deps.store.markFailed(release.id, verification);
  const reason = [...smoke.filter((r) => !r.ok).map((r) => `smoke ${r.job}/${r.check}`), ...problems.map((p) => `${p.allocName} ${p.kind}`)].join(', ');
  deps.report?.({ type: 'release-failed', release: release.id, env: env.name, reason });
  throw new ReleaseVerificationError(failed, verification);
}

/** Waits the soak time, then compares the allocations with the snapshot taken before the smoke checks. */
async function soak(
  release: Release,
  input: { readonly ids: readonly string[]; readonly versions: ReadonlyMap<string, number>; readonly before: readonly AllocSnapshot[]; readonly durationMs: number; readonly env: string },
  deps: VerifyReleaseDeps,
): Promise<SoakProblem[]> {
  deps.report?.({ type: 'soak-started', release: release.id, env: input.env, durationMs: input.durationMs, jobs: input.ids });
  await (deps.sleep ?? abortableSleep)(input.durationMs, deps.signal);
  deps.signal?.throwIfAborted();
  const after = await snapshot(deps.nomad, input.ids, deps.signal);
  const problems = decideSoak({ before: input.before, after, versions: input.versions });
  deps.report?.({ type: 'soak-finished', release: release.id, problems });
  return problems;
}

async function snapshot(nomad: NomadClient, ids: readonly string[], signal?: AbortSignal): Promise<AllocSnapshot[]> {
  const lists = await Promise.all(ids.map((id) => nomad.jobs.allocations(id, signal ? { signal } : {})));
  return lists.flatMap((list) => list.value.map(toAllocSnapshot));
}

function soakMs(duration: Duration | undefined): number {
  return duration === undefined ? 0 : Math.round((toNanoseconds(duration) ?? 0) / 1e6);
}
