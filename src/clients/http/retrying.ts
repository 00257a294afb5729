/**
 * The retry loop shared by the Nomad and Vault clients: only reads are repeated, with capped
 * exponential backoff, and every retry is reported through `onRetry` before the wait.
 */
import { ApiError } from '../api-error.ts';
import { backoffDelay, isRetryable, sleep, type RetryListener, type RetryPolicy } from '../retry.ts';

/** How one call may be retried. */
export interface RetrySettings {
  readonly policy: RetryPolicy;
  readonly onRetry?: RetryListener;
}

/**
 * Runs `attempt` once, or, when `idempotent`, up to `1 + retries` times while it fails with a
 * retryable ApiError. A write is never repeated here: it may have taken effect although its
 * answer was lost, so the caller re-reads to find out.
 */
export async function withRetries<T>(
  call: { readonly idempotent: boolean; readonly method: string; readonly signal?: AbortSignal | undefined },
  settings: RetrySettings,
  attempt: () => Promise<T>,
): Promise<T> {
  const retries = call.idempotent ? (settings.policy.retries ?? 3) : 0;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ApiError) || n > retries || !isRetryable(error)) throw error;
      const delayMs = backoffDelay(n, settings.policy);
      settings.onRetry?.({ type: 'retry', service: error.service, method: call.method, path: error.path, attempt: n + 1, delayMs, error });
      await sleep(delayMs, call.signal);
    }
  }
}
