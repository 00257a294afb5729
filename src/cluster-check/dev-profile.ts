/**
 * What `drover cluster check <env> --dev` expects of the one-node cluster `drover up` starts from
 * the environment's definition (its dev profile): one server that is also the only client, on
 * 127.0.0.1, without TLS, ACLs or gossip keys, running whatever binaries are on PATH, with
 * raw_exec (what the dev jobs use; docker or java depend on the machine). Pure.
 */
import { defineCluster, type Cluster } from '../config/cluster.ts';
import type { Environment } from '../config/environment.ts';
import type { CheckResult } from './result.ts';

/** The definition as the dev profile runs it; without a definition, the environment's first datacenter. */
export function devProfileOf(cluster: Cluster | undefined, env: Environment): Cluster {
  const datacenter = cluster?.servers.datacenter ?? env.datacenters.find((dc) => !dc.includes('*')) ?? 'dc1';
  const base: Cluster = cluster ?? defineCluster({
    env: env.name,
    platform: { kind: 'onprem', sshUser: 'drover' },
    servers: { datacenter, count: 1 },
    clients: [],
    versions: { nomad: 'local', consul: 'local', openbao: 'local', fabio: 'local' },
    tls: { source: 'files', dir: '(none in the dev profile)' },
    gossip: { consul: { from: 'file', path: '(none)' }, nomad: { from: 'file', path: '(none)' } },
    acls: false,
  });
  const nodePool = env.nodePool === 'all' ? 'default' : env.nodePool;
  return {
    ...base,
    servers: { datacenter, count: 1 },
    clients: [{ name: 'local', nodePool, datacenter, count: 1, meta: {}, drivers: ['raw_exec'], hostVolumes: {} }],
    acls: false,
    fabio: { ...base.fabio, pools: ['local'] },
  };
}

/** Points the dev profile does not have: TLS, ACLs, gossip keys, pinned versions. */
const NOT_IN_DEV: Readonly<Record<string, string>> = {
  'nomad/tls': 'plain HTTP on 127.0.0.1', 'consul/tls': 'plain HTTP on 127.0.0.1', 'vault/tls': 'plain HTTP on 127.0.0.1',
  'nomad/acls': 'no ACLs', 'consul/acls': 'no ACLs', 'consul/jwt-nomad': 'no Consul ACLs, so no workload identities for Consul',
  'nomad/gossip': 'one node, no gossip key', 'consul/gossip': 'one node, no gossip key',
  'nomad/versions': 'the binaries on PATH', 'consul/versions': 'the binaries on PATH', 'vault/version': 'the binaries on PATH',
};

/** Marks the points the dev profile leaves out as skipped, saying why. */
export function withoutDevExclusions(results: readonly CheckResult[]): CheckResult[] {
  return results.map((result) => {
    const why = NOT_IN_DEV[result.id];
    if (why === undefined) return result;
    const { fix: _fix, ...rest } = result;
    return { ...rest, status: 'skipped', detail: `dev profile: ${why} (found: ${result.detail})` };
  });
}
