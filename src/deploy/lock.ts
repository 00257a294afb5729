import { hostname, userInfo } from 'node:os';
import type { ConsulClient } from '../clients/consul/index.ts';
import { DroverError, ExitCode } from '../errors.ts';
import type { Report } from '../report/events.ts';

/** Who holds an environment lock, stored as the lock key's value so a refused deploy can name them. */
export interface LockHolder {
  readonly user: string;
  readonly host: string;
  readonly pid: number;
  readonly since: string;
  readonly release: string;
}

export interface EnvironmentLock {
  readonly key: string;
  readonly sessionId: string;
  /** Aborts when the lock is lost (session expired or destroyed by someone else). */
  readonly lost: AbortSignal;
  /** Releases the lock and destroys the session; safe to call twice. */
  release(): Promise<void>;
}

export interface AcquireOptions {
  readonly env: string;
  readonly release: string;
  /** Wait for the holder instead of refusing. */
  readonly wait: boolean;
  readonly report: Report;
  readonly signal?: AbortSignal;
  /** Session TTL; a killed drover's lock frees itself this long after its last renewal (Consul may take up to 2×). @default "10s" */
  readonly ttl?: `${number}s`;
}

export const lockKey = (env: string) => `drover/locks/${env}`;

/**
 * Takes `drover/locks/<env>` with a TTL session renewed at half the TTL. The session has no node
 * checks (drover runs outside the cluster), a short lock-delay so a crashed deploy blocks the next
 * one only briefly, and `release` behaviour so the key survives with its last holder's info.
 */
export async function acquireEnvironmentLock(consul: ConsulClient, options: AcquireOptions): Promise<EnvironmentLock> {
  const key = lockKey(options.env);
  const ttl = options.ttl ?? '10s';
  const holder: LockHolder = { user: safeUser(), host: hostname(), pid: process.pid, since: new Date().toISOString(), release: options.release };
  const sessionId = await consul.sessions.create({ name: `drover deploy ${options.env}`, ttl, behavior: 'release', lockDelay: '1s', checks: [] });
  try {
    await takeLock(consul, key, sessionId, holder, options);
  } catch (error) {
    await consul.sessions.destroy(sessionId).catch(() => undefined);
    throw error;
  }
  return keepAlive(consul, key, sessionId, Number.parseInt(ttl, 10) * 1000, options);
}

async function takeLock(consul: ConsulClient, key: string, sessionId: string, holder: LockHolder, options: AcquireOptions): Promise<void> {
  let reported = false;
  let freeRetries = 5;
  for (;;) {
    if (await consul.locks.acquire(key, sessionId, JSON.stringify(holder), { signal: options.signal })) return;
    const current = await consul.kv.get(key, { signal: options.signal });
    if (current.session === undefined && freeRetries-- > 0) {
      // Nobody holds it: a dead holder's lock-delay (1s) is still running. Try again shortly.
      await new Promise((resolve) => setTimeout(resolve, 300));
      continue;
    }
    const who = describeHolder(current.value);
    if (!options.wait) {
      throw new DroverError(`Environment ${options.env} is locked by another deploy`, ExitCode.refused, {
        context: { holder: who, lock: key },
        hint: `Wait for it to finish, or run again with --wait-lock. A crashed deploy's lock expires with its session (${options.ttl ?? '10s'} TTL).`,
      });
    }
    if (!reported) options.report({ type: 'lock-waiting', env: options.env, holder: who });
    reported = true;
    // Block until the key changes (the holder releases, or its session expires), then retry.
    await consul.kv.get(key, { index: current.index, wait: '30s', signal: options.signal });
  }
}

function keepAlive(consul: ConsulClient, key: string, sessionId: string, ttlMs: number, options: AcquireOptions): EnvironmentLock {
  const lost = new AbortController();
  const timer = setInterval(() => {
    consul.sessions.renew(sessionId).catch((error: unknown) => {
      clearInterval(timer);
      options.report({ type: 'lock-lost', env: options.env, reason: error instanceof Error ? error.message : String(error) });
      lost.abort(new DroverError(`Lost the lock on ${options.env}`, ExitCode.refused, { hint: 'Another deploy may now run; check `drover status` before retrying.' }));
    });
  }, Math.max(1000, ttlMs / 2));
  timer.unref();
  let released = false;
  return {
    key,
    sessionId,
    lost: lost.signal,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await consul.locks.release(key, sessionId, '').catch(() => false);
      await consul.sessions.destroy(sessionId).catch(() => undefined);
      options.report({ type: 'lock-released', env: options.env });
    },
  };
}

function describeHolder(value: string | null): string {
  if (!value) return 'unknown (no holder information on the lock key)';
  try {
    const h = JSON.parse(value) as Partial<LockHolder>;
    return `${h.user ?? '?'}@${h.host ?? '?'} (pid ${h.pid ?? '?'}, release ${h.release ?? '?'}, since ${h.since ?? '?'})`;
  } catch {
    return value.slice(0, 200);
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
