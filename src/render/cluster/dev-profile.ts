/**
 * The dev profile of `drover cluster render`: what `drover up` runs on this machine. The same
 * templates as the committed cluster files (src/render/cluster/templates/), rendered for one node
 * that is Nomad server and client, Consul server and OpenBao/Vault raft node at once, bound to
 * 127.0.0.1, without TLS or ACLs, with raw_exec allowed. Pure: ports and folders come in.
 */
import { join } from 'node:path';
import { defineCluster, secretsStore, type ClientPool, type Cluster, type HostVolume } from '../../config/cluster.ts';
import type { Environment } from '../../config/environment.ts';
import { APP_RELABEL_CONFIGS, NOMAD_JOB_METRIC_RELABEL, type RelabelRule } from '../../metrics/app-relabeling.ts';
import { renderFabioProperties } from '../fabio-properties.ts';
import { consulView, createHandlebars, nomadView, vaultView, type ClusterTemplates } from './render-cluster.ts';
import type { Role } from './roles.ts';

/** Every port of the local cluster, all on 127.0.0.1. */
export interface DevPorts {
  readonly nomad: { readonly http: number; readonly rpc: number; readonly serf: number };
  readonly consul: { readonly http: number; readonly serfLan: number; readonly server: number };
  readonly vault: { readonly api: number; readonly cluster: number };
  readonly fabio: { readonly proxy: number; readonly ui: number; readonly metrics: number };
  readonly prometheus: number;
  /** `drover consul-sd`: Consul's catalog as HTTP service discovery for Prometheus's `apps` job. */
  readonly consulSd: number;
  /** The Nomad client's dynamic port range: each local cluster on a host takes its own slice. */
  readonly dynamic?: { readonly min: number; readonly max: number };
}

export interface DevProfileInput {
  readonly env: Environment;
  /** The environment's cluster definition: datacenter, pools' meta, drivers and host volumes, the secrets store. */
  readonly cluster?: Cluster | undefined;
  /** Named in the headers, e.g. `environments/clusters/qa.ts`. */
  readonly source: string;
  readonly templates: ClusterTemplates;
  readonly ports: DevPorts;
  /** The folder of this cluster's state: agents' data under `<dir>/data/<agent>`. */
  readonly dir: string;
  /** Client meta besides the pools', e.g. `drover_checkout` for the dev jobs. */
  readonly meta?: Readonly<Record<string, string>>;
}

/** The configuration of every process `drover up` starts, and the folders it needs. */
export interface DevAgentConfigs {
  readonly nomad: string;
  readonly consul: string;
  /** OpenBao's or Vault's server configuration (which one: `store`). */
  readonly vault: string;
  readonly store: 'openbao' | 'vault';
  readonly fabio: string;
  readonly prometheus: string;
  /** Data folders: Nomad, Consul, the store, Prometheus. */
  readonly dataDirs: { readonly nomad: string; readonly consul: string; readonly vault: string; readonly prometheus: string };
  /** Host volumes' folders, to create before Nomad starts. */
  readonly hostVolumeDirs: readonly string[];
}

/** The cloud fingerprinters: outside a cloud they only fail, and env_aws kills the agent when AWS_CA_BUNDLE is set. */
export const CLOUD_FINGERPRINTERS = 'env_aws,env_gce,env_azure,env_digitalocean';
const LOOPBACK = '127.0.0.1';
const NODE_NAME = 'drover-up';
/** Where the committed client configs put Nomad's data; host volumes under it follow the dev agent's. */
const PRODUCTION_NOMAD_DATA = '/opt/nomad/data';

export function renderDevProfile(input: DevProfileInput): DevAgentConfigs {
  const cluster = input.cluster ?? defaultCluster(input.env);
  const { env, ports } = input;
  const dataDirs = {
    nomad: join(input.dir, 'data', 'nomad'), consul: join(input.dir, 'data', 'consul'),
    vault: join(input.dir, 'data', secretsStore(cluster).product), prometheus: join(input.dir, 'data', 'prometheus'),
  };
  const volumes = hostVolumes(cluster, input.dir, dataDirs.nomad);
  const pool = mergedPool(cluster, env, volumes);
  const datacenter = cluster.servers.datacenter;
  const server: Role = { name: 'server', server: true, datacenter };
  const client: Role = { name: 'local', server: false, datacenter, pool };
  const hbs = createHandlebars();
  const render = (name: keyof ClusterTemplates, view: Record<string, unknown>) => hbs.compile(input.templates[name], { strict: true, noEscape: true })(view);
  const common = { source: input.source, env: env.name, role: 'local', via: `drover up --env ${env.name} (dev profile)`, tls: null, acls: false, serverCount: 1, retryJoin: [] };
  const nomadPool = nomadView(cluster, env, client)['pool'] as Record<string, unknown>;
  const nomad = render('nomad.hcl', {
    ...nomadView(cluster, env, server), ...common,
    pool: { ...nomadPool, meta: [...(nomadPool['meta'] as { key: string }[]), ...Object.entries(input.meta ?? {}).map(([key, value]) => ({ key, value }))].sort((a, b) => (a.key < b.key ? -1 : 1)) },
    dataDir: dataDirs.nomad, bindAddr: LOOPBACK, dev: { fingerprintDenylist: CLOUD_FINGERPRINTERS, dynamicPorts: ports.dynamic },
    ports: ports.nomad, consulAddress: `${LOOPBACK}:${ports.consul.http}`,
    vault: { ...(nomadView(cluster, env, server)['vault'] as object), address: `http://${LOOPBACK}:${ports.vault.api}` },
  });
  const consul = render('consul.hcl', {
    ...consulView(cluster, server), ...common, aclDefault: 'allow', dataDir: dataDirs.consul, bindAddr: LOOPBACK, dev: { nodeName: NODE_NAME },
    ports: { http: ports.consul.http, https: -1, grpc: -1, dns: -1, serfLan: ports.consul.serfLan, server: ports.consul.server, serfWan: -1 },
  });
  const vault = render('vault.hcl', {
    ...vaultView(cluster, env), ...common, raftJoin: [], seal: null, ports: { api: ports.vault.api, cluster: ports.vault.cluster },
    dev: { apiAddr: `http://${LOOPBACK}:${ports.vault.api}`, clusterAddr: `http://${LOOPBACK}:${ports.vault.cluster}`, dataDir: dataDirs.vault, nodeName: NODE_NAME, bindAddr: LOOPBACK },
  });
  return {
    nomad, consul, vault, store: secretsStore(cluster).product, dataDirs, hostVolumeDirs: volumes.map((v) => v.local.path).sort(),
    fabio: devFabioProperties(env, ports),
    prometheus: devPrometheusConfig(env, ports),
  };
}

/** Fabio as `fabio/fabio.<env>.properties` has it, on the local ports and Consul, listening on 127.0.0.1 only. */
export function devFabioProperties(env: Environment, ports: DevPorts): string {
  const local: Environment = { ...env, fabio: { ...env.fabio, proxyPort: ports.fabio.proxy, uiPort: ports.fabio.ui, metricsPort: ports.fabio.metrics, consulAddress: `${LOOPBACK}:${ports.consul.http}` } };
  // The committed properties listen on every interface (`:9999`); here only loopback.
  return renderFabioProperties(local).replace(/(= |,):(\d+)/g, `$1${LOOPBACK}:$2`);
}

/**
 * Prometheus scraping the local agents, Fabio and the applications (what progressive canaries are
 * judged on). The applications are found in Consul's catalog through `drover consul-sd` (HTTP
 * service discovery: Debian's Prometheus has no consul_sd) and labelled by the `apps` job's
 * relabeling of prometheus/prometheus.yml. Rules are written as JSON, which is YAML.
 */
export function devPrometheusConfig(env: Environment, ports: DevPorts): string {
  const job = (name: string, port: number, path: string, format: boolean): string[] => [
    `  - job_name: ${name}`,
    `    metrics_path: ${path}`,
    ...(format ? ['    params:', '      format: [prometheus]'] : []),
    '    static_configs:',
    `      - targets: ['${LOOPBACK}:${port}']`,
    `        labels: { env: ${env.name}, role: server }`,
  ];
  const rules = (rules: readonly RelabelRule[]) => rules.map((rule) => `      - ${JSON.stringify(rule)}`);
  return [
    `# generated by drover up (dev profile of ${env.name}) — do not edit`,
    'global:',
    '  scrape_interval: 5s',
    '  evaluation_interval: 5s',
    'scrape_configs:',
    ...job('nomad', ports.nomad.http, '/v1/metrics', true),
    ...job('consul', ports.consul.http, '/v1/agent/metrics', true),
    ...job('vault', ports.vault.api, '/v1/sys/metrics', true),
    ...job('fabio', ports.fabio.metrics, '/metrics', false),
    '  - job_name: apps',
    '    metrics_path: /metrics',
    '    http_sd_configs:',
    `      - url: http://${LOOPBACK}:${ports.consulSd}/`,
    '        refresh_interval: 5s',
    '    relabel_configs:',
    ...rules(APP_RELABEL_CONFIGS),
    '    metric_relabel_configs:',
    ...rules(NOMAD_JOB_METRIC_RELABEL),
    '',
  ].join('\n');
}

interface DevHostVolume {
  readonly name: string;
  readonly local: HostVolume;
}

/** Every pool's host volumes on this machine: under Nomad's own data dir where they were, else under `<dir>/host-volumes/`. */
function hostVolumes(cluster: Cluster, dir: string, nomadData: string): DevHostVolume[] {
  const byName = new Map<string, HostVolume>();
  for (const pool of cluster.clients) for (const [name, volume] of Object.entries(pool.hostVolumes)) byName.set(name, volume);
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, volume]) => {
    const path = volume.path === PRODUCTION_NOMAD_DATA || volume.path.startsWith(`${PRODUCTION_NOMAD_DATA}/`)
      ? `${nomadData}${volume.path.slice(PRODUCTION_NOMAD_DATA.length)}`
      : join(dir, 'host-volumes', name);
    return { name, local: { ...volume, path } };
  });
}

/** One pool holding every pool's meta, drivers (and raw_exec) and host volumes, in the environment's node pool. */
function mergedPool(cluster: Cluster, env: Environment, volumes: readonly DevHostVolume[]): ClientPool {
  const drivers = [...new Set([...cluster.clients.flatMap((p) => p.drivers), 'raw_exec' as const])].sort();
  return {
    name: 'local', datacenter: cluster.servers.datacenter, count: 1, drivers,
    nodePool: env.nodePool === 'all' ? 'default' : env.nodePool,
    meta: Object.assign({}, ...cluster.clients.map((p) => p.meta)) as Record<string, string>,
    hostVolumes: Object.fromEntries(volumes.map((v) => [v.name, v.local])),
  };
}

/** An environment without a cluster definition (dev): its first concrete datacenter, docker, exec and raw_exec, OpenBao. */
function defaultCluster(env: Environment): Cluster {
  const datacenter = env.datacenters.find((dc) => !dc.includes('*')) ?? 'dc1';
  const host = [{ name: NODE_NAME, address: LOOPBACK }];
  return defineCluster({
    env: env.name,
    platform: { kind: 'onprem', sshUser: 'drover' },
    servers: { datacenter, hosts: host },
    clients: [{ name: 'local', datacenter, drivers: ['docker', 'exec', 'raw_exec'], hosts: host }],
    versions: { nomad: 'local', consul: 'local', openbao: 'local', fabio: 'local' },
    tls: { source: 'files', dir: '/nonexistent' },
    gossip: { consul: { from: 'file', path: '/nonexistent' }, nomad: { from: 'file', path: '/nonexistent' } },
    acls: false,
  });
}
