import type { ClientPool, Cluster } from '../../../config/cluster.ts';
import type { Environment } from '../../../config/environment.ts';
import type { LoadedJob } from '../../../model/loaded-job.ts';
import { type Diagnostic } from '../../diagnostic.ts';
import { problem } from '../../rule.ts';
import { isInteger, list } from '../lib/shape.ts';
import { fitGroup } from '../lib/cluster-nodes.ts';
import type { ClusterRule } from './check.ts';

const ID = 'cluster/ports';

/** A port something listens on, where the definition says so. */
interface Listener {
  readonly port: number;
  readonly owner: string;
  /** Path in the cluster file, or a job's `file` + path. */
  readonly file?: string;
  readonly path: string;
}

/**
 * Rule `cluster/ports`: on every kind of node, no two listeners share a port: the agents (Nomad,
 * Consul, Vault on servers), Prometheus, node-exporter and Fabio where they run, and the static
 * ports of jobs that may be placed there (a collision there is a job that never starts).
 */
export const clusterPortsRule: ClusterRule = {
  id: ID,
  description: 'No two agents, add-ons or static job ports share a port on one kind of node.',
  check({ cluster, file, env, jobs }) {
    const roles: [string, Listener[]][] = [['servers', serverListeners(cluster)], ...(list(cluster.clients) as ClientPool[]).map((pool): [string, Listener[]] => [`pool "${pool.name}"`, poolListeners(cluster, pool, env, jobs)])];
    return roles.flatMap(([role, listeners]) => collisions(role, listeners, file));
  },
};

function serverListeners(cluster: Cluster): Listener[] {
  const { nomad, consul, vault } = cluster.ports;
  return [
    ...agent('Nomad', 'ports.nomad', { http: nomad.http, rpc: nomad.rpc, serf: nomad.serf }),
    ...agent('Consul', 'ports.consul', consul),
    ...agent('Vault', 'ports.vault', vault),
    ...(cluster.prometheus.on === 'servers' ? [{ port: cluster.ports.prometheus, owner: 'Prometheus', path: 'ports.prometheus' }] : []),
    ...(cluster.nodeExporter.servers ? [{ port: cluster.ports.nodeExporter, owner: 'node-exporter', path: 'ports.nodeExporter' }] : []),
  ];
}

function poolListeners(cluster: Cluster, pool: ClientPool, env: Environment | undefined, jobs: readonly LoadedJob[]): Listener[] {
  const { consul } = cluster.ports;
  const { server: _server, serfWan: _wan, ...clientConsul } = consul;
  const listeners: Listener[] = [...agent('Nomad', 'ports.nomad', { http: cluster.ports.nomad.http }), ...agent('Consul', 'ports.consul', clientConsul)];
  if (cluster.prometheus.on === pool.name) listeners.push({ port: cluster.ports.prometheus, owner: 'Prometheus', path: 'ports.prometheus' });
  const systemd = (list: readonly string[], runAs: string) => runAs === 'systemd' && list.includes(pool.name);
  if (systemd(cluster.nodeExporter.pools, cluster.nodeExporter.runAs)) listeners.push({ port: cluster.ports.nodeExporter, owner: 'node-exporter', path: 'ports.nodeExporter' });
  if (env && systemd(cluster.fabio.pools, cluster.fabio.runAs)) {
    listeners.push(...agent('Fabio', 'fabio', { proxy: env.fabio.proxyPort, ui: env.fabio.uiPort, metrics: env.fabio.metricsPort }));
  }
  if (env) listeners.push(...jobListeners(pool, env, jobs));
  return listeners;
}

function jobListeners(pool: ClientPool, env: Environment, jobs: readonly LoadedJob[]): Listener[] {
  return jobs.flatMap(({ file, spec }) =>
    spec.groups.flatMap((group, g) => {
      if (fitGroup({ job: spec, group, pool, nodePool: env.nodePool, datacenters: env.datacenters }).excluded.length) return [];
      return Object.entries(group.ports ?? {}).flatMap(([label, port]) =>
        port.static === undefined ? [] : [{ port: port.static, owner: `job ${spec.id} (port ${label})`, file, path: `groups[${g}].ports.${label}.static` }],
      );
    }),
  );
}

function agent(owner: string, path: string, ports: Readonly<Record<string, number>>): Listener[] {
  return Object.entries(ports).map(([name, port]) => ({ port, owner: `${owner} ${name}`, path: `${path}.${name}` }));
}

function collisions(role: string, listeners: readonly Listener[], file: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  const byPort = new Map<number, Listener>();
  for (const listener of listeners) {
    if (!isInteger(listener.port) || listener.port < 1 || listener.port > 65535) {
      found.push(problem(ID, { file: listener.file ?? file, path: listener.path }, `${listener.owner} port ${listener.port} is not a TCP port`, 'Use a whole number from 1 to 65535.'));
      continue;
    }
    const first = byPort.get(listener.port);
    if (first === undefined) {
      byPort.set(listener.port, listener);
    } else if (first.owner.split(' ')[0] !== listener.owner.split(' ')[0] || !listener.file) {
      found.push(problem(ID, { file: listener.file ?? file, path: listener.path }, `On ${role}, ${listener.owner} and ${first.owner} both listen on port ${listener.port}`, `Move one of them: set ${listener.file ? 'the job\'s static port' : `cluster ${listener.path}`} to a free port.`));
    }
  }
  return found;
}
