import { at, type Diagnostic } from '../../diagnostic.ts';
import { problem, warning } from '../../rule.ts';
import type { ClusterHost, ClusterMachines } from '../../../config/cluster.ts';
import { isInteger, list } from '../lib/shape.ts';
import type { ClusterRule } from './check.ts';

const MACHINES = 'cluster/machines';
const SERVER_COUNT = 'cluster/server-count';
const QUORUM = 'cluster/quorum';

/**
 * Rule `cluster/machines`: servers and every client pool say where their machines come from,
 * the way the platform provisions them: an instance type on AWS, hosts on-prem (as many as
 * `count`, each name used once).
 */
export const clusterMachinesRule: ClusterRule = {
  id: MACHINES,
  description: 'Servers and client pools name an instance type (AWS) or their hosts (on-prem), matching count.',
  check({ cluster, file }) {
    const platform = cluster.platform?.kind;
    const groups: { path: string; machines: ClusterMachines & { count?: number } }[] = [
      { path: 'servers', machines: cluster.servers },
      ...list(cluster.clients).map((pool, i) => ({ path: at('clients', i), machines: pool as ClusterMachines & { count?: number } })),
    ];
    const seen = new Map<string, string>();
    return groups.flatMap(({ path, machines }) => [...machinesProblems(platform, path, machines, file), ...duplicateHosts(list(machines.hosts) as ClusterHost[], path, file, seen)]);
  },
};

function machinesProblems(platform: string | undefined, path: string, machines: ClusterMachines & { count?: number }, file: string): Diagnostic[] {
  const hosts = machines.hosts;
  if (platform === 'aws' && (machines.instanceType === undefined || hosts !== undefined)) {
    return [problem(MACHINES, { file, path }, `${path} on AWS needs an instanceType${hosts ? ' and no hosts' : ''}`, 'Set instanceType (e.g. "t3.medium") and count; hosts are for platform { kind: \'onprem\' }.')];
  }
  if (platform === 'onprem' && (hosts === undefined || hosts.length === 0 || machines.instanceType !== undefined)) {
    return [problem(MACHINES, { file, path }, `${path} on-prem needs its hosts${machines.instanceType ? ' and no instanceType' : ''}`, 'List hosts: [{ name, address }, …]; instanceType is for platform { kind: \'aws\' }.')];
  }
  if (hosts !== undefined && machines.count !== undefined && machines.count !== hosts.length) {
    return [problem(MACHINES, { file, path: at(path, 'count') }, `${path}.count is ${machines.count} but ${hosts.length} hosts are listed`, 'Remove count (it follows the hosts) or list as many hosts.')];
  }
  return [];
}

function duplicateHosts(hosts: readonly ClusterHost[], path: string, file: string, seen: Map<string, string>): Diagnostic[] {
  return hosts.flatMap((host, i) => {
    const where = at(at(path, 'hosts'), i);
    const first = seen.get(host.name);
    if (first === undefined) return seen.set(host.name, where), [];
    return [problem(MACHINES, { file, path: where }, `Host name "${host.name}" is also used at ${first}`, 'Give every machine its own name: agents register under it, and two nodes with one name replace each other.')];
  });
}

/**
 * Rules `cluster/server-count` and `cluster/quorum`: an odd number of servers (an even one adds
 * a machine without surviving one more loss, and can split evenly), and in prod at least 3, so
 * that losing one server keeps Nomad, Consul and Vault writable.
 */
export const clusterServerCountRule: ClusterRule = {
  id: SERVER_COUNT,
  description: 'Odd server counts; at least 3 in prod.',
  check({ cluster, file }) {
    const count: unknown = cluster.servers?.count;
    const path = cluster.servers?.hosts ? 'servers.hosts' : 'servers.count';
    if (!isInteger(count) || count < 1) {
      return [problem(SERVER_COUNT, { file, path }, `servers.count is ${String(count)}: the cluster needs at least one server`, 'Use 3 (or 5 for a cluster that must survive two lost servers).')];
    }
    const found: Diagnostic[] = [];
    if (count % 2 === 0) {
      found.push(problem(SERVER_COUNT, { file, path }, `${count} servers: an even count tolerates no more failures than ${count - 1} and can split into two halves without a quorum`, `Use ${count - 1} or ${count + 1} servers.`));
    }
    if (cluster.env === 'prod' && count < 3) {
      found.push(problem(QUORUM, { file, path }, `prod has ${count} server${count === 1 ? '' : 's'}: losing one stops Nomad, Consul and Vault from accepting writes`, 'Run 3 servers (5 to survive two failures) in prod.'));
    } else if (count > 7) {
      found.push(warning(SERVER_COUNT, { file, path }, `${count} servers: every write waits for a majority of them`, 'Raft clusters above 7 servers get slower without getting safer; use 5 and add clients instead.'));
    }
    return found;
  },
};
