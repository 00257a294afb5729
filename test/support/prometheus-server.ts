/**
 * A real Prometheus for tests, scraping a metrics endpoint the test controls. Install the binary
 * with `bash scripts/install-prometheus.sh` (Debian's `prometheus` package); without it the suites
 * that need it are skipped loudly.
 *
 * - `startFabioMetrics()` serves Fabio-like metrics (`fabio_route_*`, `fabio_http_status_*`, as
 *   Fabio's prometheus target names them with `metrics.prefix = fabio`) from a prom-client
 *   Registry, fed by a synthetic traffic generator the test steers per service. (For metrics of
 *   requests really proxied, use the sandbox's simulated Fabio: `sandbox.addresses.fabioMetrics`.)
 * - `startPrometheus()` and `binaryAvailability()` live in src/sandbox/prometheus-process.ts; these
 *   wrappers look on this process's PATH, which src/ leaves to its callers.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Histogram, Registry } from 'prom-client';
import {
  type Availability,
  type PrometheusOptions,
  type PrometheusServer,
  binaryAvailability as findBinary,
  startPrometheus as startPrometheusProcess,
} from '../../src/sandbox/prometheus-process.ts';

export type { Availability, PrometheusServer } from '../../src/sandbox/prometheus-process.ts';

/** Finds `name` (prometheus or promtool) on PATH. */
export function binaryAvailability(name: 'prometheus' | 'promtool'): Availability {
  return findBinary(name, process.env['PATH'] ?? '');
}

/** Starts `prometheus` from PATH scraping `targets` every second; resolves when ready and all targets are up. */
export function startPrometheus(targets: readonly string[], options: Omit<PrometheusOptions, 'searchPath'> = {}): Promise<PrometheusServer> {
  return startPrometheusProcess(targets, { searchPath: process.env['PATH'] ?? '', ...options });
}

/** Prints a loud warning that a suite is skipped. */
export function warnSkipped(suite: string, availability: Availability): void {
  if (!availability.available) console.warn(`\n!!!!!!!!!! SKIPPED: ${suite} — ${availability.reason} !!!!!!!!!!\n`);
}

/** Synthetic traffic of one service through one Fabio target. */
export interface Traffic {
  /** Requests per second. */
  readonly rps: number;
  /** Share answered with 503. @default 0 */
  readonly errorRatio?: number;
  /** Latency of every request, seconds. @default 0.02 */
  readonly latencySeconds?: number;
  /** @default "/" */
  readonly path?: string;
  /** @default "http://10.0.0.1:8080/" */
  readonly target?: string;
}

/** The metrics endpoint and its traffic controls. */
export interface FabioMetrics {
  /** `127.0.0.1:<port>`, for a scrape config. */
  readonly hostPort: string;
  /** Sets (or with `rps: 0`, stops) a service's traffic; applies from the next 100 ms tick. */
  setTraffic(service: string, traffic: Traffic): void;
  close(): Promise<void>;
}

const TICK_MS = 100;
// Fabio's default metrics.prometheus.buckets.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Serves `/metrics` with Fabio's route and status histograms, fed every 100 ms. */
export async function startFabioMetrics(): Promise<FabioMetrics> {
  const registry = new Registry();
  const route = new Histogram({ name: 'fabio_route', help: 'route latency', labelNames: ['service', 'host', 'path', 'target'], buckets: BUCKETS, registers: [registry] });
  const status = new Histogram({ name: 'fabio_http_status', help: 'status codes', labelNames: ['code', 'service'], buckets: BUCKETS, registers: [registry] });
  const streams = new Map<string, { traffic: Traffic; owed: number; errorsOwed: number }>();
  const timer = setInterval(() => {
    for (const [service, stream] of streams) {
      const { traffic } = stream;
      stream.owed += (traffic.rps * TICK_MS) / 1000;
      const requests = Math.floor(stream.owed);
      stream.owed -= requests;
      stream.errorsOwed += requests * (traffic.errorRatio ?? 0);
      const errors = Math.min(requests, Math.floor(stream.errorsOwed));
      stream.errorsOwed -= errors;
      const latency = traffic.latencySeconds ?? 0.02;
      for (let i = 0; i < requests; i++) {
        route.observe({ service, host: '', path: traffic.path ?? '/', target: traffic.target ?? 'http://10.0.0.1:8080/' }, latency);
        status.observe({ code: i < errors ? '503' : '200', service }, latency);
      }
    }
  }, TICK_MS);
  const server = createHttpServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    void registry.metrics().then((text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text));
  });
  const port = await listen(server);
  return {
    hostPort: `127.0.0.1:${port}`,
    setTraffic: (service, traffic) => {
      const stream = streams.get(service);
      if (stream) stream.traffic = traffic;
      else streams.set(service, { traffic, owed: 0, errorsOwed: 0 });
    },
    close: async () => {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}
