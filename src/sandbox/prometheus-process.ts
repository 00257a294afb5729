/**
 * Runs a real, local `prometheus` (Debian's package: `bash scripts/install-prometheus.sh`) that
 * scrapes given targets every second — the simulated Fabio's metrics listener in the demo, or a
 * test's own endpoint. Each run gets a free port and a temporary data directory, removed on stop.
 * The caller passes the search path: like the rest of src/, this module reads no environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DroverError, ExitCode } from '../errors.ts';
import { stopChild } from './local-process.ts';

/** Whether a binary can be used, and if not, why. */
export type Availability = { readonly available: true; readonly binary: string } | { readonly available: false; readonly reason: string };

/**
 * Finds `name` in `searchPath`, a PATH-style list of directories (pass `process.env.PATH`);
 * `installer` is the script that installs it, for the reason when it is missing.
 */
export function binaryAvailability(name: string, searchPath: string, installer = 'scripts/install-prometheus.sh'): Availability {
  const binary = searchPath.split(delimiter).filter(Boolean).map((dir) => join(dir, name)).find(isExecutable);
  return binary ? { available: true, binary } : { available: false, reason: `no ${name} on PATH; run \`bash ${installer}\`` };
}

/** A running Prometheus. */
export interface PrometheusServer {
  /** e.g. `http://127.0.0.1:40123` */
  readonly address: string;
  /** Resolves once `promql` answers a vector with a sample for which `accept` holds (polls every 200 ms). */
  waitFor(promql: string, accept?: (value: number) => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Options of {@link startPrometheus}. */
export interface PrometheusOptions {
  /** The binary to run; otherwise `prometheus` is looked up in `searchPath`. */
  readonly binary?: string;
  /** PATH-style directories to find `prometheus` in. @default "" (then `binary` is required) */
  readonly searchPath?: string;
  /** @default 20000 */
  readonly readyTimeoutMs?: number;
  /** Web listener port on 127.0.0.1. @default a free port */
  readonly port?: number;
  /** Scrape job name. @default "fabio" */
  readonly jobName?: string;
  /**
   * Targets that come and go (the sandbox's app instances), scraped by a second job `apps`
   * through `file_sd_configs`, as Consul service discovery would find them in production
   * (`instance` = `host:port`, with `service` and `canary` labels). Asked every 250 ms; the
   * file is rewritten only when the answer changes, and Prometheus reloads it on the change.
   */
  readonly discovered?: () => readonly ScrapeTargetGroup[];
}

/** One `file_sd_configs` group: `host:port` targets and the labels they get. */
export interface ScrapeTargetGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Starts `prometheus` scraping `targets` (`host:port`, or a base URL such as the sandbox's
 * `addresses.fabioMetrics`) every second; resolves when it is ready and every target is up.
 */
export async function startPrometheus(targets: readonly string[], options: PrometheusOptions = {}): Promise<PrometheusServer> {
  const binary = options.binary ?? binaryOrThrow(options.searchPath ?? '');
  const hostPorts = targets.map((t) => t.replace(/^https?:\/\//, '').replace(/\/.*$/, ''));
  let lastError: unknown;
  // A free port can be taken between probing and binding; a few attempts make that harmless.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(binary, hostPorts, options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function binaryOrThrow(searchPath: string): string {
  const availability = binaryAvailability('prometheus', searchPath);
  if (availability.available) return availability.binary;
  throw new DroverError(`Cannot start a local Prometheus: ${availability.reason}`, ExitCode.unreachable, { hint: 'Run `bash scripts/install-prometheus.sh` (Debian/Ubuntu), or put a prometheus binary on PATH.' });
}

async function startOnce(binary: string, targets: readonly string[], options: PrometheusOptions): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'drover-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  const jobName = options.jobName ?? 'fabio';
  // JSON is YAML: no YAML writer needed. scrape_timeout must not exceed scrape_interval.
  const scrapes: unknown[] = [{ job_name: jobName, static_configs: [{ targets }] }];
  const discovery = options.discovered && followTargets(join(dir, 'apps.json'), options.discovered);
  if (discovery) scrapes.push({ job_name: 'apps', file_sd_configs: [{ files: [discovery.file], refresh_interval: '1s' }] });
  writeFileSync(config, JSON.stringify({ global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' }, scrape_configs: scrapes }));
  const port = options.port ?? (await freePort());
  const args = [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (c: Buffer) => void output.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => void output.push(c.toString()));
  child.on('error', (error) => output.push(`spawn failed: ${error.message}`));
  const address = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    discovery?.stop();
    await stopChild(child, dir);
  };
  const server: PrometheusServer = { address, waitFor: (q, accept, ms) => waitFor(address, q, accept, ms), stop };
  try {
    const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
    await poll(deadline, child, async () => (await fetch(`${address}/-/ready`)).ok);
    await poll(deadline, child, async () => allUp(await (await fetch(`${address}/api/v1/targets?state=active`)).json(), jobName, targets.length));
    return server;
  } catch (error) {
    await server.stop();
    throw new Error(`prometheus did not become ready: ${(error as Error).message}\n${output.join('').slice(-2000)}`);
  }
}

function allUp(body: unknown, jobName: string, expected: number): boolean {
  const all = (body as { data?: { activeTargets?: { health?: string; scrapePool?: string }[] } }).data?.activeTargets ?? [];
  const active = all.filter((t) => t.scrapePool === jobName);
  return active.length === expected && active.every((t) => t.health === 'up');
}

/** Keeps `file` equal to what `groups()` answers (atomically replaced, so Prometheus never reads half a file). */
function followTargets(file: string, groups: () => readonly ScrapeTargetGroup[]): { readonly file: string; stop(): void } {
  let written = '';
  const write = (): void => {
    const text = JSON.stringify(groups());
    if (text === written) return;
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    written = text;
  };
  write();
  const timer = setInterval(write, 250);
  timer.unref();
  return { file, stop: () => clearInterval(timer) };
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
