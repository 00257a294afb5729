/**
 * `drover consul-sd` against a real Consul (1.8.7 in CI) and a real Prometheus (Debian's, without
 * consul_sd): the catalog's instances come out as target groups with consul_sd's labels; the
 * Prometheus configuration `drover up` writes passes `promtool check config`; a real Prometheus
 * reading it through http_sd_configs finds the instance and relabels it as production does
 * (service, env, canary). Consul gone: 503 naming why. Each part skips loudly without its binary.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import qa from '../../environments/qa.ts';
import { consulSdCommand } from '../../src/cli/commands/consul-sd.ts';
import { devPrometheusConfig, type DevPorts } from '../../src/render/cluster/dev-profile.ts';
import type { TargetGroup } from '../../src/metrics/consul-sd.ts';
import { consulAvailability, freePorts, startConsulAgent, warnConsulSkipped, type ConsulAgent } from '../support/consul-agent.ts';
import { binaryAvailability, warnSkipped } from '../support/prometheus-server.ts';
import { spawnReal, waitFor, type RealProcess } from '../support/real-process.ts';

const SUITE = 'test/integration/consul-sd.test.ts';
const consulBinary = consulAvailability();
warnConsulSkipped(SUITE, consulBinary);
const prometheusBinary = binaryAvailability('prometheus');
const promtool = binaryAvailability('promtool');
warnSkipped(`${SUITE} (Prometheus part)`, prometheusBinary);
warnSkipped(`${SUITE} (promtool part)`, promtool);
const run = promisify(execFile);

/** What Consul's agent API takes to register an instance as Nomad would, with drover's meta and a canary tag. */
const INSTANCE = {
  ID: '_nomad-task-0b9a4c2e-1f3d-4e5a-8b6c-7d8e9f0a1b2c-group-www-www-http',
  Name: 'www',
  Tags: ['http', 'qa', 'canary'],
  Address: '127.0.0.1',
  Port: 0,
  Meta: { drover_project: 'shop', drover_env: 'qa', drover_job: 'www', drover_group: 'web' },
};

describe.skipIf(!consulBinary.available)('drover consul-sd: Consul\'s catalog as Prometheus HTTP service discovery', { timeout: 90_000 }, () => {
  let consul: ConsulAgent;
  let app: Server;
  let appPort: number;
  let sdAddress = '';
  const stop = new AbortController();
  let command: Promise<number>;
  const stderr: string[] = [];

  beforeAll(async () => {
    consul = await startConsulAgent();
    // An "application" answering /metrics for Prometheus to scrape.
    app = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('http_requests_total{code="200"} 3\n'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appPort = (app.address() as { port: number }).port;
    const registered = await fetch(`${consul.address}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ ...INSTANCE, Port: appPort }) });
    expect(registered.status).toBe(200);
    const listening = new Promise<string>((resolve) => {
      command = consulSdCommand(['--consul', consul.address, '--listen', '127.0.0.1:0'], { cwd: process.cwd(), env: {}, stdout: { write: () => true }, stderr: { write: (t: string) => stderr.push(t) } }, undefined, { stop: stop.signal, onListening: resolve });
    });
    sdAddress = await listening;
  }, 60_000);

  afterAll(async () => {
    stop.abort();
    await command;
    await new Promise<void>((resolve) => app.close(() => resolve()));
    await consul.stop();
  });

  it('answers every instance as a target group with consul_sd\'s labels', async () => {
    const response = await fetch(`${sdAddress}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const groups = (await response.json()) as TargetGroup[];
    const www = groups.filter((g) => g.labels['__meta_consul_service'] === 'www');
    expect(www).toEqual([{
      targets: [`127.0.0.1:${appPort}`],
      labels: expect.objectContaining({
        __meta_consul_service_id: INSTANCE.ID,
        __meta_consul_tags: ',http,qa,canary,',
        __meta_consul_service_metadata_drover_project: 'shop',
        __meta_consul_node: consul.node,
        __meta_consul_dc: 'dc1',
      }),
    }]);
    // Consul's own service is in the catalog too (the apps job's relabeling drops it: no drover meta).
    expect(groups.map((g) => g.labels['__meta_consul_service'])).toContain('consul');
    expect(stderr.join('')).toContain(`${consul.address}'s catalog as Prometheus HTTP service discovery at ${sdAddress}/`);
  });

  it.skipIf(!promtool.available || !prometheusBinary.available)('feeds the apps job of drover up\'s Prometheus, which promtool accepts and which relabels the instance as production does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-consul-sd-'));
    let prometheus: RealProcess | undefined;
    try {
      const [port] = (await freePorts(1)) as [number];
      const ports: DevPorts = {
        nomad: { http: 1, rpc: 2, serf: 3 }, consul: { http: 4, serfLan: 5, server: 6 }, vault: { api: 7, cluster: 8 },
        fabio: { proxy: 9, ui: 10, metrics: 11 }, prometheus: port, consulSd: Number(new URL(sdAddress).port),
      };
      const config = join(dir, 'prometheus.yml');
      writeFileSync(config, devPrometheusConfig(qa, ports));
      const checked = await run(promtool.available ? promtool.binary : 'promtool', ['check', 'config', config]);
      expect(checked.stdout).toContain('SUCCESS');
      prometheus = spawnReal('prometheus', prometheusBinary.available ? prometheusBinary.binary : 'prometheus', [
        `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
      ], { dir });
      type Target = { labels: Record<string, string>; scrapePool: string; health: string };
      const app = await waitFor('the app among Prometheus\'s targets', async () => {
        const body = (await (await fetch(`http://127.0.0.1:${port}/api/v1/targets`)).json()) as { data: { activeTargets: Target[] } };
        return body.data.activeTargets.find((t) => t.scrapePool === 'apps');
      }, { timeoutMs: 30_000, process: prometheus });
      expect(app.labels).toMatchObject({ instance: `127.0.0.1:${appPort}`, service: 'www', env: 'qa', nomad_job: 'www', task_group: 'web', canary: 'true', alloc: '0b9a4c2e-1f3d-4e5a-8b6c-7d8e9f0a1b2c', job: 'apps' });
    } finally {
      await prometheus?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 503 naming the cause while Consul cannot be read', async () => {
    const [deadPort] = (await freePorts(1)) as [number];
    const deadStop = new AbortController();
    let address = '';
    const done = new Promise<number>((resolve) => {
      void consulSdCommand(['--consul', `127.0.0.1:${deadPort}`, '--listen', '127.0.0.1:0'], { cwd: process.cwd(), env: {}, stdout: { write: () => true }, stderr: { write: () => true } }, undefined, {
        stop: deadStop.signal, onListening: (a) => (address = a),
      }).then(resolve);
    });
    await waitFor('consul-sd listening', async () => (address ? true : undefined), { timeoutMs: 5000 });
    const response = await fetch(`${address}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/^Consul's catalog could not be read: /);
    deadStop.abort();
    expect(await done).toBe(0);
  });
});
