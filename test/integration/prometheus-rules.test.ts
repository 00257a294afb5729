/**
 * The Prometheus files drover ships under prometheus/: prometheus.yml through the real `promtool
 * check config` (on a copy whose Consul discovery is swapped for static targets — no Prometheus
 * build here knows consul_sd_configs, see test/support/prometheus-config-copy.ts — and whose
 * secret files are stand-ins), the alert rules through `promtool check rules` and `promtool test
 * rules`; plus structural checks that need no binary. The relabelling itself runs in a real
 * Prometheus in test/integration/prometheus-alertmanager.test.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import nodeExporter from '../../jobs/node-exporter.ts';
import prod from '../../environments/prod.ts';
import { consulSdBlocks, testCopyOfPrometheusConfig } from '../support/prometheus-config-copy.ts';
import { binaryAvailability, warnSkipped } from '../support/prometheus-server.ts';

const dir = new URL('../../prometheus/', import.meta.url);
const file = (path: string): string => new URL(path, dir).pathname;
const promtool = binaryAvailability('promtool');
warnSkipped('test/integration/prometheus-rules.test.ts (promtool part)', promtool);
const run = promisify(execFile);

type Relabel = { source_labels?: string[]; regex?: string; replacement?: string; target_label?: string; action?: string };
type ScrapeConfig = { job_name: string; metrics_path?: string; params?: Record<string, string[]>; scheme?: string; consul_sd_configs?: Record<string, unknown>[]; relabel_configs?: Relabel[]; metric_relabel_configs?: Relabel[] };
const production = parse(readFileSync(file('prometheus.yml'), 'utf8')) as Record<string, unknown>;
const config = production as unknown as { global: Record<string, string>; rule_files: string[]; scrape_configs: ScrapeConfig[] };
const job = (name: string): ScrapeConfig => config.scrape_configs.find((c) => c.job_name === name)!;

/** consul_sd_config fields Prometheus documents (configuration.md `<consul_sd_config>`, with its inline HTTP client fields). */
const CONSUL_SD_FIELDS = new Set([
  'server', 'path_prefix', 'token', 'datacenter', 'namespace', 'partition', 'scheme', 'username', 'password', 'services', 'filter', 'health_filter', 'tags', 'node_meta', 'tag_separator', 'allow_stale', 'refresh_interval',
  'basic_auth', 'authorization', 'oauth2', 'follow_redirects', 'enable_http2', 'tls_config', 'proxy_url', 'no_proxy', 'proxy_from_environment', 'proxy_connect_header', 'http_headers',
]);

describe('prometheus/prometheus.yml', () => {
  it('scrapes nomad, consul, vault, fabio, node-exporter and the apps through Consul SD, with their metrics paths', () => {
    expect(config.scrape_configs.map((c) => c.job_name)).toEqual(['nomad', 'consul', 'vault', 'fabio', 'node-exporter', 'apps']);
    expect(config.scrape_configs.every((c) => (c.consul_sd_configs ?? []).length > 0)).toBe(true);
    expect(['nomad', 'consul', 'vault', 'fabio', 'node-exporter'].map((n) => [job(n).metrics_path, job(n).params?.['format']])).toEqual([
      ['/v1/metrics', ['prometheus']], ['/v1/agent/metrics', ['prometheus']], ['/v1/sys/metrics', ['prometheus']], ['/metrics', undefined], ['/metrics', undefined],
    ]);
    expect(job('nomad').consul_sd_configs?.[0]?.['services']).toEqual(['nomad', 'nomad-client']);
    expect(job('fabio').consul_sd_configs?.[0]?.['services']).toEqual(['fabio']);
    expect(job('node-exporter').consul_sd_configs?.[0]?.['services']).toEqual(['node-exporter']);
  });

  it('uses only documented consul_sd_configs fields (the one block promtool cannot check here)', () => {
    const blocks = consulSdBlocks(production);
    expect(blocks.length).toBe(config.scrape_configs.length + 1);
    for (const { where, block } of blocks) {
      expect(Object.keys(block).filter((key) => !CONSUL_SD_FIELDS.has(key)), where).toEqual([]);
      expect(block['server'], where).toMatch(/^[\w.-]+:\d+$/);
    }
  });

  it('renames a series\' own `job` label (exported_job) to nomad_job wherever Nomad jobs are named', () => {
    for (const name of ['nomad', 'node-exporter', 'apps']) {
      expect(job(name).metric_relabel_configs, name).toEqual([
        { source_labels: ['exported_job'], regex: '(.+)', target_label: 'nomad_job' },
        { regex: 'exported_job', action: 'labeldrop' },
      ]);
    }
  });

  it('keeps scrape_timeout within scrape_interval and loads rule files that exist', () => {
    const seconds = (d: string | undefined): number => Number(d?.replace(/s$/, ''));
    expect(seconds(config.global['scrape_timeout'])).toBeLessThanOrEqual(seconds(config.global['scrape_interval']));
    for (const rules of config.rule_files) expect(existsSync(file(rules)), rules).toBe(true);
  });

  it('references secrets by file and never holds one', () => {
    const text = readFileSync(file('prometheus.yml'), 'utf8');
    expect(text).not.toMatch(/^\s*(token|password|credentials|bearer_token):/m);
    expect(text.match(/credentials_file: \S+/g)?.every((line) => line.startsWith('credentials_file: /etc/prometheus/secrets/'))).toBe(true);
  });

  it('scrapes Fabio on the metrics port environments give it', () => {
    expect(job('fabio').relabel_configs?.find((r) => r.target_label === '__address__')?.replacement).toBe(`\${1}:${prod.fabio.metricsPort}`);
  });

  it('has node-exporter read the textfile directory the docs tell `drover deploy --metrics-file` to write to', () => {
    const args = nodeExporter.build(prod).groups[0]!.tasks[0]!;
    expect('args' in args ? args.args : []).toContain('--collector.textfile.directory=/var/lib/node-exporter/textfile');
    expect(readFileSync(file('README.md'), 'utf8')).toContain('--metrics-file /var/lib/node-exporter/textfile/drover.prom');
  });

  it('alerts only on scrape jobs that exist', () => {
    const rules = readFileSync(file('rules/drover.rules.yml'), 'utf8');
    const jobs = [...rules.matchAll(/\bjob=~?"([^"]+)"/g)].flatMap((m) => m[1]!.split('|'));
    expect(jobs.length).toBeGreaterThan(5);
    for (const name of jobs) expect(config.scrape_configs.map((c) => c.job_name)).toContain(name);
  });
});

describe.skipIf(!promtool.available)('prometheus/ with promtool', () => {
  const bin = promtool.available ? promtool.binary : 'promtool';
  const work = mkdtempSync(join(tmpdir(), 'drover-promtool-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('passes promtool check config (Consul discovery swapped for static targets, secret files stood in)', async () => {
    const target = { address: '127.0.0.1:1', labels: { __meta_consul_node: 'node-1', __meta_consul_tags: ',http,' } };
    const copy = testCopyOfPrometheusConfig(production, {
      dir: join(work, 'secrets'),
      caPem: readFileSync(new URL('../fixtures/prometheus/test-ca.pem', import.meta.url), 'utf8'),
      targets: Object.fromEntries(config.scrape_configs.map((c) => [c.job_name, [target]])),
      ruleFiles: [file('rules/drover.rules.yml')],
      alertmanager: '127.0.0.1:1',
    });
    writeFileSync(join(work, 'prometheus.yml'), JSON.stringify(copy));
    const { stdout, stderr } = await run(bin, ['check', 'config', join(work, 'prometheus.yml')]);
    expect(`${stdout}${stderr}`).toContain('SUCCESS: 37 rules found');
    expect(`${stdout}${stderr}`).toMatch(/SUCCESS: .*prometheus\.yml is valid prometheus config file syntax/);
  });

  it('fails check config on the production file as is: this promtool does not know consul_sd_configs', async () => {
    const failure = await run(bin, ['check', 'config', file('prometheus.yml')]).then(() => undefined, (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`);
    // If this fails, the promtool found here knows Consul SD: check the real file instead of a copy.
    expect(failure).toContain('field consul_sd_configs not found in type config.ScrapeConfig');
  });

  it('passes promtool check rules', async () => {
    const { stdout } = await run(bin, ['check', 'rules', file('rules/drover.rules.yml')]);
    expect(stdout).toContain('SUCCESS: 37 rules found');
  });

  it('passes the rule unit tests (promtool test rules): every alert fires and stays silent', async () => {
    const { stdout } = await run(bin, ['test', 'rules', file('rules/drover.rules.test.yml')]);
    expect(stdout).toContain('SUCCESS');
    const rules = parse(readFileSync(file('rules/drover.rules.yml'), 'utf8')) as { groups: { rules: { alert?: string }[] }[] };
    const tests = parse(readFileSync(file('rules/drover.rules.test.yml'), 'utf8')) as { tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[] };
    const cases = tests.tests.flatMap((t) => t.alert_rule_test ?? []);
    const alerts = rules.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
    expect(alerts.filter((name) => !cases.some((c) => c.alertname === name && c.exp_alerts.length > 0))).toEqual([]);
    expect(alerts.filter((name) => !cases.some((c) => c.alertname === name && c.exp_alerts.length === 0))).toEqual([]);
  });
});
