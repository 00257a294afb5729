/**
 * Sends the load: one probe request first (is Fabio there, does it route this path?), then
 * autocannon at the settled rate, bounded by time and by request count.
 * @see https://github.com/mcollina/autocannon#api
 */
import type { IncomingHttpHeaders } from 'node:http';
import autocannon from 'autocannon';
import { nodeSmokeHttp } from '../smoke/http.ts';
import type { LoadMeasurement } from './summary.ts';
import type { LoadtestSettings } from './settings.ts';

/** What the probe request found. */
export type ProbeResult =
  | { readonly kind: 'answered'; readonly status: number }
  | { readonly kind: 'unreachable'; readonly reason: string };

/** One GET of the route as the load will send it; never throws for a missing answer. */
export async function probeRoute(settings: LoadtestSettings, signal?: AbortSignal): Promise<ProbeResult> {
  try {
    const answer = await nodeSmokeHttp({ method: 'GET', url: settings.url, headers: settings.host ? { host: settings.host } : {}, timeoutMs: 5_000, ...(signal ? { signal } : {}) });
    return { kind: 'answered', status: answer.status };
  } catch (error) {
    return { kind: 'unreachable', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Hooks of a run. */
export interface LoadRunHooks {
  /** Aborting stops the run early; what was measured so far is still returned. */
  readonly signal?: AbortSignal;
  /** Called about once a second with the answers of that second. */
  readonly onTick?: (answered: number, elapsedSeconds: number) => void;
}

/** Runs autocannon with the settings and returns what it measured. */
export function runLoad(settings: LoadtestSettings, hooks: LoadRunHooks = {}): Promise<LoadMeasurement> {
  const split = new Map<string, number>();
  const header = settings.splitHeader;
  const onResponse = header
    ? (_status: number, _body: string, _context: object, headers: IncomingHttpHeaders | undefined) => {
        const value = headerValue(headers, header);
        split.set(value, (split.get(value) ?? 0) + 1);
      }
    : undefined;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let interrupted = false;
    let instance: autocannon.Instance | undefined;
    const stop = (): void => {
      interrupted = true;
      instance?.stop();
    };
    instance = autocannon(
      {
        url: settings.url,
        connections: settings.connections,
        duration: settings.durationSeconds,
        // The hard cap: autocannon shares it between the connections, each stops at its share.
        maxOverallRequests: settings.maxRequests,
        // autocannon's coordinated-omission correction assumes 1 ms between requests when a rate
        // is set (Math.ceil(1 / per-connection rate)), which adds phantom samples to every answer
        // slower than 1 ms; the achieved rate already shows when the target falls behind.
        ...(settings.rps !== undefined ? { overallRate: settings.rps, ignoreCoordinatedOmission: true } : {}),
        ...(settings.host ? { headers: { host: settings.host } } : {}),
        ...(onResponse ? { requests: [{ onResponse }] } : {}),
        timeout: 10,
      },
      (error, result) => {
        hooks.signal?.removeEventListener('abort', stop);
        if (error) return reject(error);
        resolve(toMeasurement(result, settings, { interrupted, split, elapsedSeconds: (Date.now() - started) / 1000 }));
      },
    );
    if (hooks.signal?.aborted) stop();
    hooks.signal?.addEventListener('abort', stop, { once: true });
    if (hooks.onTick) {
      const onTick = hooks.onTick;
      // autocannon passes the second's counts to 'tick'; the typings declare no argument.
      (instance as unknown as NodeJS.EventEmitter).on('tick', ({ counter }: { counter: number }) => onTick(counter, (Date.now() - started) / 1000));
    }
  });
}

function toMeasurement(result: autocannon.Result, settings: LoadtestSettings, run: { interrupted: boolean; split: Map<string, number>; elapsedSeconds: number }): LoadMeasurement {
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = count ?? 0;
  const answered = Object.values(statusCodes).reduce((sum, n) => sum + n, 0);
  const stoppedBy = run.interrupted ? 'interrupted' : answered + result.errors >= settings.maxRequests ? 'request-cap' : 'duration';
  const { latency } = result;
  return {
    durationSeconds: result.duration || run.elapsedSeconds,
    latencyMs: { p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max, mean: latency.mean },
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    bytes: result.throughput.total,
    ...(settings.splitHeader ? { split: Object.fromEntries(run.split) } : {}),
    stoppedBy,
  };
}

/** autocannon hands the headers with the case the server sent, so the name is matched without case. */
function headerValue(headers: IncomingHttpHeaders | undefined, name: string): string {
  const found = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
  if (found === undefined) return '(none)';
  return Array.isArray(found) ? found.join(', ') : found;
}
