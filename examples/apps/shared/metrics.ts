/**
 * The request metrics every example app serves at `GET /metrics`, on the app's own prom-client
 * Registry (never the global one, so several apps can live in one process, as in the sandbox).
 * Labels are bounded: `route` is one of the app's route names or `other`, `method` one of the
 * standard methods or `other`. The apps never add `service`, `canary` or `alloc`: Prometheus adds
 * those from Consul service discovery, and a label set twice would be renamed `exported_…`.
 */
import { Counter, Histogram, Registry } from 'prom-client';

/** Latency buckets in seconds: 5 ms to 5 s, about ×2–2.5 apart. */
export const DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The route label of requests that match none of the app's routes. */
export const OTHER_ROUTE = 'other';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** One finished request. */
export interface RequestSample {
  readonly route: string;
  readonly method: string;
  readonly code: number;
  readonly seconds: number;
}

/** The request counter and latency histogram of one app instance. */
export interface HttpMetrics {
  readonly registry: Registry;
  observe(sample: RequestSample): void;
  /**
   * Creates the `200` and `503` series of `routes` at 0. Prometheus sees no increase into a
   * series' first sample, so a canary's first 503s would be lost to `rate()` if their series only
   * appeared with them.
   */
  zero(routes: readonly string[]): void;
}

/** Registers `http_requests_total` and `http_request_duration_seconds` on `registry`. */
export function createHttpMetrics(registry: Registry = new Registry()): HttpMetrics {
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by status code, route and method.',
    labelNames: ['code', 'route', 'method'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its answer, by route and status code.',
    labelNames: ['route', 'code'] as const,
    buckets: [...DURATION_BUCKETS],
    registers: [registry],
  });
  return {
    registry,
    observe: ({ route, method, code, seconds }) => {
      requests.inc({ code: String(code), route, method: methodLabel(method) });
      duration.observe({ route, code: String(code) }, seconds);
    },
    zero: (routes) => {
      for (const route of routes) for (const code of ['200', '503']) {
        requests.inc({ code, route, method: 'GET' }, 0);
        duration.zero({ route, code });
      }
    },
  };
}

/** The method as a bounded label value. */
export function methodLabel(method: string | undefined): string {
  const upper = (method ?? '').toUpperCase();
  return METHODS.has(upper) ? upper : 'other';
}
