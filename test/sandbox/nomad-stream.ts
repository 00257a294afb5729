/** Reads Nomad's NDJSON event stream frame by frame over real HTTP. */
export interface EventStream {
  /** Frames received so far (`{}` heartbeats included), in order. */
  readonly frames: any[];
  /** Resolves once `predicate` holds for the received frames (real-time timeout). */
  until(predicate: (frames: any[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends or cuts the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

/** Opens `GET /v1/event/stream` with the given query. */
export async function openEventStream(base: string, query = ''): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(`${base}/v1/event/stream${query}`, { signal: abort.signal });
  if (response.status !== 200 || !response.body) throw new Error(`event stream: ${response.status} ${await response.text()}`);
  const frames: any[] = [];
  const waiters = new Set<() => void>();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          frames.push(JSON.parse(buffer.slice(0, newline)));
          buffer = buffer.slice(newline + 1);
        }
        for (const wake of waiters) wake();
      }
    } catch {
      // A cut connection ends the stream like EOF.
    }
    for (const wake of waiters) wake();
  })();
  let finished = false;
  void ended.then(() => (finished = true));
  return {
    frames,
    ended,
    close: () => abort.abort(),
    until: (predicate, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (predicate(frames)) return void (waiters.delete(check), clearTimeout(timer), resolve());
          if (finished) return void (waiters.delete(check), clearTimeout(timer), reject(new Error(`stream ended; ${frames.length} frames`)));
        };
        const timer = setTimeout(() => (waiters.delete(check), reject(new Error(`timed out; ${frames.length} frames`))), timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

/** The events of all data frames, flattened. */
export function eventsOf(frames: readonly any[]): any[] {
  return frames.filter((f) => f.Events).flatMap((f) => f.Events);
}
