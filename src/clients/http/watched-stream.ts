import type { Readable } from 'node:stream';

/** How a streamed response body is watched, and what each way of ending early becomes. */
export interface StreamWatch {
  /** No bytes for this long (0 = never) means the connection is dead: the body is destroyed. */
  readonly stallMs: number;
  readonly signal?: AbortSignal;
  /** The error for a stall (the server's heartbeats stopped). */
  readonly stalled: () => Error;
  /** The error for a broken read (reset, closed mid-frame…). */
  readonly failed: (error: unknown) => Error;
}

/**
 * The chunks of a streamed body (Nomad's event stream, its log stream), with a stall watchdog: the
 * timer runs only while waiting for bytes, not while the consumer handles a chunk, so a slow
 * consumer never looks like a dead server. Abort rethrows the signal's reason; the body is always
 * destroyed at the end.
 */
export async function* watchedChunks(body: Readable, watch: StreamWatch): AsyncGenerator<Buffer | string> {
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    if (watch.stallMs > 0) timer = setTimeout(() => ((stalled = true), body.destroy()), watch.stallMs);
  };
  const onAbort = (): void => void body.destroy();
  watch.signal?.addEventListener('abort', onAbort, { once: true });
  const fail = (error: unknown): never => {
    if (watch.signal?.aborted) throw watch.signal.reason;
    if (stalled) throw watch.stalled();
    throw watch.failed(error);
  };
  try {
    arm();
    const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
    for (;;) {
      const next = await chunks.next().catch(fail);
      clearTimeout(timer);
      if (next.done) break;
      yield next.value;
      arm();
    }
    // A destroyed body may end without an error: still an abort or a stall, never a clean end.
    if (watch.signal?.aborted || stalled) fail(undefined);
  } finally {
    clearTimeout(timer);
    watch.signal?.removeEventListener('abort', onAbort);
    body.destroy();
  }
}
