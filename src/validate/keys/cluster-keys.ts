import type {
  ClientPool, Cluster, ClusterGossip, ClusterHost, ClusterPorts, ClusterTelemetry, ClusterVersions, FabioPlacement, HostVolume, NodeExporterPlacement,
  PrometheusPlacement, ServerGroup,
} from '../../config/cluster.ts';
import { arrayOf, leaf, object, recordOf, type KeyShape } from './shape.ts';

type Fields<K extends PropertyKey> = Readonly<Record<K, KeyShape>>;

const hosts = arrayOf(object({ name: leaf, address: leaf } satisfies Fields<keyof ClusterHost>));
const secretSource: KeyShape = {
  kind: 'union',
  discriminant: 'from',
  variants: { file: { from: leaf, path: leaf }, 'aws-ssm': { from: leaf, parameter: leaf } },
};

/**
 * Every key a cluster definition may have, as a value; `satisfies` keeps it in step with
 * `src/config/cluster.ts`. Unions are keyed by their discriminant, so `parameter` is unknown
 * on a `from: 'file'` source.
 */
export const clusterShape: KeyShape = object({
  kind: leaf,
  env: leaf,
  platform: { kind: 'union', discriminant: 'kind', variants: { aws: { kind: leaf, region: leaf }, onprem: { kind: leaf, sshUser: leaf } } },
  servers: object({ datacenter: leaf, count: leaf, instanceType: leaf, hosts } satisfies Fields<keyof ServerGroup>),
  clients: arrayOf(object({
    name: leaf, nodePool: leaf, datacenter: leaf, count: leaf, min: leaf, max: leaf, nodeClass: leaf, meta: leaf, drivers: leaf,
    instanceType: leaf, hosts,
    hostVolumes: recordOf(object({ path: leaf, readOnly: leaf } satisfies Fields<keyof HostVolume>)),
  } satisfies Fields<keyof ClientPool>)),
  versions: object({ nomad: leaf, consul: leaf, openbao: leaf, vault: leaf, fabio: leaf, prometheus: leaf, nodeExporter: leaf } satisfies Fields<keyof ClusterVersions>),
  tls: {
    kind: 'union',
    discriminant: 'source',
    variants: {
      files: { source: leaf, dir: leaf },
      'vault-pki': { source: leaf, dir: leaf, address: leaf, mount: leaf, role: leaf, ttl: leaf, tokenFile: leaf },
    },
  },
  gossip: object({ consul: secretSource, nomad: secretSource } satisfies Fields<keyof ClusterGossip>),
  seal: { kind: 'union', discriminant: 'kind', variants: { shamir: { kind: leaf }, awskms: { kind: leaf, kmsKeyId: leaf, region: leaf } } },
  acls: leaf,
  telemetry: object({ prometheus: leaf, collectionInterval: leaf } satisfies Fields<keyof ClusterTelemetry>),
  fabio: object({ pools: leaf, runAs: leaf } satisfies Fields<keyof FabioPlacement>),
  nodeExporter: object({ servers: leaf, pools: leaf, runAs: leaf } satisfies Fields<keyof NodeExporterPlacement>),
  prometheus: object({ on: leaf } satisfies Fields<keyof PrometheusPlacement>),
  ports: object({
    nomad: object({ http: leaf, rpc: leaf, serf: leaf } satisfies Fields<keyof ClusterPorts['nomad']>),
    consul: object({ server: leaf, serfLan: leaf, serfWan: leaf, http: leaf, https: leaf, grpc: leaf, dns: leaf } satisfies Fields<keyof ClusterPorts['consul']>),
    vault: object({ api: leaf, cluster: leaf } satisfies Fields<keyof ClusterPorts['vault']>),
    prometheus: leaf,
    nodeExporter: leaf,
  } satisfies Fields<keyof ClusterPorts>),
} satisfies Fields<keyof Cluster>);
