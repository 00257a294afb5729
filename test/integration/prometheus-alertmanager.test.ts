/**
 * prometheus/alertmanager.yml through the real `amtool` (check-config, and routing by team and
 * severity for every owner in jobs/), then the whole alerting path with real binaries, started
 * once on 127.0.0.1:
 *
 *   drover deploy's metrics file (written by drover's own code) → real node-exporter's textfile
 *   collector → real Prometheus running a copy of prometheus/prometheus.yml (Consul discovery
 *   swapped for static targets labelled as Consul labels them, see prometheus-config-copy.ts) with
 *   the real drover.rules.yml → real Alertmanager running a copy of alertmanager.yml whose
 *   receivers are webhooks → a webhook server in this test.
 *
 * The copy of alertmanager.yml changes only the receivers (Slack and e-mail → this test's
 * webhook, one path per receiver) and the timings (group_wait 30 s → 1 s). The copy of
 * prometheus.yml evaluates every second. Without the binaries (outside CI) everything but the
 * structural checks is skipped loudly; CI installs them (package.json pretest).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import prod from '../../environments/prod.ts';
import { withMetricsFile } from '../../src/cli/metrics-file.ts';
import { createDeployMetrics } from '../../src/metrics/deploy-metrics.ts';
import { binaryAvailability } from '../../src/sandbox/prometheus-process.ts';
import { buildExampleJobs } from '../support/example-jobs.ts';
import { type LocalDaemon, startDaemon } from '../support/local-daemon.ts';
import { type DiscoveredTarget, testCopyOfPrometheusConfig } from '../support/prometheus-config-copy.ts';

const run = promisify(execFile);
const dir = new URL('../../prometheus/', import.meta.url);
const file = (path: string): string => new URL(path, dir).pathname;
const PATH = process.env['PATH'] ?? '';
const amtool = binaryAvailability('amtool', PATH, 'scripts/install-alertmanager.sh');
const alertmanager = binaryAvailability('prometheus-alertmanager', PATH, 'scripts/install-alertmanager.sh');
const prometheus = binaryAvailability('prometheus', PATH);
const nodeExporter = binaryAvailability('prometheus-node-exporter', PATH, 'scripts/install-apt-package.sh prometheus-node-exporter prometheus-node-exporter');
const missing = [amtool, alertmanager, prometheus, nodeExporter].flatMap((a) => (a.available ? [] : [a.reason]));
if (missing.length) console.warn(`\n!!!!!!!!!! SKIPPED: test/integration/prometheus-alertmanager.test.ts (real binaries) — ${missing.join('; ')} !!!!!!!!!!\n`);
const bin = (a: typeof amtool): string => (a.available ? a.binary : 'missing');

type Json = Record<string, unknown>;
const amConfig = parse(readFileSync(file('alertmanager.yml'), 'utf8')) as { route: Json & { routes: Json[] }; receivers: Json[]; inhibit_rules: Json[] };

describe('prometheus/alertmanager.yml', () => {
  it('reads its secrets from files and names no credentials', () => {
    const text = readFileSync(file('alertmanager.yml'), 'utf8');
    expect(text).not.toMatch(/^\s*(api_url|auth_password|smtp_auth_password|slack_api_url|auth_secret):/m);
    expect(text).toContain('slack_api_url_file: /etc/alertmanager/secrets/');
    expect(text).toContain('smtp_auth_password_file: /etc/alertmanager/secrets/');
  });

  it('inhibits an allocation\'s alerts on the node the NomadClientDown alert names', () => {
    expect(amConfig.inhibit_rules[0]).toEqual({ source_matchers: ['alertname="NomadClientDown"'], target_matchers: ['scope="allocation"'], equal: ['env', 'node'] });
  });
});

describe.skipIf(!amtool.available)('prometheus/alertmanager.yml with amtool', () => {
  /** The receiver `amtool config routes test` picks for an alert with these labels. */
  const receiverFor = async (labels: Record<string, string>): Promise<string> => {
    const { stdout } = await run(bin(amtool), ['config', 'routes', 'test', `--config.file=${file('alertmanager.yml')}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
    return stdout.trim();
  };

  it('passes amtool check-config', async () => {
    const { stdout } = await run(bin(amtool), ['check-config', file('alertmanager.yml')]);
    expect(stdout).toContain('SUCCESS');
    expect(stdout).toContain(`${amConfig.inhibit_rules.length} inhibit rules`);
    expect(stdout).toContain(`${amConfig.receivers.length} receivers`);
  });

  it('routes every job owner\'s pages and tickets to that team (team-platform: the platform receivers)', async () => {
    const owners = [...new Set((await buildExampleJobs(prod)).flatMap(({ spec }) => (spec.owner ? [spec.owner] : [])))].sort();
    expect(owners).toEqual(['team-data', 'team-platform', 'team-shop', 'team-web']);
    for (const owner of owners) {
      const team = owner === 'team-platform' ? 'platform' : owner;
      expect(await receiverFor({ alertname: 'NomadAllocationsFailing', owner, severity: 'page' }), owner).toBe(`${team}-page`);
      expect(await receiverFor({ alertname: 'FabioRouteLatencyHigh', owner, severity: 'ticket' }), owner).toBe(`${team}-ticket`);
    }
  });

  it('sends alerts without an owner to the platform team, by severity', async () => {
    expect(await receiverFor({ alertname: 'NomadServerDown', severity: 'page', env: 'prod' })).toBe('platform-page');
    expect(await receiverFor({ alertname: 'NodeCpuSaturated', severity: 'ticket', env: 'prod' })).toBe('platform-ticket');
  });
});

/** One Consul-discovered target (what consul_sd_configs would hand to the relabelling). */
const consulTarget = (address: string, service: string, tags: readonly string[], extra: Record<string, string> = {}): DiscoveredTarget => ({
  address,
  labels: { __meta_consul_address: address.split(':')[0]!, __meta_consul_node: `node-${address.split('.')[3]!.split(':')[0]!}`, __meta_consul_dc: 'dc-east', __meta_consul_service: service, __meta_consul_tags: `,${tags.join(',')},`, __meta_consul_health: 'passing', ...extra },
});
const ALLOC = '0b3f9a2c-1d4e-4f5a-8b6c-7d8e9f0a1b2c';
const appMeta = (job: string, owner: string): Record<string, string> => ({
  __meta_consul_service_id: `_nomad-task-${ALLOC}-group-api-${job}-http`,
  __meta_consul_service_metadata_drover_project: 'shop', __meta_consul_service_metadata_drover_job: job, __meta_consul_service_metadata_drover_env: 'prod',
  __meta_consul_service_metadata_drover_group: 'api', __meta_consul_service_metadata_drover_namespace: 'shop', __meta_consul_service_metadata_drover_node_pool: 'default',
  __meta_consul_service_metadata_drover_datacenter: 'prod1', __meta_consul_service_metadata_drover_owner: owner,
});

/**
 * Rules that fire within seconds, to see routing and inhibition end to end (names of the real alerts).
 * The allocation alert waits 5 s so that NomadClientDown reaches Alertmanager first: it inhibits only
 * by a source alert it already holds, and with both arriving in the same instant its inhibitor could
 * miss the source (a clean-clone CI run sent client-1's alert to the team).
 */
const FIRING_RULES = `groups:
  - name: test-firing
    rules:
      - alert: NomadClientDown
        expr: vector(1)
        labels: { severity: page, node: client-1, instance: client-1 }
      - alert: NomadAllocationRestartLoop
        expr: label_replace(vector(1), "node", "client-1", "", "") or label_replace(vector(1), "node", "client-2", "", "")
        for: 5s
        labels: { severity: page, scope: allocation, owner: team-shop, namespace: shop, nomad_job: api }
`;

interface Notification { readonly receiver: string; readonly alerts: { readonly labels: Record<string, string>; readonly status: string }[] }

describe.skipIf(missing.length > 0)('drover metrics file → node-exporter → Prometheus (prometheus.yml, drover.rules.yml) → Alertmanager (alertmanager.yml) → webhook', () => {
  const work = mkdtempSync(join(tmpdir(), 'drover-alerting-'));
  const notifications: Notification[] = [];
  const daemons: LocalDaemon[] = [];
  let webhook: Server | undefined;
  let prom: LocalDaemon;
  let am: LocalDaemon;

  beforeAll(async () => {
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => void (body += chunk.toString()));
      req.on('end', () => {
        notifications.push(JSON.parse(body) as Notification);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => webhook!.listen(0, '127.0.0.1', () => resolve()));
    const hook = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}`;

    // drover deploy prod failed (exit 1): its metrics file, written by the CLI's own writer.
    const textfiles = join(work, 'textfile');
    mkdirSync(textfiles);
    const registry = new Registry();
    const metrics = createDeployMetrics(registry, { env: 'prod', startedAtMs: Date.now() - 5000 });
    metrics.observe({ type: 'deploy-started', env: 'prod', release: 'r-test', waves: [['api']] });
    metrics.observe({ type: 'deploy-finished', env: 'prod', exitCode: 1, results: [{ job: 'api', outcome: { status: 'failed', version: 4, reason: 'canary', runningVersion: 3 } }] });
    const io = { cwd: work, env: {}, stdout: { write: () => true }, stderr: { write: () => true } };
    await withMetricsFile({ path: join(textfiles, 'drover.prom'), registry, metrics, io }, async () => 1);

    const exporter = await startDaemon('node-exporter', bin(nodeExporter), (port) => [`--web.listen-address=127.0.0.1:${port}`, '--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${textfiles}`], '/metrics');
    daemons.push(exporter);

    const amCopy = parse(readFileSync(file('alertmanager.yml'), 'utf8')) as { route: Json; receivers: Json[] };
    Object.assign(amCopy.route, { group_wait: '1s', group_interval: '1s' });
    amCopy.receivers = amCopy.receivers.map((r) => ({ name: r.name, webhook_configs: [{ url: `${hook}/${String(r.name)}`, send_resolved: false }] }));
    writeFileSync(join(work, 'alertmanager.yml'), JSON.stringify(amCopy));
    am = await startDaemon('alertmanager', bin(alertmanager), (port, data) => [`--config.file=${join(work, 'alertmanager.yml')}`, `--storage.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], '/-/ready');
    daemons.push(am);

    writeFileSync(join(work, 'firing.rules.yml'), FIRING_RULES);
    const production = parse(readFileSync(file('prometheus.yml'), 'utf8')) as Json;
    const copy = testCopyOfPrometheusConfig(production, {
      dir: join(work, 'secrets'),
      caPem: readFileSync(new URL('../fixtures/prometheus/test-ca.pem', import.meta.url), 'utf8'),
      // Only node-exporter is really scraped (every second); the other targets are there for
      // their relabelling, scraped at most once an hour at loopback addresses nothing serves.
      global: { scrape_interval: '1h', scrape_timeout: '5s', evaluation_interval: '1s' },
      jobIntervals: { 'node-exporter': '1s' },
      ruleFiles: [file('rules/drover.rules.yml'), join(work, 'firing.rules.yml')],
      alertmanager: am.hostPort,
      targets: {
        nomad: [consulTarget('127.0.0.2:4646', 'nomad', ['http']), consulTarget('127.0.0.2:4647', 'nomad', ['rpc']), consulTarget('127.0.0.3:4646', 'nomad-client', ['http'])],
        consul: [consulTarget('127.0.0.4:8300', 'consul', [])],
        vault: [consulTarget('127.0.0.5:8200', 'vault', ['active'])],
        fabio: [{ ...consulTarget('127.0.0.6:9998', 'fabio', ['prod']), labels: { ...consulTarget('127.0.0.6:9998', 'fabio', ['prod']).labels, __meta_consul_health: 'critical' } }],
        'node-exporter': [consulTarget(exporter.hostPort, 'node-exporter', ['metrics'], { __meta_consul_node: 'client-7', __meta_consul_service_metadata_drover_datacenter: 'prod2', __meta_consul_service_metadata_drover_node_pool: 'default', __meta_consul_service_metadata_drover_job: 'node-exporter' })],
        apps: [
          consulTarget('127.0.0.7:23001', 'api', ['urlprefix-/api', 'canary'], appMeta('api', 'team-shop')),
          consulTarget('127.0.0.7:23002', 'api', ['urlprefix-/api'], appMeta('api', 'team-shop')),
          consulTarget('127.0.0.7:23003', 'legacy', ['urlprefix-/old']),
          consulTarget('127.0.0.7:23004', 'fabio', ['prod'], appMeta('fabio', 'team-platform')),
        ],
      },
    });
    writeFileSync(join(work, 'prometheus.yml'), JSON.stringify(copy));
    prom = await startDaemon('prometheus', bin(prometheus), (port, data) => [`--config.file=${join(work, 'prometheus.yml')}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
      // Alerts that fire before Prometheus has found the Alertmanager (its discovery takes a few
      // seconds) are dropped and sent again only after the resend delay, 1 minute by default.
      '--rules.alert.resend-delay=1s'], '/-/ready');
    daemons.push(prom);
  }, 60_000);

  afterAll(async () => {
    for (const daemon of daemons.reverse()) await daemon.stop();
    webhook?.closeAllConnections();
    await new Promise<void>((resolve) => (webhook ? webhook.close(() => resolve()) : resolve()));
    rmSync(work, { recursive: true, force: true });
  });

  const get = async <T>(server: LocalDaemon, path: string): Promise<T> => ((await (await fetch(`${server.address}${path}`)).json()) as { data: T }).data;
  /** Polls `check` every 250 ms until it returns a value, for at most `ms`. */
  const eventually = async <T>(what: string, check: () => Promise<T | undefined>, ms = 25_000): Promise<T> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const value = await check();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const held = await fetch(`${am.address}/api/v2/alerts`).then((r) => r.text(), (error: Error) => error.message);
    throw new Error(`timed out after ${ms} ms waiting for ${what}\nnotifications: ${JSON.stringify(notifications)}\nalertmanager holds: ${held}\nprometheus:\n${prom.output()}\nalertmanager:\n${am.output()}`);
  };

  it('relabels Consul-discovered targets into the documented labels (real Prometheus relabelling)', async () => {
    type Target = { scrapePool: string; labels: Record<string, string>; discoveredLabels: Record<string, string> };
    // The scrape manager takes up discovered targets in batches (every 5 s): wait for all 9 and 3 dropped.
    const targets = await eventually('every target discovered', async () => {
      const answer = await get<{ activeTargets: Target[]; droppedTargets: Target[] }>(prom, '/api/v1/targets?state=any');
      return answer.activeTargets.length === 8 && answer.droppedTargets.length === 3 ? answer : undefined;
    });
    const active = (pool: string): Record<string, string>[] => targets.activeTargets.filter((t) => t.scrapePool === pool).map((t) => t.labels).sort((a, b) => (a['instance']! < b['instance']! ? -1 : 1));
    expect(active('nomad')).toEqual([
      { job: 'nomad', instance: 'node-2', role: 'server', consul_dc: 'dc-east' },
      { job: 'nomad', instance: 'node-3', role: 'client', consul_dc: 'dc-east' },
    ]);
    expect(active('consul')).toEqual([{ job: 'consul', instance: 'node-4', consul_dc: 'dc-east' }]);
    expect(active('vault')).toEqual([{ job: 'vault', instance: 'node-5', vault_role: 'active', consul_dc: 'dc-east' }]);
    expect(active('fabio')).toEqual([{ job: 'fabio', instance: 'node-6', consul_dc: 'dc-east' }]);
    expect(active('node-exporter')).toEqual([{ job: 'node-exporter', instance: 'client-7', datacenter: 'prod2', node_pool: 'default', consul_dc: 'dc-east' }]);
    // `instance` stays address:port on apps: the canary gate selects instances by it.
    expect(active('apps')).toEqual([
      { job: 'apps', instance: '127.0.0.7:23001', service: 'api', nomad_job: 'api', task_group: 'api', namespace: 'shop', node_pool: 'default', datacenter: 'prod1', owner: 'team-shop', env: 'prod', alloc: ALLOC, canary: 'true', node: 'node-7', consul_dc: 'dc-east' },
      { job: 'apps', instance: '127.0.0.7:23002', service: 'api', nomad_job: 'api', task_group: 'api', namespace: 'shop', node_pool: 'default', datacenter: 'prod1', owner: 'team-shop', env: 'prod', alloc: ALLOC, canary: 'false', node: 'node-7', consul_dc: 'dc-east' },
    ]);
    // Where each is scraped: Consul's API port for consul, Fabio's metrics listener, the query string.
    const urls = Object.fromEntries(targets.activeTargets.map((t) => [t.labels['instance'], (t as unknown as { scrapeUrl: string }).scrapeUrl]));
    expect(urls['node-2']).toBe('https://127.0.0.2:4646/v1/metrics?format=prometheus');
    expect(urls['node-4']).toBe('https://127.0.0.4:8501/v1/agent/metrics?format=prometheus');
    expect(urls['node-5']).toBe('https://127.0.0.5:8200/v1/sys/metrics?format=prometheus');
    expect(urls['node-6']).toBe(`http://127.0.0.6:${prod.fabio.metricsPort}/metrics`);
    // Nomad's RPC registration, a service without drover meta and drover's own fabio are dropped.
    expect(targets.droppedTargets.map((t) => `${t.discoveredLabels['job']} ${t.discoveredLabels['__address__']}`).sort()).toEqual(['apps 127.0.0.7:23003', 'apps 127.0.0.7:23004', 'nomad 127.0.0.2:4647']);
  }, 30_000);

  it('scrapes drover\'s metrics file through node-exporter, its job label renamed to nomad_job', async () => {
    const series = await eventually('drover_deploy_last_job_version in Prometheus', async () => {
      const result = await get<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(prom, `/api/v1/query?query=${encodeURIComponent('drover_deploy_last_job_version')}`);
      return result.result.length ? result.result : undefined;
    });
    expect(series.map((s) => [s.metric, s.value[1]])).toEqual([
      [{ __name__: 'drover_deploy_last_job_version', env: 'prod', nomad_job: 'api', job: 'node-exporter', instance: 'client-7', datacenter: 'prod2', node_pool: 'default', consul_dc: 'dc-east' }, '3'],
    ]);
  }, 30_000);

  it('loads every rule of drover.rules.yml and evaluates each without error', async () => {
    type Rule = { name: string; health: string; lastError?: string };
    const groups = await eventually('every drover rule evaluated', async () => {
      const { groups } = await get<{ groups: { name: string; file: string; rules: Rule[]; lastEvaluation: string }[] }>(prom, '/api/v1/rules');
      const drover = groups.filter((g) => g.file.endsWith('drover.rules.yml'));
      return drover.length > 0 && drover.every((g) => !g.lastEvaluation.startsWith('0001')) ? drover : undefined;
    });
    expect(groups.flatMap((g) => g.rules).length).toBe(37);
    expect(groups.flatMap((g) => g.rules).filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual([]);
  }, 30_000);

  it('delivers DroverDeployFailed from the real rule and metrics file to the platform pager', async () => {
    const deployFailed = await eventually('DroverDeployFailed at the webhook', async () => notifications.find((n) => n.alerts.some((a) => a.labels['alertname'] === 'DroverDeployFailed')));
    expect(deployFailed.receiver).toBe('platform-page');
    expect(deployFailed.alerts.map((a) => a.labels)).toEqual([{ alertname: 'DroverDeployFailed', env: 'prod', severity: 'page' }]);
  }, 30_000);

  it('routes a team\'s page to the team and inhibits the alerts of allocations on a node that is down', async () => {
    const restart = await eventually('NomadAllocationRestartLoop at the webhook', async () => notifications.find((n) => n.alerts.some((a) => a.labels['alertname'] === 'NomadAllocationRestartLoop')));
    const clientDown = await eventually('NomadClientDown at the webhook', async () => notifications.find((n) => n.alerts.some((a) => a.labels['alertname'] === 'NomadClientDown')));
    expect(restart.receiver).toBe('team-shop-page');
    expect(clientDown.receiver).toBe('platform-page');
    // client-1 is down: only client-2's allocation alert is sent; Alertmanager holds client-1's as inhibited.
    expect(restart.alerts.map((a) => a.labels['node'])).toEqual(['client-2']);
    const answer = await fetch(`${am.address}/api/v2/alerts?filter=${encodeURIComponent('alertname="NomadAllocationRestartLoop"')}`);
    const alerts = (await answer.json()) as { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }[];
    expect(alerts.map((a) => [a.labels['node'], a.status.state, a.status.inhibitedBy.length > 0]).sort()).toEqual([['client-1', 'suppressed', true], ['client-2', 'active', false]]);
  }, 30_000);
});
