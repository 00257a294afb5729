/**
 * The Prometheus files drover ships under prometheus/: the alert rules through promtool (`check
 * rules`, `test rules`; skipped loudly without promtool), and prometheus.yml structurally — Debian's
 * promtool cannot check it (its build leaves out consul_sd) — including a small simulation of its
 * relabeling on targets shaped like Consul SD's.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import prod from '../../environments/prod.ts';
import { binaryAvailability, warnSkipped } from '../support/prometheus-server.ts';

const dir = new URL('../../prometheus/', import.meta.url);
const file = (path: string): string => new URL(path, dir).pathname;
const promtool = binaryAvailability('promtool');
warnSkipped('test/integration/prometheus-rules.test.ts (promtool part)', promtool);
const run = promisify(execFile);

type Relabel = { source_labels?: string[]; regex?: string; replacement?: string; target_label?: string; action?: string; separator?: string };
type ScrapeConfig = { job_name: string; metrics_path?: string; params?: Record<string, string[]>; scheme?: string; consul_sd_configs?: Record<string, unknown>[]; relabel_configs?: Relabel[] };
const config = parse(readFileSync(file('prometheus.yml'), 'utf8')) as { global: Record<string, string>; rule_files: string[]; scrape_configs: ScrapeConfig[] };
const job = (name: string): ScrapeConfig => config.scrape_configs.find((c) => c.job_name === name)!;

/** Prometheus relabeling for keep/replace, as documented: anchored RE2 regex, `;`-joined sources, `$1`/`${1}` replacements. */
function relabel(labels: Record<string, string>, rules: readonly Relabel[]): Record<string, string> | null {
  const out = { ...labels };
  for (const rule of rules) {
    const value = (rule.source_labels ?? []).map((l) => out[l] ?? '').join(rule.separator ?? ';');
    const match = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`).exec(value);
    const action = rule.action ?? 'replace';
    if (action === 'keep' && !match) return null;
    if (action === 'drop' && match) return null;
    if (action === 'replace' && match && rule.target_label) out[rule.target_label] = (rule.replacement ?? '$1').replace(/\$\{?(\d+)\}?/g, (_, i: string) => match[Number(i)] ?? '');
  }
  return out;
}

/** A target as consul_sd_configs produces it, before relabeling. */
const target = (service: string, tags: readonly string[], port: number): Record<string, string> => ({
  __address__: `10.0.0.5:${port}`, __meta_consul_address: '10.0.0.5', __meta_consul_node: 'node-5', __meta_consul_dc: 'prod1',
  __meta_consul_service: service, __meta_consul_tags: `,${tags.join(',')},`, __meta_consul_health: 'passing',
});

describe('prometheus/prometheus.yml', () => {
  it('scrapes nomad, consul, vault and fabio through Consul SD, with their metrics paths', () => {
    expect(config.scrape_configs.map((c) => c.job_name)).toEqual(['nomad', 'consul', 'vault', 'fabio', 'apps']);
    expect(config.scrape_configs.every((c) => (c.consul_sd_configs ?? []).length > 0)).toBe(true);
    expect(['nomad', 'consul', 'vault', 'fabio'].map((n) => [job(n).metrics_path, job(n).params?.['format']])).toEqual([
      ['/v1/metrics', ['prometheus']], ['/v1/agent/metrics', ['prometheus']], ['/v1/sys/metrics', ['prometheus']], ['/metrics', undefined],
    ]);
    expect(job('fabio').consul_sd_configs?.[0]?.['services']).toEqual(['fabio']);
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

  it('keeps only the Nomad HTTP registration (tags carry leading and trailing separators)', () => {
    const rules = job('nomad').relabel_configs ?? [];
    expect(relabel(target('nomad', ['http'], 4646), rules)).toMatchObject({ __address__: '10.0.0.5:4646', instance: 'node-5', role: 'nomad', dc: 'prod1' });
    expect(relabel(target('nomad', ['rpc'], 4647), rules)).toBeNull();
    expect(relabel(target('nomad-client', ['http'], 4646), rules)).toMatchObject({ role: 'nomad-client' });
  });

  it('scrapes drover\'s app instances at their address:port, labelled with service, alloc and canary', () => {
    const rules = job('apps').relabel_configs ?? [];
    const alloc = '0b3f9a2c-1d4e-4f5a-8b6c-7d8e9f0a1b2c';
    const app = (tags: string[], meta: Record<string, string> = { __meta_consul_service_metadata_drover_project: 'shop', __meta_consul_service_metadata_drover_job: 'api', __meta_consul_service_metadata_drover_env: 'prod' }) =>
      ({ ...target('api', tags, 23001), __meta_consul_service_id: `_nomad-task-${alloc}-group-api-api-http`, ...meta });
    const canary = relabel(app(['urlprefix-/api', 'canary']), rules);
    // `instance` is left to Prometheus (it defaults to __address__): the canary gate selects by it.
    expect(canary).toMatchObject({ __address__: '10.0.0.5:23001', service: 'api', job_id: 'api', env: 'prod', alloc, canary: 'true', node: 'node-5', dc: 'prod1' });
    expect(canary).not.toHaveProperty('instance');
    expect(relabel(app(['urlprefix-/api']), rules)).toMatchObject({ canary: 'false' });
    expect(relabel(app(['urlprefix-/api'], {}), rules)).toBeNull();
    expect(relabel({ ...app([]), __meta_consul_service: 'fabio' }, rules)).toBeNull();
  });

  it('moves Consul from its RPC port to the HTTPS API and Fabio to its metrics listener', () => {
    expect(relabel(target('consul', [], 8300), job('consul').relabel_configs ?? [])).toMatchObject({ __address__: '10.0.0.5:8501', instance: 'node-5' });
    const fabio = relabel({ ...target('fabio', ['prod'], 9998), __meta_consul_health: 'critical' }, job('fabio').relabel_configs ?? []);
    expect(fabio).toMatchObject({ __address__: `10.0.0.5:${prod.fabio.metricsPort}`, instance: 'node-5' });
  });

  it('labels Vault nodes active or standby', () => {
    expect(relabel(target('vault', ['active'], 8200), job('vault').relabel_configs ?? [])).toMatchObject({ vault_role: 'active', __address__: '10.0.0.5:8200' });
    expect(relabel(target('vault', ['standby'], 8200), job('vault').relabel_configs ?? [])).toMatchObject({ vault_role: 'standby' });
  });

  it('alerts only on scrape jobs that exist', () => {
    const rules = readFileSync(file('rules/drover.rules.yml'), 'utf8');
    const jobs = [...rules.matchAll(/job=~?"([^"]+)"/g)].flatMap((m) => m[1]!.split('|'));
    expect(jobs.length).toBeGreaterThan(0);
    for (const name of jobs) expect(config.scrape_configs.map((c) => c.job_name)).toContain(name);
  });
});

describe.skipIf(!promtool.available)('prometheus/rules with promtool', () => {
  const bin = promtool.available ? promtool.binary : 'promtool';

  it('passes promtool check rules', async () => {
    const { stdout } = await run(bin, ['check', 'rules', file('rules/drover.rules.yml')]);
    expect(stdout).toContain('SUCCESS: 10 rules found');
  });

  it('passes the rule unit tests (promtool test rules)', async () => {
    const { stdout } = await run(bin, ['test', 'rules', file('rules/drover.rules.test.yml')]);
    expect(stdout).toContain('SUCCESS');
  });
});
