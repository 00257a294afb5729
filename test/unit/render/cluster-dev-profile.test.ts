import { parse } from '@cdktf/hcl2json';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import prodCluster from '../../../environments/clusters/prod.ts';
import qaCluster from '../../../environments/clusters/qa.ts';
import dev from '../../../environments/dev.ts';
import prod from '../../../environments/prod.ts';
import qa from '../../../environments/qa.ts';
import { APP_RELABEL_CONFIGS, NOMAD_JOB_METRIC_RELABEL } from '../../../src/metrics/app-relabeling.ts';
import { readClusterTemplates } from '../../../src/project/cluster-templates.ts';
import { CLOUD_FINGERPRINTERS, renderDevProfile, type DevPorts } from '../../../src/render/cluster/dev-profile.ts';

/** The dev profile `drover up` runs, parsed with HashiCorp's HCL parser (blocks as `{ type: { label: [ {...} ] } }`). */
type Hcl = Record<string, any>;
const templates = await readClusterTemplates();
const ports: DevPorts = {
  nomad: { http: 14646, rpc: 14647, serf: 14648 },
  consul: { http: 18500, serfLan: 18301, server: 18300 },
  vault: { api: 18200, cluster: 18201 },
  fabio: { proxy: 19999, ui: 19998, metrics: 19101 },
  prometheus: 19090,
  consulSd: 19116,
};
const dir = '/tmp/drover-up-test';
const qaDev = renderDevProfile({ env: qa, cluster: qaCluster, source: 'environments/clusters/qa.ts', templates, ports, dir, meta: { drover_checkout: '/src/shop' } });
const devDev = renderDevProfile({ env: dev, source: 'environments/dev.ts', templates, ports, dir });
const hcl = (name: string, text: string): Promise<Hcl> => parse(name, text);

describe('dev profile of the cluster render (drover up)', () => {
  it('renders one Nomad agent that is server and client, on 127.0.0.1, without TLS or ACLs', async () => {
    const nomad = await hcl('nomad.hcl', qaDev.nomad);
    expect(nomad['bind_addr']).toBe('127.0.0.1');
    expect(nomad['advertise'][0]).toEqual({ http: '127.0.0.1', rpc: '127.0.0.1', serf: '127.0.0.1' });
    expect(nomad['data_dir']).toBe(`${dir}/data/nomad`);
    expect(nomad['disable_update_check']).toBe(true);
    expect(nomad['ports'][0]).toEqual({ http: 14646, rpc: 14647, serf: 14648 });
    expect(nomad['server'][0]).toEqual({ enabled: true, bootstrap_expect: 1 });
    expect(nomad['client'][0]['enabled']).toBe(true);
    expect(nomad['acl'][0]['enabled']).toBe(false);
    expect(nomad['tls']).toBeUndefined();
    expect(nomad['plugin']['raw_exec'][0]['config'][0]['enabled']).toBe(true);
  });

  it('denies the cloud fingerprinters (AWS_CA_BUNDLE kills env_aws) and keeps the pools\' drivers, meta and datacenter', async () => {
    const client = (await hcl('nomad.hcl', qaDev.nomad))['client'][0];
    expect(client['options']).toEqual({ 'driver.allowlist': 'docker,exec,raw_exec', 'fingerprint.denylist': CLOUD_FINGERPRINTERS });
    expect(client['meta']).toEqual({ drover_checkout: '/src/shop', storage: 'ssd' });
    expect(client['node_pool']).toBe('default');
    expect((await hcl('nomad.hcl', qaDev.nomad))['datacenter']).toBe('qa1');
    expect((await hcl('nomad.hcl', devDev.nomad))['datacenter']).toBe('dc1');
    expect((await hcl('nomad.hcl', devDev.nomad))['client'][0]['options']['driver.allowlist']).toBe('docker,exec,raw_exec');
  });

  it('gives the Nomad client the dynamic port slice drover up picked, and Nomad\'s own range without one', async () => {
    const sliced = renderDevProfile({ env: qa, cluster: qaCluster, source: 'environments/clusters/qa.ts', templates, ports: { ...ports, dynamic: { min: 22000, max: 23999 } }, dir });
    const client = (await hcl('nomad.hcl', sliced.nomad))['client'][0];
    expect([client['min_dynamic_port'], client['max_dynamic_port']]).toEqual([22000, 23999]);
    const whole = (await hcl('nomad.hcl', qaDev.nomad))['client'][0];
    expect([whole['min_dynamic_port'], whole['max_dynamic_port']]).toEqual([undefined, undefined]);
  });

  it('moves host volumes onto this machine: under the agent\'s data dir where they were under Nomad\'s, else under <dir>/host-volumes', async () => {
    const volumes = (await hcl('nomad.hcl', qaDev.nomad))['client'][0]['host_volume'];
    expect(volumes['nomad-alloc-logs'][0]).toEqual({ path: `${dir}/data/nomad/alloc`, read_only: true });
    expect(volumes['postgres-data'][0]).toEqual({ path: `${dir}/host-volumes/postgres-data`, read_only: false });
    expect(qaDev.hostVolumeDirs).toEqual([`${dir}/data/nomad/alloc`, `${dir}/host-volumes/postgres-data`]);
  });

  it('points Nomad at the local Consul over plain HTTP and at the local store with workload identities', async () => {
    const nomad = await hcl('nomad.hcl', qaDev.nomad);
    expect(nomad['consul'][0]).toEqual({ address: '127.0.0.1:18500' });
    expect(nomad['vault'][0]).toEqual({
      enabled: true, address: 'http://127.0.0.1:18200', jwt_auth_backend_path: qa.vault.jwtAuthPath,
      default_identity: [{ aud: [qa.vault.audience], ttl: '1h' }],
    });
  });

  it('renders a single Consul server on loopback with DNS, gRPC, HTTPS and WAN gossip off', async () => {
    const consul = await hcl('consul.hcl', qaDev.consul);
    expect(consul).toMatchObject({ bind_addr: '127.0.0.1', client_addr: '127.0.0.1', server: true, bootstrap_expect: 1, data_dir: `${dir}/data/consul` });
    expect(consul['ports'][0]).toEqual({ http: 18500, https: -1, grpc: -1, dns: -1, serf_lan: 18301, server: 18300, serf_wan: -1 });
    expect(consul['acl'][0]['enabled']).toBe(false);
    expect(consul['ca_file']).toBeUndefined();
    expect(consul['retry_join']).toBeUndefined();
  });

  it('renders OpenBao with raft storage in its data dir and a plain-HTTP listener on 127.0.0.1', async () => {
    const bao = await hcl('openbao.hcl', qaDev.vault);
    expect(qaDev.store).toBe('openbao');
    expect(bao['api_addr']).toBe('http://127.0.0.1:18200');
    expect(bao['cluster_addr']).toBe('http://127.0.0.1:18201');
    expect(bao['storage']['raft'][0]).toEqual({ path: `${dir}/data/openbao`, node_id: 'drover-up' });
    expect(bao['listener']['tcp'][0]).toMatchObject({ address: '127.0.0.1:18200', cluster_address: '127.0.0.1:18201', tls_disable: true });
    expect(bao['seal']).toBeUndefined();
    expect(bao['disable_mlock']).toBeUndefined();
  });

  it('keeps the prod cluster\'s server datacenter for prod', async () => {
    const prodDev = renderDevProfile({ env: prod, cluster: prodCluster, source: 'environments/clusters/prod.ts', templates, ports, dir });
    expect((await hcl('nomad.hcl', prodDev.nomad))['datacenter']).toBe('prod1');
  });

  it('renders Fabio on loopback only, with the local Consul, and Prometheus scraping every agent and the apps', () => {
    const lines = qaDev.fabio.split('\n');
    expect(lines).toContain('proxy.addr = 127.0.0.1:19999;proto=http,127.0.0.1:19101;proto=prometheus');
    expect(lines).toContain('ui.addr = 127.0.0.1:19998');
    expect(lines).toContain('registry.consul.addr = 127.0.0.1:18500');
    expect(qaDev.fabio).not.toMatch(/= :\d|,:\d/);
    type Job = { job_name: string; static_configs?: { targets: string[] }[]; http_sd_configs?: { url: string }[]; relabel_configs?: unknown; metric_relabel_configs?: unknown };
    const prometheus = parseYaml(qaDev.prometheus) as { scrape_configs: Job[] };
    expect(prometheus.scrape_configs.map((c) => [c.job_name, c.static_configs?.[0]?.targets[0] ?? c.http_sd_configs?.[0]?.url])).toEqual([
      ['nomad', '127.0.0.1:14646'], ['consul', '127.0.0.1:18500'], ['vault', '127.0.0.1:18200'], ['fabio', '127.0.0.1:19101'], ['apps', 'http://127.0.0.1:19116/'],
    ]);
    // The apps found through drover consul-sd, relabelled as in production.
    const apps = prometheus.scrape_configs.find((c) => c.job_name === 'apps');
    expect(apps?.relabel_configs).toEqual(APP_RELABEL_CONFIGS);
    expect(apps?.metric_relabel_configs).toEqual(NOMAD_JOB_METRIC_RELABEL);
  });

  it('is deterministic', () => {
    expect(renderDevProfile({ env: qa, cluster: qaCluster, source: 'environments/clusters/qa.ts', templates, ports, dir, meta: { drover_checkout: '/src/shop' } })).toEqual(qaDev);
  });
});
