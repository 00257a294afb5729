/**
 * A real Prometheus for tests, scraping a metrics endpoint the test controls. Install the binary
 * with `bash scripts/install-prometheus.sh` (Debian's `prometheus` package); without it the suites
 * that need it are skipped loudly.
 *
 * - `startFabioMetrics()` serves Fabio-like metrics (`fabio_route_*`, `fabio_http_status_*`, as
 *   Fabio's prometheus target names them with `metrics.prefix = fabio`) from a prom-client
 *   Registry, fed by a synthetic traffic generator the test steers per service.
 * - `startPrometheus()` runs `prometheus` on a free port with a 1 s scrape of those endpoints and
 *   resolves once it is ready and every target is up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Histogram, Registry } from 'prom-client';

/** Whether a binary can be used, and if not, why. */
export type Availability = { readonly available: true; readonly binary: string } | { readonly available: false; readonly reason: string };

/** Finds `name` (prometheus or promtool) on PATH. */
export function binaryAvailability(name: 'prometheus' | 'promtool'): Availability {
  const binary = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name)).find(isExecutable);
  return binary ? { available: true, binary } : { available: false, reason: `no ${name} on PATH; run \`bash scripts/install-prometheus.sh\`` };
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

/** A running Prometheus. */
export interface PrometheusServer {
  /** e.g. `http://127.0.0.1:40123` */
  readonly address: string;
  /** Resolves once `promql` answers a vector with a sample for which `accept` holds (polls every 200 ms). */
  waitFor(promql: string, accept?: (value: number) => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `prometheus` scraping `targets` (`host:port`) every second; resolves when ready and all targets are up. */
export async function startPrometheus(targets: readonly string[], options: { readonly readyTimeoutMs?: number } = {}): Promise<PrometheusServer> {
  const availability = binaryAvailability('prometheus');
  if (!availability.available) throw new Error(availability.reason);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(availability.binary, targets, options.readyTimeoutMs ?? 20_000);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(binary: string, targets: readonly string[], timeoutMs: number): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'drover-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  // JSON is YAML: no YAML writer needed. scrape_timeout must not exceed scrape_interval.
  writeFileSync(config, JSON.stringify({ global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' }, scrape_configs: [{ job_name: 'fabio', static_configs: [{ targets }] }] }));
  const port = await freePort();
  const args = [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (c: Buffer) => void output.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => void output.push(c.toString()));
  child.on('error', (error) => output.push(`spawn failed: ${error.message}`));
  const address = `http://127.0.0.1:${port}`;
  const server: PrometheusServer = { address, waitFor: (q, accept, ms) => waitFor(address, q, accept, ms), stop: () => stop(child, dir) };
  try {
    const deadline = Date.now() + timeoutMs;
    await poll(deadline, child, async () => (await fetch(`${address}/-/ready`)).ok);
    await poll(deadline, child, async () => allUp(await (await fetch(`${address}/api/v1/targets?state=active`)).json(), targets.length));
    return server;
  } catch (error) {
    await server.stop();
    throw new Error(`prometheus did not become ready: ${(error as Error).message}\n${output.join('').slice(-2000)}`);
  }
}

function allUp(body: unknown, expected: number): boolean {
  const active = (body as { data?: { activeTargets?: { health?: string }[] } }).data?.activeTargets ?? [];
  return active.length === expected && active.every((t) => t.health === 'up');
}

async function waitFor(address: string, promql: string, accept: (value: number) => boolean = () => true, timeoutMs = 15_000): Promise<void> {
  let last = 'no answer';
  const ok = async (): Promise<boolean> => {
    const body = (await (await fetch(`${address}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as { data?: { result?: { value: [number, string] }[] } };
    const values = (body.data?.result ?? []).map((r) => Number(r.value[1]));
    last = JSON.stringify(values);
    return values.some(accept);
  };
  await poll(Date.now() + timeoutMs, undefined, ok).catch(() => {
    throw new Error(`timed out waiting for ${promql} (last values ${last})`);
  });
}

async function poll(deadline: number, child: ChildProcess | undefined, check: () => Promise<boolean>): Promise<void> {
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('timed out');
}

async function stop(child: ChildProcess, dir: string): Promise<void> {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dir, { recursive: true, force: true });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
