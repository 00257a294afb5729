/**
 * `drover cluster check` against real servers on 127.0.0.1, configured the way a cluster
 * definition declares them: Nomad (`nomad agent -dev`, ACLs, gossip key, TLS on HTTP), Consul
 * (ACLs denying by default, gossip key, HTTPS), OpenBao (a TLS listener, JWT auth trusting this
 * Nomad's JWKS), Fabio routing a registered service, and Prometheus scraping the three agents.
 * Every point must pass; then Fabio is stopped and that point alone fails. One CA (openssl) signs
 * every certificate. Skipped loudly without nomad, bao, fabio, prometheus, consul or openssl.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterCheckInputs } from '../../src/cli/cluster-check-inputs.ts';
import { formatCheckResult } from '../../src/cluster-check/format.ts';
import type { CheckResult } from '../../src/cluster-check/result.ts';
import { runClusterCheck } from '../../src/cluster-check/run.ts';
import { defineCluster } from '../../src/config/cluster.ts';
import { createStyle } from '../../src/report/style.ts';
import qa from '../../environments/qa.ts';
import { hasOpenssl, makePki, type TestPki } from '../support/cluster-sandbox.ts';
import { consulAvailability, freePorts } from '../support/consul-agent.ts';
import { findOnPath, missingBinaries, spawnReal, waitFor, type RealProcess } from '../support/real-process.ts';

const consul = consulAvailability();
const missing = missingBinaries('test/integration/cluster-check-real.test.ts', ['nomad', 'bao', 'fabio', 'prometheus'], [
  ...(consul.available ? [] : ['consul']), ...(hasOpenssl() ? [] : ['openssl']),
]);

const NODE = 'drover-check-node';
const MASTER = '7c0f4a8e-2b1d-4e3f-9a5c-6d7e8f9a0b1c';
// Made for this test only (32 random bytes, base64).
const GOSSIP_KEY = 'pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=';

describe.skipIf(missing.length > 0)('drover cluster check against real Nomad, Consul, OpenBao, Fabio and Prometheus', { timeout: 180_000 }, () => {
  const processes: RealProcess[] = [];
  let pki: TestPki;
  let env: Record<string, string>;
  let fabio: RealProcess;
  const versions = { consul: '', bao: '' };

  const https = (method: string, url: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; json: unknown }> =>
    new Promise((resolve, reject) => {
      const req = request(url, { method, ca: readFileSync(pki.caFile), headers }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : null }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  const start = (name: string, binary: string, args: (dir: string) => string[], files: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), `drover-check-${name}-`));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    const started = spawnReal(name, binary, args(dir), { dir, env: { ...process.env, HOME: dir, VAULT_ADDR: '', VAULT_TOKEN: '', BAO_ADDR: '', BAO_TOKEN: '', AWS_CA_BUNDLE: '' } });
    processes.push(started);
    return started;
  };
  const check = async (): Promise<CheckResult[]> => {
    const cluster = defineCluster({
      env: 'qa', platform: { kind: 'onprem', sshUser: 'provision' },
      servers: { datacenter: 'dc1', hosts: [{ name: NODE, address: '127.0.0.1' }] },
      clients: [{ name: 'dev', datacenter: 'dc1', drivers: ['raw_exec'], hosts: [{ name: NODE, address: '127.0.0.1' }] }],
      versions: { nomad: '2.0.5', consul: versions.consul, openbao: versions.bao, fabio: '1.7.3' },
      tls: { source: 'files', dir: pki.dir },
      gossip: { consul: { from: 'file', path: '/etc/drover/gossip/consul.key' }, nomad: { from: 'file', path: '/etc/drover/gossip/nomad.key' } },
    });
    const inputs = clusterCheckInputs(qa, env);
    try {
      const lines: string[] = [];
      const run = await runClusterCheck(cluster, inputs, (result) => lines.push(formatCheckResult(result, createStyle(false))));
      console.log(`drover cluster check against the real servers:\n${lines.join('')}`);
      return [...run.results];
    } finally {
      inputs.close();
    }
  };

  beforeAll(async () => {
    pki = makePki();
    const tls = { ca: pki.caFile, cert: join(pki.dir, 'server.pem'), key: join(pki.dir, 'server.key') };
    versions.consul = /Consul v(\S+)/.exec(execFileSync(consul.available ? consul.binary : 'consul', ['version'], { encoding: 'utf8' }))?.[1] ?? '';
    versions.bao = /OpenBao v(\S+)/.exec(execFileSync(findOnPath('bao')!, ['version'], { encoding: 'utf8' }))?.[1] ?? '';
    const [cHttp, cHttps, cSerf, cServer, nHttp, nRpc, nSerf, vApi, vDev, fProxy, fUi, pPort] = (await freePorts(12)) as number[] as [number, number, number, number, number, number, number, number, number, number, number, number];
    const consulAgent = start('consul', consul.available ? consul.binary : 'consul', (dir) => ['agent', '-dev', '-bind=127.0.0.1', '-client=127.0.0.1', `-node=${NODE}`, `-data-dir=${dir}/data`, `-config-file=${dir}/consul.hcl`], {
      'consul.hcl': `encrypt = "${GOSSIP_KEY}"\nacl {\n  enabled = true\n  default_policy = "deny"\n  tokens { master = "${MASTER}" }\n}\nports {\n  http = ${cHttp}\n  https = ${cHttps}\n  serf_lan = ${cSerf}\n  server = ${cServer}\n  dns = -1\n  grpc = -1\n  serf_wan = -1\n}\nca_file = "${tls.ca}"\ncert_file = "${tls.cert}"\nkey_file = "${tls.key}"\ntelemetry { prometheus_retention_time = "60s" }\n`,
    });
    const nomad = start('nomad', findOnPath('nomad')!, (dir) => ['agent', '-dev', `-config=${dir}/nomad.hcl`, `-data-dir=${dir}/data`], {
      'nomad.hcl': `name = "${NODE}"\nbind_addr = "127.0.0.1"\nports {\n  http = ${nHttp}\n  rpc = ${nRpc}\n  serf = ${nSerf}\n}\nadvertise {\n  http = "127.0.0.1"\n  rpc = "127.0.0.1"\n  serf = "127.0.0.1"\n}\nacl { enabled = true }\nserver { encrypt = "${GOSSIP_KEY}" }\ntls {\n  http = true\n  ca_file = "${tls.ca}"\n  cert_file = "${tls.cert}"\n  key_file = "${tls.key}"\n}\nclient {\n  options {\n    "fingerprint.denylist" = "env_aws,env_gce,env_azure,env_digitalocean"\n    "driver.allowlist" = "raw_exec"\n  }\n}\nplugin "raw_exec" {\n  config { enabled = true }\n}\nconsul {\n  address = "127.0.0.1:${cHttp}"\n  token = "${MASTER}"\n}\ntelemetry {\n  prometheus_metrics = true\n  disable_hostname = true\n}\ndisable_update_check = true\n`,
    });
    const bao = start('bao', findOnPath('bao')!, (dir) => ['server', '-dev', '-dev-root-token-id=root', `-dev-listen-address=127.0.0.1:${vDev}`, `-config=${dir}/bao.hcl`], {
      'bao.hcl': `listener "tcp" {\n  address = "127.0.0.1:${vApi}"\n  tls_cert_file = "${tls.cert}"\n  tls_key_file = "${tls.key}"\n}\ntelemetry {\n  prometheus_retention_time = "30s"\n  disable_hostname = true\n}\n`,
    });
    const [nomadAddr, consulAddr, vaultAddr] = [`https://127.0.0.1:${nHttp}`, `https://127.0.0.1:${cHttps}`, `https://127.0.0.1:${vApi}`];
    await waitFor('a Consul leader', async () => ((await https('GET', `${consulAddr}/v1/status/leader`)).json ? true : undefined), { timeoutMs: 60_000, process: consulAgent });
    await waitFor('an active OpenBao', async () => ((await https('GET', `${vaultAddr}/v1/sys/health`)).status === 200 ? true : undefined), { timeoutMs: 60_000, process: bao });
    const token = await waitFor('Nomad ACL bootstrap', async () => {
      const answer = await https('POST', `${nomadAddr}/v1/acl/bootstrap`);
      return answer.status === 200 ? (answer.json as { SecretID: string }).SecretID : undefined;
    }, { timeoutMs: 60_000, process: nomad });
    const nomadHeaders = { 'X-Nomad-Token': token };
    await waitFor('a ready Nomad node', async () => {
      const nodes = (await https('GET', `${nomadAddr}/v1/nodes`, nomadHeaders)).json as { Status: string }[] | null;
      return nodes?.some((n) => n.Status === 'ready') ? true : undefined;
    }, { timeoutMs: 60_000, process: nomad });
    // What terraform/modules/vault-nomad-workloads does: a JWT auth method fetching this Nomad's keys.
    const root = { 'X-Vault-Token': 'root' };
    expect((await https('POST', `${vaultAddr}/v1/sys/auth/jwt-nomad`, root, { type: 'jwt' })).status).toBe(204);
    const configured = await https('POST', `${vaultAddr}/v1/auth/jwt-nomad/config`, root, { jwks_url: `${nomadAddr}/.well-known/jwks.json`, jwks_ca_pem: readFileSync(pki.caFile, 'utf8'), default_role: 'nomad-workloads' });
    expect(configured.status, JSON.stringify(configured.json)).toBe(204);
    // What terraform/modules/consul-nomad-workloads does: Consul's JWT auth method fetching the same keys (Consul 1.8.7 fetches them now), with binding rules for services and tasks.
    const consulAdmin = { 'X-Consul-Token': MASTER };
    const claims = { nomad_namespace: 'nomad_namespace', nomad_service: 'nomad_service' };
    const authMethod = await https('PUT', `${consulAddr}/v1/acl/auth-method`, consulAdmin, {
      Name: 'nomad-workloads', Type: 'jwt', MaxTokenTTL: '1h', TokenLocality: 'local',
      Config: { JWKSURL: `${nomadAddr}/.well-known/jwks.json`, JWKSCACert: readFileSync(pki.caFile, 'utf8'), JWTSupportedAlgs: ['RS256'], BoundAudiences: ['consul.io'], ClaimMappings: claims },
    });
    expect(authMethod.status, JSON.stringify(authMethod.json)).toBe(200);
    for (const rule of [{ Selector: '"nomad_service" in value', BindType: 'service', BindName: '${value.nomad_service}' }, { Selector: '"nomad_service" not in value', BindType: 'role', BindName: 'drover-tasks-${value.nomad_namespace}' }]) {
      expect((await https('PUT', `${consulAddr}/v1/acl/binding-rule`, consulAdmin, { AuthMethod: 'nomad-workloads', ...rule })).status).toBe(200);
    }
    // A service with a route, as a deployed job registers it.
    expect((await https('PUT', `${consulAddr}/v1/agent/service/register`, { 'X-Consul-Token': MASTER }, { Name: 'web', Port: 18080, Address: '127.0.0.1', Tags: ['urlprefix-/web'], Check: { TTL: '1h', Status: 'passing' } })).status).toBe(200);
    fabio = start('fabio', findOnPath('fabio')!, (dir) => ['-cfg', `${dir}/fabio.properties`], {
      'fabio.properties': `proxy.addr = 127.0.0.1:${fProxy}\nui.addr = 127.0.0.1:${fUi}\nregistry.consul.addr = 127.0.0.1:${cHttp}\nregistry.consul.token = ${MASTER}\nregistry.consul.register.enabled = false\n`,
    });
    const tokenFile = (name: string, value: string) => {
      const file = join(pki.dir, name);
      writeFileSync(file, value);
      return file;
    };
    const scrape = (job: string, port: number, path: string, credentials: string) =>
      `  - job_name: ${job}\n    scheme: https\n    metrics_path: ${path}\n    params: { format: [prometheus] }\n    tls_config: { ca_file: ${pki.caFile} }\n    authorization: { credentials_file: ${credentials} }\n    static_configs: [{ targets: ['127.0.0.1:${port}'] }]\n    relabel_configs: [{ target_label: instance, replacement: ${NODE} }]\n`;
    const prometheus = start('prometheus', findOnPath('prometheus')!, (dir) => ['--config.file', `${dir}/prometheus.yml`, '--web.listen-address', `127.0.0.1:${pPort}`, '--storage.tsdb.path', `${dir}/data`], {
      'prometheus.yml': `global: { scrape_interval: 1s, scrape_timeout: 1s }\nscrape_configs:\n${scrape('nomad', nHttp, '/v1/metrics', tokenFile('nomad-token', token))}${scrape('consul', cHttps, '/v1/agent/metrics', tokenFile('consul-token', MASTER))}${scrape('vault', vApi, '/v1/sys/metrics', tokenFile('vault-token', 'root'))}`,
    });
    await waitFor('Fabio routing /web', async () => ((await (await fetch(`http://127.0.0.1:${fUi}/api/routes`)).json()) ? true : undefined), { timeoutMs: 30_000, process: fabio });
    await waitFor('Prometheus scraping 3 targets up', async () => {
      const body = (await (await fetch(`http://127.0.0.1:${pPort}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string }[] } };
      return body.data.activeTargets.filter((t) => t.health === 'up').length === 3 ? true : undefined;
    }, { timeoutMs: 30_000, process: prometheus });
    env = {
      NOMAD_ADDR: nomadAddr, NOMAD_TOKEN: token, NOMAD_CACERT: pki.caFile,
      CONSUL_HTTP_ADDR: consulAddr, CONSUL_HTTP_TOKEN: MASTER, CONSUL_CACERT: pki.caFile,
      VAULT_ADDR: vaultAddr, VAULT_TOKEN: 'root', VAULT_CACERT: pki.caFile,
      DROVER_FABIO_UI_ADDR: `http://127.0.0.1:${fUi}`, DROVER_PROMETHEUS_ADDR: `http://127.0.0.1:${pPort}`,
    };
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    pki?.remove();
  });

  it('passes every point', async () => {
    const results = await check();
    expect(results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.status} ${r.detail}`)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(20);
  });

  it('fails Fabio alone once Fabio is stopped', async () => {
    await fabio.stop();
    const results = await check();
    expect(results.filter((r) => r.status !== 'pass').map((r) => r.id)).toEqual(['fabio/up']);
  });
});
