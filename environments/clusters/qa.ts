import { defineCluster, type HostVolume } from '../../src/index.ts';

/** Nomad's own allocation directory (data_dir /opt/nomad/data), read-only, for the log shipper. */
const allocLogs: Readonly<Record<string, HostVolume>> = { 'nomad-alloc-logs': { path: '/opt/nomad/data/alloc', readOnly: true } };

/**
 * QA on AWS: 3 servers (Nomad, Consul and OpenBao raft peers) and two small client pools: the
 * general one runs the stateless apps, Fabio and node-exporter; the storage one also holds
 * postgres's host volume on SSD (jobs/postgres.ts wants `${meta.storage} = ssd`).
 * OpenBao unseals with key shares (the default seal): its built-in AWS KMS seal is deprecated in
 * 2.6 and gone in 2.7 (`cluster/seal`). `drover cluster render qa` writes cluster/qa/.
 */
export default defineCluster({
  env: 'qa',
  platform: { kind: 'aws', region: 'eu-central-1' },
  servers: { datacenter: 'qa1', count: 3, instanceType: 't3.medium' },
  clients: [
    // exec runs Fabio (jobs/fabio.ts), raw_exec node-exporter (jobs/node-exporter.ts), docker the apps.
    { name: 'general', datacenter: 'qa1', count: 2, min: 2, max: 4, instanceType: 't3.large', drivers: ['docker', 'exec', 'raw_exec'], hostVolumes: allocLogs },
    {
      name: 'storage', datacenter: 'qa1', count: 1, instanceType: 'm6id.large', drivers: ['docker', 'exec', 'raw_exec'],
      meta: { storage: 'ssd' },
      hostVolumes: { ...allocLogs, 'postgres-data': { path: '/srv/postgres-data' } },
    },
  ],
  versions: { nomad: '2.0.5', consul: '1.20.6', openbao: '2.6.2', fabio: '1.7.3' },
  // Agent certificates baked into the image (or written by your launch template) under this folder.
  tls: { source: 'files', dir: '/etc/drover/tls' },
  // SecureString parameters the instances' role may read; the keys never pass through drover.
  gossip: { consul: { from: 'aws-ssm', parameter: '/drover/qa/gossip/consul' }, nomad: { from: 'aws-ssm', parameter: '/drover/qa/gossip/nomad' } },
});
