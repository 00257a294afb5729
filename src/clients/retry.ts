/**
 * Capped exponential backoff for idempotent reads. Writes are never retried here: a write that
 * timed out may have taken effect, so the caller re-reads instead.
 */
import type { ApiError } from './api-error.ts';

/** How reads are retried. */
export interface RetryPolicy {
  /**
   * Extra attempts after the first one; 0 disables retrying.
   * @default 3
   */
  readonly retries?: number;
  /**
   * Delay before the first retry, doubled for each further one.
   * @default 200
   */
  readonly baseDelayMs?: number;
  /**
   * Upper bound of one delay.
   * @default 5000
   */
  readonly maxDelayMs?: number;
}

/** Reported through `onRetry` before a failed read is tried again. Carries no credentials. */
export interface RetryEvent {
  readonly type: 'retry';
  readonly service: ApiError['service'];
  readonly method: string;
  readonly path: string;
  /** The attempt that is about to start, 2 for the first retry. */
  readonly attempt: number;
  readonly delayMs: number;
  /** The failure that caused this retry (already redacted). */
  readonly error: ApiError;
}

/** Receives retry events; clients never print. */
export type RetryListener = (event: RetryEvent) => void;

/** Statuses worth retrying for a read: rate limiting and gateway/leader trouble. */
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** Network failures that may clear up; a refused-before-sending call (`EINVALID`) never does. */
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * True when a read that failed with `error` may succeed if repeated: a transient network failure
 * (refused, reset, timed out) or a transient status. Consul and Nomad answer 500 while a leader election is
 * under way, so 500 is included; a 500 caused by bad input just costs a few cheap retries.
 */
export function isRetryable(error: ApiError): boolean {
  return error.status === undefined ? RETRYABLE_CODES.has(error.code ?? '') : RETRYABLE_STATUS.has(error.status);
}

/** Delay before retry number `retry` (1-based): base × 2^(retry-1), capped. */
export function backoffDelay(retry: number, policy: RetryPolicy = {}): number {
  const base = policy.baseDelayMs ?? 200;
  const max = policy.maxDelayMs ?? 5000;
  return Math.min(max, base * 2 ** Math.max(0, retry - 1));
}

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. The timer is
 * cleared either way so an aborted wait keeps nothing alive.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
