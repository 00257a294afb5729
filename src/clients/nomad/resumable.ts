/**
 * An event stream that survives disconnects: when the connection drops (reset, stalled, server
 * closed it on a restart or leader change) it reconnects from the index after the last batch it
 * saw, waiting with capped exponential backoff, and skips batches it has already yielded. Refusals (400, 403, 404, a stream closed before
 * its first heartbeat) are not retried: they will not clear up by waiting.
 * @see https://developer.hashicorp.com/nomad/api-docs/events
 */
import { ApiError } from '../api-error.ts';
import { backoffDelay, isRetryable, sleep, type RetryPolicy } from '../retry.ts';
import type { EventStreamOptions, NomadEventStream, NomadEventStreamItem } from './events.ts';
import type { NomadClient } from './types.ts';

/** Reported before each reconnect; carries no credentials. */
export interface EventStreamReconnect {
  readonly type: 'reconnect';
  /** The index the next connection starts from (last batch + 1). */
  readonly index: number;
  /** Consecutive failed connections so far, 1 for the first reconnect after a working stream. */
  readonly attempt: number;
  readonly delayMs: number;
  /** Why the previous connection ended; `undefined` when the server closed it cleanly. */
  readonly error: ApiError | undefined;
}

/** `resumableEventStream` options. */
export interface ResumableEventStreamOptions extends EventStreamOptions {
  /**
   * Backoff between reconnects; `retries` bounds consecutive failed connections (one that
   * delivered events or outlived a heartbeat resets the count). @default { retries: Infinity, baseDelayMs: 200, maxDelayMs: 5000 }
   */
  readonly reconnect?: RetryPolicy;
  /**
   * Told before each reconnect. Events between the old and the new connection may be lost when
   * Nomad no longer buffers them, so a watcher should re-read the objects it follows here.
   */
  readonly onReconnect?: (event: EventStreamReconnect) => void;
}

/**
 * Follows the event stream across disconnects until `signal` aborts (rejecting with its reason),
 * the consumer breaks out, or a failure is not worth retrying (rethrown).
 *
 * @example
 * for await (const item of resumableEventStream(nomad, { topics: [{ topic: 'Deployment', key: id }], signal })) {
 *   if (item.type === 'heartbeat') lastSeen = Date.now();
 *   else for (const event of item.events) handle(event);
 * }
 */
export async function* resumableEventStream(
  client: Pick<NomadClient, 'events'>,
  opts: ResumableEventStreamOptions,
): AsyncGenerator<NomadEventStreamItem, void, undefined> {
  const policy = opts.reconnect ?? {};
  const maxFailures = policy.retries ?? Number.POSITIVE_INFINITY;
  let index = opts.index ?? 0;
  let failures = 0;
  for (;;) {
    let error: ApiError | undefined;
    try {
      const stream: NomadEventStream = client.events.stream({ ...opts, index });
      let items = 0;
      for await (const item of stream) {
        // The first heartbeat comes on connect; only a second item proves the connection worked.
        if (++items > 1 || item.type === 'events') failures = 0;
        if (item.type === 'events') {
          // Resuming at last+1 still replays the newest batch when nothing newer exists (Nomad's
          // StartAtClosest falls back to it), so batches already seen are skipped.
          if (item.index < index) continue;
          index = item.index + 1;
        }
        yield item;
      }
    } catch (caught) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (!(caught instanceof ApiError) || !isRetryable(caught)) throw caught;
      error = caught;
    }
    failures++;
    if (failures > maxFailures) throw error ?? new Error(`event stream closed ${failures} times in a row`);
    const delayMs = backoffDelay(failures, policy);
    opts.onReconnect?.({ type: 'reconnect', index, attempt: failures, delayMs, error });
    await sleep(delayMs, opts.signal);
  }
}
