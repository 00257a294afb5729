/**
 * Type tests of defineCluster: each `@ts-expect-error` below must meet a type error, or
 * `tsc --noEmit` (run over test/ by `npm test`) fails with "Unused '@ts-expect-error' directive".
 * Nothing here runs.
 */
import { defineCluster, type ClientPoolInput } from '../../src/index.ts';
import '../../environments/index.ts';

const base = {
  env: 'qa',
  platform: { kind: 'aws', region: 'eu-central-1' },
  servers: { datacenter: 'qa1', count: 3, instanceType: 't3.medium' },
  versions: { nomad: '2.0.5', consul: '1.20.6', openbao: '2.6.2', fabio: '1.7.3' },
  tls: { source: 'files', dir: '/etc/drover/tls' },
  gossip: { consul: { from: 'file', path: '/k1' }, nomad: { from: 'file', path: '/k2' } },
} as const;

export const valid = defineCluster({ ...base, clients: [{ name: 'general', datacenter: 'qa1', count: 1, instanceType: 't3.large', drivers: ['docker'] }] });

// A pool built apart from the call (spread in) is still checked key by key.
const pool = { name: 'general', datacenter: 'qa1', count: 1, instanceType: 't3.large', drivers: ['docker'], hostVolume: {} } as const;
// @ts-expect-error hostVolume is not a key of a client pool (hostVolumes is)
export const misspeltPoolKey = defineCluster({ ...base, clients: [pool] });

export const unknownDriver = defineCluster({
  ...base,
  // @ts-expect-error podman is not a driver drover knows
  clients: [{ name: 'general', datacenter: 'qa1', count: 1, drivers: ['podman'] }],
});

export const unknownEnvironment = defineCluster({
  ...base,
  // @ts-expect-error staging is not one of the project's environments
  env: 'staging',
  clients: [] as ClientPoolInput[],
});

export const gossipValue = defineCluster({
  ...base,
  clients: [] as ClientPoolInput[],
  // @ts-expect-error a gossip key is a reference ({ from, path | parameter }), never the key itself
  gossip: { consul: 'pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=', nomad: { from: 'file', path: '/k2' } },
});
