/**
 * A real Prometheus for the dashboard tests, scraping one local exporter that serves, under one
 * path per scrape job, series with the names and labels the real exporters publish: Nomad 2.0
 * (names from test/fixtures/recorded/nomad/get_v1_metrics.json, with its `job` label, which
 * Prometheus renames `exported_job`), Fabio 1.7.3 with `metrics.prefix = fabio` (a stable and a
 * canary target on /api), the apps' `http_requests_total` with the labels prometheus/prometheus.yml
 * gives them (service, canary, instance = the Fabio target's ip:port), Vault, and drover's own
 * deploy metrics written by the real `createDeployMetrics` (as node-exporter's textfile collector
 * serves them). Each scrape job keeps the `metric_relabel_configs` of its namesake in
 * prometheus/prometheus.yml, so the labels the dashboards select are the ones that file produces.
 * Counters grow with the wall clock, so rates and histograms have values.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import { createDeployMetrics } from '../../src/metrics/deploy-metrics.ts';
import { freePorts } from './consul-agent.ts';
import { findOnPath, spawnReal, waitFor, type RealProcess } from './real-process.ts';
import { repoRoot } from './run-cli.ts';

/** The Fabio targets of /api: ip:port as the apps' `instance`. */
export const STABLE = '10.0.0.1:8080';
export const CANARY = '10.0.0.2:8080';
const FABIO_BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];

/** A Prometheus with the exporter it scrapes. */
export interface DashboardPrometheus {
  readonly address: string;
  /** When Prometheus started scraping (unix ms): the earliest time with data. */
  readonly startedAtMs: number;
  readonly process: RealProcess;
  /** The `data.result` of an instant query; throws with Prometheus's error when it refuses the query. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

function line(name: string, labels: Record<string, string>, value: number): string {
  const text = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',');
  return `${name}${text ? `{${text}}` : ''} ${value}`;
}

function nomadText(seconds: number): string {
  const node = { datacenter: 'prod1', node_class: 'none', node_id: '19c5cb0b-622b-cfb3-62b6-96237108821c', node_pool: 'default', node_scheduling_eligibility: 'eligible', node_status: 'ready' };
  const summary = { job: 'api', namespace: 'shop', task_group: 'api' };
  const alloc = { alloc_id: '5b2e1a8c-0c1f-4f7e-9d55-2a1b3c4d5e6f', job: 'api', namespace: 'shop', task: 'api', task_group: 'api' };
  return [
    line('nomad_client_uptime', node, 1000 + seconds),
    line('nomad_client_allocated_cpu', node, 3000),
    line('nomad_client_unallocated_cpu', node, 5000),
    line('nomad_client_allocated_memory', node, 2304),
    line('nomad_client_unallocated_memory', node, 13_000),
    line('nomad_client_host_memory_used', node, 6e9),
    line('nomad_client_host_memory_total', node, 16e9),
    ...['running', 'pending', 'blocked', 'migrating', 'terminal'].map((state, i) => line(`nomad_client_allocations_${state}`, node, [3, 0, 0, 0, 2][i]!)),
    ...['running', 'starting', 'queued', 'failed', 'lost', 'unknown', 'complete'].map((state, i) => line(`nomad_nomad_job_summary_${state}`, summary, [3, 0, 0, 1, 0, 0, 0][i]!)),
    line('nomad_nomad_autopilot_healthy', {}, 1),
    line('nomad_nomad_autopilot_failure_tolerance', {}, 1),
    line('nomad_nomad_blocked_evals_total_blocked', {}, 0),
    line('nomad_raft_leader_lastContact', { quantile: '0.99' }, 12),
    line('nomad_client_allocs_cpu_total_ticks', alloc, 600 + 100 * Math.sin(seconds)),
    line('nomad_client_allocs_memory_usage', alloc, 500 * 1024 * 1024),
    line('nomad_client_allocs_restart', alloc, Math.floor(seconds / 2)),
    '',
  ].join('\n');
}

function fabioText(seconds: number): string {
  const lines: string[] = [];
  const targets: [string, number][] = [[STABLE, 90], [CANARY, 10]];
  for (const [target, rps] of targets) {
    const labels = { host: '', path: '/api', service: 'api', target: `http://${target}/` };
    // rps × (1 + 0.3 sin(t/30)), integrated: a counter whose rate swings by ±30 % every ~3 minutes.
    const count = Math.floor(rps * (seconds + 9 * (1 - Math.cos(seconds / 30))));
    // Everything under 50 ms, the canary a little slower.
    for (const le of FABIO_BUCKETS) lines.push(line('fabio_route_bucket', { ...labels, le }, Number(le === '+Inf' ? 10 : le) >= (target === CANARY ? 0.05 : 0.025) ? count : 0));
    lines.push(line('fabio_route_count', labels, count), line('fabio_route_sum', labels, count * 0.02));
  }
  for (const [code, share] of [['200', 0.98], ['503', 0.02]] as const) {
    const count = Math.floor(100 * share * seconds);
    lines.push(line('fabio_http_status_count', { code, service: 'api' }, count), line('fabio_http_status_sum', { code, service: 'api' }, count * 0.02));
  }
  lines.push(line('fabio_notfound', {}, Math.floor(seconds)), '');
  return lines.join('\n');
}

function appText(seconds: number, errors: number): string {
  return [line('http_requests_total', { code: '200', method: 'GET', route: 'products' }, Math.floor(50 * seconds)), line('http_requests_total', { code: '503', method: 'GET', route: 'products' }, Math.floor(errors * seconds)), ''].join('\n');
}

async function deployText(): Promise<string> {
  const registry = new Registry();
  const metrics = createDeployMetrics(registry, { env: 'prod', startedAtMs: Date.now() - 95_000 });
  metrics.observe({ type: 'deploy-started', env: 'prod', release: '0123456789ab', waves: [['api']] });
  metrics.observe({ type: 'release-verified', release: '0123456789ab', env: 'prod' });
  metrics.observe({ type: 'canary-promoted', job: 'api', deploymentId: 'd1' });
  metrics.observe({ type: 'deploy-finished', env: 'prod', exitCode: 0, results: [{ job: 'api', outcome: { status: 'succeeded', version: 7 } }, { job: 'www', outcome: { status: 'unchanged', version: 3 } }] });
  metrics.finish(0, Date.now());
  return registry.metrics();
}

async function startExporter(): Promise<{ server: Server; hostPort: string }> {
  const started = Date.now();
  const deploy = await deployText();
  const server = createServer((request, response) => {
    const seconds = (Date.now() - started) / 1000;
    const texts: Record<string, () => string> = {
      '/nomad': () => nomadText(seconds),
      '/fabio': () => fabioText(seconds),
      '/apps/stable': () => appText(seconds, 0.5),
      '/apps/canary': () => appText(seconds, 2),
      '/vault': () => `${line('vault_core_unsealed', {}, 1)}\n`,
      '/node-exporter': () => deploy,
    };
    const text = texts[request.url ?? '']?.();
    response.writeHead(text === undefined ? 404 : 200, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(text ?? 'not found\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, hostPort: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** `metric_relabel_configs` of each scrape job in prometheus/prometheus.yml (YAML aliases resolved). */
function committedMetricRelabels(): Map<string, unknown> {
  const config = parse(readFileSync(join(repoRoot, 'prometheus/prometheus.yml'), 'utf8')) as { scrape_configs: { job_name: string; metric_relabel_configs?: unknown }[] };
  return new Map(config.scrape_configs.filter((j) => j.metric_relabel_configs).map((j) => [j.job_name, j.metric_relabel_configs]));
}

/** Scrape jobs named as prometheus/prometheus.yml names them, every second, from the exporter. */
function scrapeConfigs(exporter: string): unknown[] {
  const relabels = committedMetricRelabels();
  const withRelabels = (config: { readonly job_name: string; readonly [key: string]: unknown }) => ({ ...config, ...(relabels.has(config.job_name) ? { metric_relabel_configs: relabels.get(config.job_name) } : {}) });
  const job = (name: string, path: string, labels: Record<string, string> = {}) => withRelabels({ job_name: name, metrics_path: path, static_configs: [{ targets: [exporter], labels }] });
  const app = (instance: string, canary: string, path: string) => ({ targets: [exporter], labels: { instance, canary, service: 'api', nomad_job: 'api', env: 'prod', __metrics_path__: path } });
  return [
    // role as prometheus.yml's relabel_configs set it from the Consul service (nomad → server).
    job('nomad', '/nomad', { role: 'server', instance: 'server-1' }),
    job('consul', '/vault'),
    job('vault', '/vault'),
    job('fabio', '/fabio', { instance: 'fabio-1' }),
    job('node-exporter', '/node-exporter'),
    withRelabels({ job_name: 'apps', static_configs: [app(STABLE, 'false', '/apps/stable'), app(CANARY, 'true', '/apps/canary')] }),
  ];
}

/** Starts the exporter and Prometheus (on PATH), and waits until rates can be computed. */
export async function startDashboardPrometheus(): Promise<DashboardPrometheus> {
  const binary = findOnPath('prometheus');
  if (!binary) throw new Error('no prometheus on PATH (the suite should have been skipped)');
  const exporter = await startExporter();
  const [port] = (await freePorts(1)) as [number];
  const dir = mkdtempSync(join(tmpdir(), 'drover-dashboard-prometheus-'));
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify({ global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' }, scrape_configs: scrapeConfigs(exporter.hostPort) }));
  const process = spawnReal('prometheus', binary, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { dir });
  const address = `http://127.0.0.1:${port}`;
  const startedAtMs = Date.now();
  const query = async (promql: string) => {
    const response = await fetch(`${address}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (body.status !== 'success') throw new Error(`Prometheus refused ${promql}: ${body.error}`);
    return body.data?.result ?? [];
  };
  const stop = async () => {
    await process.stop();
    await new Promise<void>((resolve) => exporter.server.close(() => resolve()));
  };
  try {
    await waitFor('rates from every scrape job', async () => ((await query('count(count by (job) (rate(up[3s]) >= 0))'))[0]?.value[1] === '6' && (await query('sum(rate(fabio_route_count[3s]))')).length > 0 ? true : undefined), { timeoutMs: 30_000, process });
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, startedAtMs, process, query, stop };
}
