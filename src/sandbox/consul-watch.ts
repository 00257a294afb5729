/**
 * Reads the sandbox's Consul over HTTP the way an outside process (Fabio, an app's sidecar) does:
 * blocking queries that resume from the last `X-Consul-Index`. Used by the simulated Fabio and the
 * simulated application instances, which must see Consul exactly as real clients would.
 * @see https://developer.hashicorp.com/consul/api-docs/features/blocking
 */

/**
 * Marks the simulation's own requests so injected faults skip them: a fault limited to `times: 1`
 * is meant for the code under test, not for a background watcher that happens to ask first.
 */
export const SIMULATION_HEADER = 'x-drover-sandbox-simulation';

/** Something the simulation could not do; it carries on, like a real process logging a warning. */
export interface SimulationProblem {
  readonly source: 'apps' | 'fabio' | 'traffic';
  readonly message: string;
}

/** Options of {@link watchBlocking}. */
export interface BlockingWatch {
  /** Consul base URL, e.g. `http://127.0.0.1:8500`. */
  readonly consul: string;
  /** Path with its own query, e.g. `/v1/kv/fabio/config?recurse`. */
  readonly path: string;
  /** Receives every answer; the next query waits until this settles. 404 arrives as `null`. */
  readonly onChange: (body: unknown, index: number) => void | Promise<void>;
  readonly onProblem: (message: string) => void;
  readonly signal: AbortSignal;
  /** Consul's `wait`. Short enough that a stale connection is noticed. @default "30s" */
  readonly wait?: string;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * Runs a blocking-query loop until `signal` aborts; resolves then (never rejects). Errors are
 * reported once per streak and retried with capped backoff, as Consul's Go client users do.
 */
export async function watchBlocking(watch: BlockingWatch): Promise<void> {
  let index = 0;
  let retryMs = 0;
  while (!watch.signal.aborted) {
    try {
      const separator = watch.path.includes('?') ? '&' : '?';
      const answer = await consulGet(watch.consul, `${watch.path}${separator}index=${index}&wait=${watch.wait ?? '30s'}`, watch.signal);
      retryMs = 0;
      // Same index: the wait elapsed without a change. Going backwards: Consul's state was reset,
      // so start over (Consul's own advice) and take the answer as new.
      if (index > 0 && answer.index === index) continue;
      index = answer.index < index ? 0 : answer.index;
      await watch.onChange(answer.body, answer.index);
    } catch (error) {
      if (watch.signal.aborted) return;
      if (retryMs === 0) watch.onProblem(`reading ${watch.path} from Consul failed: ${(error as Error).message}; retrying`);
      retryMs = Math.min(RETRY_MAX_MS, Math.max(RETRY_MIN_MS, retryMs * 2));
      index = 0;
      await sleep(retryMs, watch.signal);
    }
  }
}

/** One GET against Consul: the JSON body (`null` for 404) and `X-Consul-Index`. */
export async function consulGet(consul: string, path: string, signal: AbortSignal): Promise<{ readonly body: unknown; readonly index: number }> {
  const response = await fetch(`${consul}${path}`, { signal, headers: { [SIMULATION_HEADER]: '1' } });
  const index = Number(response.headers.get('x-consul-index') ?? 0);
  if (response.status === 404) return (await response.body?.cancel(), { body: null, index });
  if (!response.ok) throw new Error(`HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
  return { body: await response.json(), index };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
