/**
 * A real Prometheus (on PATH) scraping the real servers the way prometheus/prometheus.yml does:
 * its `apps` job with the committed relabel_configs, and a real Fabio's metrics listener. Debian's
 * prometheus is built without consul_sd, so the targets come from a file_sd file rewritten from
 * Consul's catalog every 500 ms with the `__meta_consul_*` labels consul_sd would set
 * (src/metrics/consul-sd.ts, what `drover consul-sd` serves), and the committed relabeling runs
 * on them unchanged. Every 1 s scrape, a temp dir of its own, a free port on 127.0.0.1.
 */
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createConsulClient } from '../../src/clients/consul/index.ts';
import { readTargetGroups } from '../../src/metrics/consul-sd-server.ts';
import { freePorts } from './consul-agent.ts';
import { getJson } from './real-cluster.ts';
import { findOnPath, spawnReal, waitFor, type RealProcess } from './real-process.ts';
import { repoRoot } from './run-cli.ts';

/** A running Prometheus. */
export interface RealPrometheus {
  /** `http://127.0.0.1:<port>` */
  readonly address: string;
  readonly process: RealProcess;
  /** Instant query; the result vector's samples as labels and value. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: number }[]>;
  stop(): Promise<void>;
}

/** Starts Prometheus with the committed `apps` job fed from `consul`'s catalog, plus `fabio` when given. */
export async function startRealPrometheus(options: { readonly consul: string; readonly fabio?: string }): Promise<RealPrometheus> {
  const binary = findOnPath('prometheus');
  if (!binary) throw new Error('no prometheus on PATH (the suite should have been skipped)');
  const [port] = (await freePorts(1)) as [number];
  const dir = mkdtempSync(join(tmpdir(), 'drover-real-prometheus-'));
  const targetsFile = join(dir, 'apps.json');
  writeFileSync(targetsFile, '[]');
  const committed = parse(readFileSync(join(repoRoot, 'prometheus/prometheus.yml'), 'utf8')) as { scrape_configs: Record<string, unknown>[] };
  const apps = committed.scrape_configs.find((job) => job['job_name'] === 'apps');
  if (!apps) throw new Error('prometheus/prometheus.yml has no apps job');
  const { consul_sd_configs: _sd, ...appsJob } = apps;
  const scrapes = [
    { ...appsJob, file_sd_configs: [{ files: [targetsFile], refresh_interval: '1s' }] },
    ...(options.fabio ? [{ job_name: 'fabio', static_configs: [{ targets: [options.fabio] }] }] : []),
  ];
  writeFileSync(join(dir, 'prometheus.yml'), stringify({ global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' }, scrape_configs: scrapes }));
  const args = [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`];
  const server = spawnReal('prometheus', binary, args, { dir });
  const address = `http://127.0.0.1:${port}`;
  const consul = createConsulClient({ address: options.consul });
  let last = '';
  const discover = async () => {
    const text = JSON.stringify(await readTargetGroups(consul));
    if (text === last) return;
    last = text;
    writeFileSync(`${targetsFile}.tmp`, text);
    renameSync(`${targetsFile}.tmp`, targetsFile);
  };
  const timer = setInterval(() => void discover().catch(() => undefined), 500);
  const stop = async () => {
    clearInterval(timer);
    await server.stop();
  };
  try {
    await waitFor('a ready Prometheus', async () => ((await fetch(`${address}/-/ready`)).ok ? true : undefined), { timeoutMs: 30_000, process: server });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    address,
    process: server,
    query: async (promql) => {
      const body = (await getJson(`${address}/api/v1/query?query=${encodeURIComponent(promql)}`)) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    stop,
  };
}
