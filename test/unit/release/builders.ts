import type { JobResult } from '../../../src/deploy/outcome.ts';
import { buildRelease, withPromotedJobs, withPromotion, withVerification, type Release, type Verification } from '../../../src/release/record.ts';
import type { ReleaseStore } from '../../../src/release/store.ts';
import type { NomadAllocListStub } from '../../../src/wire/nomad-api.ts';

export const SHA = '3f2a9c1d5e6f708192a3b4c5d6e7f8091a2b3c4d';
export const CREATED = new Date('2024-01-31T09:45:00.000Z');

/** A deployed (not yet verified) release of jobs `api` and `www`, both succeeded in qa (or ended as `results` say). */
export function aRelease(overrides: Partial<Release> = {}, results?: readonly JobResult[]): Release {
  const release = buildRelease({
    id: 'r-20240131-094500-3f2a9c1',
    gitSha: SHA,
    project: 'drover',
    sourceEnv: 'qa',
    createdAt: CREATED,
    createdBy: 'alice@laptop',
    jobs: [
      { id: 'www', envFreeHash: 'aaaaaaaaaaaaaaaa', maskedPaths: ['TaskGroups[0].Count'], images: [{ reference: 'ghcr.io/example-shop/www:3.2.0', repository: 'ghcr.io/example-shop/www', tag: '3.2.0' }], specHash: '1111111111111111' },
      { id: 'api', envFreeHash: 'bbbbbbbbbbbbbbbb', maskedPaths: [], images: [{ reference: 'ghcr.io/example-shop/api:1.8.2', repository: 'ghcr.io/example-shop/api', tag: '1.8.2' }], specHash: '2222222222222222' },
    ],
    results: results ?? [
      { job: 'api', outcome: { status: 'succeeded', version: 3, deploymentId: 'd-api' } },
      { job: 'www', outcome: { status: 'unchanged', version: 1 } },
    ],
  });
  return { ...release, ...overrides };
}

/** A verification result; passed unless `ok: false`. */
export function aVerification(overrides: Partial<Verification> = {}): Verification {
  return { ok: true, startedAt: '2024-01-31T09:46:00.000Z', finishedAt: '2024-01-31T09:48:00.000Z', smoke: [], soak: { durationMs: 120_000, problems: [] }, ...overrides };
}

/** `aRelease()` after a passed verification. */
export function aVerifiedRelease(overrides: Partial<Release> = {}): Release {
  return { ...withVerification(aRelease(), aVerification()), ...overrides };
}

/** The results of a deploy where every named job succeeded. */
export function succeeded(...jobs: string[]): JobResult[] {
  return jobs.map((job, i) => ({ job, outcome: { status: 'succeeded', version: i + 1, deploymentId: `d-${job}` } }));
}

/** A ReleaseStore in memory, applying the same pure transitions as the Consul one. */
export function memoryStore(env = 'qa', initial: readonly Release[] = []): ReleaseStore & { records: Map<string, Release>; latest: string | undefined } {
  const records = new Map(initial.map((r) => [r.id, r]));
  const store = {
    env,
    records,
    latest: undefined as string | undefined,
    save: async (release: Release) => void records.set(release.id, release),
    load: async (id: string) => records.get(id) ?? null,
    list: async () => [...records.values()].sort((a, b) => (a.id < b.id ? 1 : -1)),
    latestVerified: async () => (store.latest ? (records.get(store.latest) ?? null) : null),
    markVerified: async (id: string, v: Verification) => {
      const next = withVerification(records.get(id)!, { ...v, ok: true });
      records.set(id, next);
      store.latest = id;
      return next;
    },
    markFailed: async (id: string, v: Verification) => {
      const next = withVerification(records.get(id)!, { ...v, ok: false });
      records.set(id, next);
      return next;
    },
    recordOutcome: async (id: string, target: string, outcome: Parameters<typeof withPromotion>[2]) => {
      const next = withPromotion(records.get(id)!, target, outcome);
      records.set(id, next);
      return next;
    },
    recordPromotion: async (id: string, target: string, jobs: Parameters<typeof withPromotedJobs>[2], promoted: Parameters<typeof withPromotedJobs>[3]) => {
      const next = withPromotedJobs(records.get(id)!, target, jobs, promoted);
      records.set(id, next);
      return next;
    },
  };
  return store;
}

/** An allocation list stub of `job` version `version`, running, with the given restarts per task. */
export function anAlloc(job: string, id: string, overrides: Partial<NomadAllocListStub> & { restarts?: Record<string, number> } = {}): NomadAllocListStub {
  const { restarts = { app: 0 }, ...rest } = overrides;
  return {
    ID: id,
    EvalID: 'e1',
    Name: `${job}.${job}[0]`,
    Namespace: 'shop',
    NodeID: 'n1',
    NodeName: 'node-1',
    JobID: job,
    JobType: 'service',
    JobVersion: 3,
    TaskGroup: job,
    DesiredStatus: 'run',
    DesiredDescription: '',
    ClientStatus: 'running',
    ClientDescription: '',
    TaskStates: Object.fromEntries(
      Object.entries(restarts).map(([task, count]) => [
        task,
        { State: 'running', Failed: false, Restarts: count, LastRestart: null, StartedAt: null, FinishedAt: null, Events: count ? [{ Type: 'Restarting', Time: '1700000000000000000', DisplayMessage: 'Exit Code: 137, OOM Killed', Message: '' }] : [] },
      ]),
    ),
    DeploymentStatus: null,
    FollowupEvalID: '',
    NextAllocation: '',
    RescheduleTracker: null,
    CreateIndex: 1,
    ModifyIndex: 1,
    CreateTime: '1700000000000000000',
    ModifyTime: '1700000000000000000',
    ...rest,
  } as unknown as NomadAllocListStub;
}
