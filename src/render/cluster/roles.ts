import { secretsStore, type ClientPool, type Cluster } from '../../config/cluster.ts';

/**
 * The kinds of machine a cluster has: its servers, and one per client pool. Every machine of a
 * kind gets the same files (node names, addresses and certificates are the machine's own,
 * found at boot), so rendering is per kind, not per machine.
 */
export type Role = { readonly name: 'server'; readonly server: true; readonly datacenter: string } | { readonly name: string; readonly server: false; readonly datacenter: string; readonly pool: ClientPool };

export function clusterRoles(cluster: Cluster): Role[] {
  return [
    { name: 'server', server: true, datacenter: cluster.servers.datacenter },
    ...cluster.clients.map((pool): Role => ({ name: `client-${pool.name}`, server: false, datacenter: pool.datacenter, pool })),
  ];
}

/** Tag every server carries on AWS, so that agents find each other (cloud auto-join). */
export const CLUSTER_TAG_KEY = 'drover-cluster';

/** The cloud auto-join tag value of an environment's servers. */
export function serverTagValue(env: string): string {
  return `${env}-server`;
}

/** How agents find the servers: cloud auto-join by tag on AWS, the hosts' addresses on-prem (with `port`). */
export function serverJoin(cluster: Cluster, port: number): string[] {
  if (cluster.platform.kind === 'aws') return [`provider=aws region=${cluster.platform.region} tag_key=${CLUSTER_TAG_KEY} tag_value=${serverTagValue(cluster.env)}`];
  return (cluster.servers.hosts ?? []).map((host) => `${host.address}:${port}`);
}

/** Names and paths of the secrets store the servers run. */
export function storeNames(cluster: Cluster): { product: 'openbao' | 'vault'; version: string; title: string; binary: string; configDir: string; envPrefix: string; user: string } {
  const { product, version } = secretsStore(cluster);
  return product === 'openbao'
    ? { product, version, title: 'OpenBao', binary: '/usr/bin/bao', configDir: '/etc/openbao.d', envPrefix: 'BAO', user: 'openbao' }
    : { product, version, title: 'Vault', binary: '/usr/local/bin/vault', configDir: '/etc/vault.d', envPrefix: 'VAULT', user: 'vault' };
}

/** Whether this kind of machine runs an add-on as a systemd unit (or Prometheus at all). */
export function runsOn(cluster: Cluster, role: Role): { fabio: boolean; nodeExporter: boolean; prometheus: boolean } {
  const pool = role.server ? undefined : role.pool.name;
  const systemd = (placement: { pools: readonly string[]; runAs: string }) => pool !== undefined && placement.runAs === 'systemd' && placement.pools.includes(pool);
  return {
    fabio: systemd(cluster.fabio),
    nodeExporter: role.server ? cluster.nodeExporter.servers : systemd(cluster.nodeExporter),
    prometheus: role.server ? cluster.prometheus.on === 'servers' : cluster.prometheus.on === pool,
  };
}
