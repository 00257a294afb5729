import { defineCluster, type HostVolume } from '../../src/index.ts';

/** Nomad's own allocation directory (data_dir /opt/nomad/data), read-only, for the log shipper. */
const allocLogs: Readonly<Record<string, HostVolume>> = { 'nomad-alloc-logs': { path: '/opt/nomad/data/alloc', readOnly: true } };

/**
 * Production on our own machines: 3 servers in prod1 and client pools in both datacenters the
 * environment names (api spreads over them), provisioned over SSH. Certificates and gossip keys
 * are put on the hosts by the provisioning; this file says only where.
 * `drover cluster render prod` writes cluster/prod/.
 */
export default defineCluster({
  env: 'prod',
  platform: { kind: 'onprem', sshUser: 'provision' },
  servers: {
    datacenter: 'prod1',
    hosts: [
      { name: 'prod-server-1', address: '10.10.0.11' },
      { name: 'prod-server-2', address: '10.10.0.12' },
      { name: 'prod-server-3', address: '10.10.0.13' },
    ],
  },
  clients: [
    {
      name: 'prod1', datacenter: 'prod1', drivers: ['docker', 'exec', 'raw_exec'], hostVolumes: allocLogs,
      hosts: [{ name: 'prod1-client-1', address: '10.10.1.11' }, { name: 'prod1-client-2', address: '10.10.1.12' }, { name: 'prod1-client-3', address: '10.10.1.13' }],
    },
    {
      name: 'prod2', datacenter: 'prod2', drivers: ['docker', 'exec', 'raw_exec'], hostVolumes: allocLogs,
      hosts: [{ name: 'prod2-client-1', address: '10.20.1.11' }, { name: 'prod2-client-2', address: '10.20.1.12' }, { name: 'prod2-client-3', address: '10.20.1.13' }],
    },
    {
      name: 'storage', datacenter: 'prod1', drivers: ['docker', 'exec', 'raw_exec'],
      meta: { storage: 'ssd' },
      hostVolumes: { ...allocLogs, 'postgres-data': { path: '/srv/postgres-data' } },
      hosts: [{ name: 'prod1-db-1', address: '10.10.2.11' }],
    },
  ],
  versions: { nomad: '2.0.5', consul: '1.20.6', openbao: '2.6.2', fabio: '1.7.3' },
  tls: { source: 'files', dir: '/etc/drover/tls' },
  gossip: { consul: { from: 'file', path: '/etc/drover/gossip/consul.key' }, nomad: { from: 'file', path: '/etc/drover/gossip/nomad.key' } },
});
