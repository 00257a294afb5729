import type { Duration } from '../model/duration.ts';
import type { Exact } from '../model/exact.ts';
import type { EnvironmentName } from './environment.ts';

/**
 * The machines of one environment: Nomad/Consul/Vault servers and pools of Nomad clients, the
 * versions they run, how they authenticate each other, and which nodes run Fabio, Prometheus and
 * node-exporter. `drover cluster render <env>` turns it into every agent's configuration; it
 * never holds a secret value, only where each one is on the machines.
 */

/** A Nomad task driver a client pool enables. @see https://developer.hashicorp.com/nomad/docs/drivers */
export type ClusterDriver = 'docker' | 'exec' | 'raw_exec' | 'java';

/** An on-prem machine, reached over SSH by the provisioning. */
export interface ClusterHost {
  /** Node name the agents register with (Nomad `name`, Consul `node_name`). */
  readonly name: string;
  /** Address the other agents and the provisioning reach it at (IP or DNS name). */
  readonly address: string;
}

/** Where machines come from: exactly one of `instanceType` (AWS) or `hosts` (on-prem). */
export interface ClusterMachines {
  /** EC2 instance type, e.g. `t3.medium` (AWS only). */
  readonly instanceType?: string;
  /** The machines themselves (on-prem only). */
  readonly hosts?: readonly ClusterHost[];
}

/** The server nodes: each runs a Nomad server, a Consul server and a Vault/OpenBao raft peer. */
export interface ServerGroup extends ClusterMachines {
  readonly datacenter: string;
  /**
   * Number of servers: odd, so that a quorum survives as many losses as possible (3 survives 1,
   * 5 survives 2). With `hosts`, their number. @see https://developer.hashicorp.com/nomad/docs/concepts/consensus
   */
  readonly count: number;
}

/** A host volume a client pool offers jobs. @see https://developer.hashicorp.com/nomad/docs/configuration/client#host_volume-block */
export interface HostVolume {
  /** Directory on the host (absolute). */
  readonly path: string;
  /** @default false */
  readonly readOnly?: boolean;
}

/** A group of identical Nomad clients (an Auto Scaling group on AWS, a list of hosts on-prem). */
export interface ClientPool extends ClusterMachines {
  /** Unique in the cluster; names the rendered folder `cluster/<env>/client-<name>/`. */
  readonly name: string;
  /** @default "default" @see https://developer.hashicorp.com/nomad/docs/concepts/node-pools */
  readonly nodePool: string;
  readonly datacenter: string;
  /** Desired size; with `hosts`, their number. */
  readonly count: number;
  /** Smallest size of the Auto Scaling group (AWS). @default count */
  readonly min?: number;
  /** Largest size of the Auto Scaling group (AWS). @default count */
  readonly max?: number;
  /** @see https://developer.hashicorp.com/nomad/docs/configuration/client#node_class */
  readonly nodeClass?: string;
  /** Client node meta (`${meta.<key>}` in constraints). @default {} */
  readonly meta: Readonly<Record<string, string>>;
  /** Drivers enabled on these clients; a job whose tasks need another cannot run here. */
  readonly drivers: readonly ClusterDriver[];
  /** Host volumes by name, as jobs' `volumes: { x: { type: 'host', source: <name> } }` claim them. @default {} */
  readonly hostVolumes: Readonly<Record<string, HostVolume>>;
}

/** Versions installed on the machines. Exactly one of `openbao` and `vault`. */
export interface ClusterVersions {
  readonly nomad: string;
  readonly consul: string;
  /** OpenBao, the open-source fork of Vault (`bao`). */
  readonly openbao?: string;
  /** HashiCorp Vault. */
  readonly vault?: string;
  readonly fabio: string;
  /** @default "2.53.2" */
  readonly prometheus: string;
  /** @default "1.8.2" */
  readonly nodeExporter: string;
}

/**
 * Where agents find their TLS material. `files`: already on every node under `dir` (`ca.pem`,
 * `<agent>.pem`, `<agent>-key.pem` for nomad, consul and vault); `vault-pki`: issued at boot from an
 * existing Vault's PKI engine into `dir`, with a token the machine already holds in `tokenFile`.
 */
export type ClusterTls =
  | { readonly source: 'files'; readonly dir: string }
  | {
      readonly source: 'vault-pki';
      readonly dir: string;
      /** Address of the issuing Vault (not this cluster's: its own servers need certificates first). */
      readonly address: string;
      /** @default "pki" */
      readonly mount: string;
      readonly role: string;
      /** @default "720h" */
      readonly ttl: Duration;
      /** File on the node holding a token allowed to issue from `<mount>/issue/<role>`. */
      readonly tokenFile: string;
    };

/** Where a gossip encryption key is on the machines; drover writes only this reference. */
export type SecretSource =
  /** A file the provisioning put on the node (on-prem). */
  | { readonly from: 'file'; readonly path: string }
  /** An SSM SecureString parameter, read at boot with the instance's role (AWS). */
  | { readonly from: 'aws-ssm'; readonly parameter: string };

/** Gossip encryption keys of Consul's and Nomad's serf pools. @see https://developer.hashicorp.com/consul/docs/security/encryption */
export interface ClusterGossip {
  readonly consul: SecretSource;
  readonly nomad: SecretSource;
}

/** How Vault/OpenBao unseals itself. */
export type ClusterSeal = { readonly kind: 'shamir' } | { readonly kind: 'awskms'; readonly kmsKeyId: string; readonly region?: string };

/** @see https://developer.hashicorp.com/nomad/docs/configuration/telemetry */
export interface ClusterTelemetry {
  /** Prometheus-format metrics on every agent's `/v1/metrics`. @default true */
  readonly prometheus: boolean;
  /** @default "10s" */
  readonly collectionInterval: Duration;
}

/** How an add-on runs on Nomad clients: the project's system job (jobs/<id>.ts) or a systemd unit drover renders. */
export type AddonRunner = 'nomad-job' | 'systemd';

export interface FabioPlacement {
  /** Client pools whose nodes run Fabio. */
  readonly pools: readonly string[];
  /** @default "nomad-job" (jobs/fabio.ts) */
  readonly runAs: AddonRunner;
}

export interface NodeExporterPlacement {
  /** Servers get a systemd unit (they are no Nomad clients). @default true */
  readonly servers: boolean;
  /** Client pools whose nodes run it. */
  readonly pools: readonly string[];
  /** @default "nomad-job" (jobs/node-exporter.ts) */
  readonly runAs: AddonRunner;
}

export interface PrometheusPlacement {
  /** `servers`, or the name of a client pool; a systemd unit reads prometheus/prometheus.yml. @default "servers" */
  readonly on: string;
}

/** Agent ports; change one only where the default is taken on your machines. */
export interface ClusterPorts {
  readonly nomad: { readonly http: number; readonly rpc: number; readonly serf: number };
  readonly consul: {
    readonly server: number; readonly serfLan: number; readonly serfWan: number;
    readonly http: number; readonly https: number; readonly grpc: number; readonly dns: number;
  };
  readonly vault: { readonly api: number; readonly cluster: number };
  readonly prometheus: number;
  readonly nodeExporter: number;
}

/** AWS (instance types, Auto Scaling groups, cloud auto-join by tag) or your own machines over SSH. */
export type ClusterPlatform = { readonly kind: 'aws'; readonly region: string } | { readonly kind: 'onprem'; readonly sshUser: string };

/** One environment's cluster. */
export interface Cluster {
  readonly kind: 'drover.cluster';
  readonly env: EnvironmentName;
  readonly platform: ClusterPlatform;
  readonly servers: ServerGroup;
  readonly clients: readonly ClientPool[];
  readonly versions: ClusterVersions;
  readonly tls: ClusterTls;
  readonly gossip: ClusterGossip;
  /** Vault/OpenBao unseal. @default { kind: 'shamir' } */
  readonly seal: ClusterSeal;
  /** ACLs on Nomad and Consul (default deny). Off only in dev. @default true */
  readonly acls: boolean;
  readonly telemetry: ClusterTelemetry;
  readonly fabio: FabioPlacement;
  readonly nodeExporter: NodeExporterPlacement;
  readonly prometheus: PrometheusPlacement;
  readonly ports: ClusterPorts;
}

type Input<T, Optional extends keyof T> = Omit<T, Optional> & Partial<Pick<T, Optional>>;

export type ClientPoolInput = Input<ClientPool, 'nodePool' | 'count' | 'meta' | 'hostVolumes'>;
export type ServerGroupInput = Input<ServerGroup, 'count'>;
type DeepPartial<T> = { readonly [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
type TlsInput = { readonly source: 'files'; readonly dir: string } | Input<Extract<ClusterTls, { source: 'vault-pki' }>, 'mount' | 'ttl'>;

/** What `defineCluster` takes: the required parts, everything with a default optional. */
export interface ClusterInput {
  readonly env: EnvironmentName;
  readonly platform: ClusterPlatform;
  readonly servers: ServerGroupInput;
  readonly clients: readonly ClientPoolInput[];
  readonly versions: Input<ClusterVersions, 'prometheus' | 'nodeExporter'>;
  readonly tls: TlsInput;
  readonly gossip: ClusterGossip;
  readonly seal?: ClusterSeal;
  readonly acls?: boolean;
  readonly telemetry?: Partial<ClusterTelemetry>;
  readonly fabio?: Partial<FabioPlacement>;
  readonly nodeExporter?: Partial<NodeExporterPlacement>;
  readonly prometheus?: Partial<PrometheusPlacement>;
  readonly ports?: DeepPartial<ClusterPorts>;
}

/** Agent ports as HashiCorp and Prometheus ship them. */
export const DEFAULT_CLUSTER_PORTS: ClusterPorts = {
  nomad: { http: 4646, rpc: 4647, serf: 4648 },
  consul: { server: 8300, serfLan: 8301, serfWan: 8302, http: 8500, https: 8501, grpc: 8502, dns: 8600 },
  vault: { api: 8200, cluster: 8201 },
  prometheus: 9090,
  nodeExporter: 9100,
};

/**
 * Consul's JWT auth method the Nomad agents' workload identities log in to: Nomad's default
 * `consul.service_auth_method` / `task_auth_method`, which the rendered nomad.hcl keeps (it names
 * none). terraform/modules/consul-nomad-workloads creates it (input `auth_method_name`, defaulting
 * to this; a test holds them equal); the cluster check consul/jwt-nomad looks for it.
 * @see https://developer.hashicorp.com/nomad/docs/configuration/consul#service_auth_method
 */
export const NOMAD_CONSUL_AUTH_METHOD = 'nomad-workloads';

/**
 * The `aud` of the rendered Nomad servers' `consul.service_identity` / `task_identity`, which that
 * auth method's BoundAudiences must include (terraform input `audiences`, defaulting to this alone).
 * @see https://developer.hashicorp.com/nomad/docs/configuration/consul#service_identity
 */
export const NOMAD_CONSUL_AUDIENCE = 'consul.io';

/**
 * Declares an environment's cluster (default export of `environments/clusters/<env>.ts`), filling
 * the defaults. A key the types do not declare is a type error ({@link Exact}); validation checks
 * the rest against the environment and the jobs.
 */
export function defineCluster<T extends ClusterInput>(input: T & Exact<T, ClusterInput>): Cluster {
  const ports = input.ports ?? {};
  const poolNames = input.clients.map((pool) => pool.name);
  return {
    ...input,
    kind: 'drover.cluster',
    servers: { ...input.servers, count: input.servers.count ?? input.servers.hosts?.length ?? 0 },
    clients: input.clients.map((pool) => ({
      ...pool,
      nodePool: pool.nodePool ?? 'default',
      count: pool.count ?? pool.hosts?.length ?? pool.min ?? 0,
      meta: pool.meta ?? {},
      hostVolumes: pool.hostVolumes ?? {},
    })),
    versions: { prometheus: '2.53.2', nodeExporter: '1.8.2', ...input.versions },
    tls: input.tls.source === 'files' ? input.tls : { mount: 'pki', ttl: '720h', ...input.tls },
    seal: input.seal ?? { kind: 'shamir' },
    acls: input.acls ?? true,
    telemetry: { prometheus: true, collectionInterval: '10s', ...input.telemetry },
    fabio: { pools: poolNames, runAs: 'nomad-job', ...input.fabio },
    nodeExporter: { servers: true, pools: poolNames, runAs: 'nomad-job', ...input.nodeExporter },
    prometheus: { on: 'servers', ...input.prometheus },
    ports: {
      nomad: { ...DEFAULT_CLUSTER_PORTS.nomad, ...ports.nomad },
      consul: { ...DEFAULT_CLUSTER_PORTS.consul, ...ports.consul },
      vault: { ...DEFAULT_CLUSTER_PORTS.vault, ...ports.vault },
      prometheus: ports.prometheus ?? DEFAULT_CLUSTER_PORTS.prometheus,
      nodeExporter: ports.nodeExporter ?? DEFAULT_CLUSTER_PORTS.nodeExporter,
    },
  };
}

/** The secrets store product the cluster runs, from its versions. */
export function secretsStore(cluster: Pick<Cluster, 'versions'>): { readonly product: 'openbao' | 'vault'; readonly version: string } {
  if (cluster.versions.openbao !== undefined) return { product: 'openbao', version: cluster.versions.openbao };
  return { product: 'vault', version: cluster.versions.vault ?? '' };
}

export function isCluster(value: unknown): value is Cluster {
  return typeof value === 'object' && value !== null && (value as Cluster).kind === 'drover.cluster';
}
