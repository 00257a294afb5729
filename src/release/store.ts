import type { ConsulClient } from '../clients/consul/index.ts';
import { DroverError, ExitCode } from '../errors.ts';
import { canonicalJson } from '../render/canonical-json.ts';
import { releaseNotFound, releaseStateConflict, releaseUnreadable, releaseUpdateContended } from './errors.ts';
import { writeLocalRelease } from './local.ts';
import { jobsAwaitingPromotion, RELEASE_SCHEMA, withPromotedJobs, withPromotion, withVerification, type JobDeployment, type PromotedBy, type PromotionOutcome, type Release, type Verification } from './record.ts';

/** KV prefix of release records in the source environment's Consul. */
export const RELEASES_PREFIX = 'drover/releases/';
/** Key holding the id of the newest verified release. */
export const LATEST_VERIFIED_KEY = `${RELEASES_PREFIX}latest-verified`;
/** KV key of one release. */
export const releaseKey = (id: string) => `${RELEASES_PREFIX}${id}`;

/** Attempts of a check-and-set update before giving up on a record others keep changing. */
const CAS_ATTEMPTS = 5;

/**
 * Release records in Consul KV: `drover/releases/<id>` (JSON) and `drover/releases/latest-verified`
 * (an id). Every update is read–modify–write with `cas` on the key's ModifyIndex, so two drovers
 * updating one release (a verification and a prod outcome) never clobber each other.
 */
export interface ReleaseStore {
  /** The source environment whose Consul this store talks to. */
  readonly env: string;
  /** Stores a new record; refuses (exit 4) when the id exists. */
  save(release: Release): Promise<void>;
  /** The record, or `null` when there is none. */
  load(id: string): Promise<Release | null>;
  /** Every record, newest first. */
  list(): Promise<Release[]>;
  /** The record `latest-verified` points to, or `null`. */
  latestVerified(): Promise<Release | null>;
  /** Records a passed verification and moves `latest-verified` to it (unless a newer release is there already). */
  markVerified(id: string, verification: Verification): Promise<Release>;
  /** Records a failed verification. */
  markFailed(id: string, verification: Verification): Promise<Release>;
  /** Records the outcome of deploying the release to `env` (prod). */
  recordOutcome(id: string, env: string, outcome: PromotionOutcome): Promise<Release>;
  /**
   * Records how `drover promote` ended for jobs of the release that waited at canaries in `env`
   * (the source or a target), see `withPromotedJobs`; refuses (exit 4) jobs that were not waiting.
   */
  recordPromotion(id: string, env: string, jobs: Readonly<Record<string, JobDeployment>>, promoted: PromotedBy): Promise<Release>;
}

/** Options of `createReleaseStore`. */
export interface ReleaseStoreOptions {
  /** Name of the environment whose Consul `consul` is (for messages). */
  readonly env: string;
  /** Mirror every write to `<localDir>/<id>.json` (the CLI passes `<project>/.drover/releases`). */
  readonly localDir?: string;
  readonly signal?: AbortSignal;
}

/** The release store on the source environment's Consul (see `ReleaseStore`). */
export function createReleaseStore(consul: ConsulClient, options: ReleaseStoreOptions): ReleaseStore {
  const opts = options.signal ? { signal: options.signal } : {};
  const mirror = async (release: Release) => {
    if (options.localDir) await writeLocalRelease(options.localDir, release);
  };
  const read = async (id: string) => {
    const answer = await consul.kv.get(releaseKey(id), opts);
    return answer.value === null ? null : { release: parseRelease(releaseKey(id), answer.value), modifyIndex: answer.modifyIndex };
  };
  const update = async (id: string, change: (release: Release) => Release): Promise<Release> => {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const current = await read(id);
      if (!current) throw releaseNotFound({ id, env: options.env });
      const next = change(current.release);
      if (await consul.kv.set(releaseKey(id), serialize(next), { ...opts, cas: current.modifyIndex })) {
        await mirror(next);
        return next;
      }
    }
    throw releaseUpdateContended(id, CAS_ATTEMPTS);
  };
  const verify = (id: string, verification: Verification) =>
    update(id, (release) => {
      if (release.status !== 'deployed') throw releaseStateConflict(release, `record a ${verification.ok ? 'passed' : 'failed'} verification`);
      return withVerification(release, verification);
    });

  return {
    env: options.env,
    async save(release) {
      // cas 0: create only, so two deploys that picked the same id in the same second cannot overwrite each other.
      if (!(await consul.kv.set(releaseKey(release.id), serialize(release), { ...opts, cas: 0 }))) {
        throw new DroverError(`Release ${release.id} already exists in ${options.env}`, ExitCode.refused, { hint: 'Another deploy recorded a release with this id within the same second; deploy again.' });
      }
      await mirror(release);
    },
    load: async (id) => (await read(id))?.release ?? null,
    async list() {
      const entries = (await consul.kv.list(RELEASES_PREFIX, opts)).value;
      const records = entries.filter((e) => e.key !== LATEST_VERIFIED_KEY && e.key.slice(RELEASES_PREFIX.length).startsWith('r-'));
      return records.map((e) => parseRelease(e.key, e.value)).sort((a, b) => (a.id < b.id ? 1 : -1));
    },
    async latestVerified() {
      const pointer = (await consul.kv.get(LATEST_VERIFIED_KEY, opts)).value;
      return pointer ? ((await read(pointer.trim()))?.release ?? null) : null;
    },
    async markVerified(id, verification) {
      const release = await verify(id, { ...verification, ok: true });
      await movePointer(consul, id, opts);
      return release;
    },
    markFailed: (id, verification) => verify(id, { ...verification, ok: false }),
    recordOutcome: (id, env, outcome) => update(id, (release) => withPromotion(release, env, outcome)),
    recordPromotion: (id, env, jobs, promoted) =>
      update(id, (release) => {
        const waiting = jobsAwaitingPromotion(release, env);
        if (Object.keys(jobs).some((job) => !waiting.has(job))) throw releaseStateConflict(release, `record a promotion in ${env} of ${Object.keys(jobs).sort().join(', ')} (not waiting for one)`);
        return withPromotedJobs(release, env, jobs, promoted);
      }),
  };
}

/**
 * Points `latest-verified` at `id` unless it already points at a newer release: ids sort by
 * creation time, so an older release verified late (a slow soak) does not replace a newer one.
 */
async function movePointer(consul: ConsulClient, id: string, opts: { signal?: AbortSignal }): Promise<void> {
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    const current = await consul.kv.get(LATEST_VERIFIED_KEY, opts);
    if (current.value !== null && current.value.trim() >= id) return;
    if (await consul.kv.set(LATEST_VERIFIED_KEY, id, { ...opts, cas: current.modifyIndex })) return;
  }
  throw releaseUpdateContended(LATEST_VERIFIED_KEY, CAS_ATTEMPTS);
}

/** Canonical text of a record: sorted keys, so KV diffs and local files are readable. */
export function serialize(release: Release): string {
  return canonicalJson(release);
}

/** Parses a stored record, refusing other schemas instead of misreading them. */
export function parseRelease(key: string, text: string): Release {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw releaseUnreadable(key, `not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const record = value as Partial<Release> | null;
  if (!record || typeof record !== 'object' || typeof record.id !== 'string' || typeof record.jobs !== 'object') throw releaseUnreadable(key, 'not a release record');
  if (record.schema !== RELEASE_SCHEMA) throw releaseUnreadable(key, `schema ${String(record.schema)}, this drover reads schema ${RELEASE_SCHEMA}`);
  return { ...record, promotions: record.promotions ?? {} } as Release;
}
