import { describe, expect, it } from 'vitest';
import { DEFAULT_CLUSTER_PORTS, defineCluster, secretsStore } from '../../../src/config/cluster.ts';

const minimal = {
  env: 'qa',
  platform: { kind: 'onprem', sshUser: 'ops' },
  servers: { datacenter: 'dc1', hosts: [{ name: 's1', address: '10.0.0.1' }, { name: 's2', address: '10.0.0.2' }, { name: 's3', address: '10.0.0.3' }] },
  clients: [{ name: 'general', datacenter: 'dc1', drivers: ['docker'], hosts: [{ name: 'c1', address: '10.0.1.1' }] }],
  versions: { nomad: '2.0.5', consul: '1.20.6', vault: '1.18.0', fabio: '1.7.3' },
  tls: { source: 'vault-pki', dir: '/etc/drover/tls', address: 'https://pki.example.internal:8200', role: 'agents', tokenFile: '/etc/drover/pki-token' },
  gossip: { consul: { from: 'file', path: '/etc/drover/gossip/consul.key' }, nomad: { from: 'file', path: '/etc/drover/gossip/nomad.key' } },
} as const;

describe('defineCluster', () => {
  it('fills the defaults: counts from the hosts, ACLs and telemetry on, add-ons on every pool, HashiCorp\'s ports', () => {
    const cluster = defineCluster(minimal);
    expect(cluster.kind).toBe('drover.cluster');
    expect(cluster.servers.count).toBe(3);
    expect(cluster.clients[0]).toMatchObject({ nodePool: 'default', count: 1, meta: {}, hostVolumes: {} });
    expect(cluster.acls).toBe(true);
    expect(cluster.telemetry).toEqual({ prometheus: true, collectionInterval: '10s' });
    expect(cluster.fabio).toEqual({ pools: ['general'], runAs: 'nomad-job' });
    expect(cluster.nodeExporter).toEqual({ servers: true, pools: ['general'], runAs: 'nomad-job' });
    expect(cluster.prometheus).toEqual({ on: 'servers' });
    expect(cluster.seal).toEqual({ kind: 'shamir' });
    expect(cluster.tls).toMatchObject({ mount: 'pki', ttl: '720h' });
    expect(cluster.ports).toEqual(DEFAULT_CLUSTER_PORTS);
    expect(secretsStore(cluster)).toEqual({ product: 'vault', version: '1.18.0' });
  });

  it('keeps what the definition says over the defaults, port by port', () => {
    const cluster = defineCluster({ ...minimal, acls: false, ports: { consul: { dns: 8653 } }, prometheus: { on: 'general' } });
    expect(cluster.acls).toBe(false);
    expect(cluster.ports.consul).toEqual({ ...DEFAULT_CLUSTER_PORTS.consul, dns: 8653 });
    expect(cluster.prometheus.on).toBe('general');
  });
});
