/**
 * What the sandbox pretends the cluster is made of, for the agent, raft, node and scrape reads
 * (`drover cluster check`): servers, client nodes with their drivers, versions, whether ACLs and
 * gossip encryption are on, Vault's seal, Fabio's health, Prometheus targets that are down.
 * Tests set it to match a cluster definition and then break one point at a time
 * (`PUT /_sandbox/cluster`, `sandbox.cluster.set()`). The three simulated scheduling nodes stay
 * what they are; the shape only changes what these reads answer.
 */

/** One client node as `GET /v1/nodes` lists it. */
export interface SandboxClientNode {
  readonly name: string;
  /** @default "default" */
  readonly nodePool?: string;
  /** @default "dc1" */
  readonly datacenter?: string;
  /** @default "" */
  readonly nodeClass?: string;
  /** Drivers detected and healthy; any other is listed as not detected. */
  readonly drivers: readonly string[];
  /** Drivers detected but unhealthy, with Nomad's description. @default {} */
  readonly unhealthyDrivers?: Readonly<Record<string, string>>;
  /** @default "ready" */
  readonly status?: 'ready' | 'down' | 'initializing' | 'disconnected';
}

export interface SandboxClusterShape {
  /** @default "global" */
  readonly region: string;
  readonly datacenter: string;
  /** Server node names; each is a Nomad server, a Consul server and a Vault peer. */
  readonly servers: readonly string[];
  /** Servers that left raft (listed as members with status failed, not peers). @default [] */
  readonly serversOutOfRaft: readonly string[];
  readonly clients: readonly SandboxClientNode[];
  readonly versions: { readonly nomad: string; readonly consul: string; readonly vault: string };
  /** Agents at another version than `versions`, by product and node name. @default none */
  readonly versionOverrides: { readonly nomad?: Readonly<Record<string, string>>; readonly consul?: Readonly<Record<string, string>> };
  /** Node pools besides `all` and `default` (clients' pools are added). @default [] */
  readonly nodePools: readonly string[];
  /** Whether a request without a token is refused. */
  readonly acls: { readonly nomad: boolean; readonly consul: boolean };
  readonly gossipEncrypted: { readonly nomad: boolean; readonly consul: boolean };
  /** Whether there is a raft leader. @default both true */
  readonly leaders: { readonly nomad: boolean; readonly consul: boolean };
  readonly vaultSealed: boolean;
  readonly fabioUp: boolean;
  /** `job/instance` of Prometheus targets that are down (e.g. `nomad/server-1`). @default [] */
  readonly targetsDown: readonly string[];
}

/** What one `PUT /_sandbox/cluster` may change: any top-level part. */
export type SandboxClusterPatch = Partial<SandboxClusterShape>;

/** The shape of a sandbox nobody configured: one dev server, the three simulated clients. */
export function defaultClusterShape(clients: readonly { Name: string; Datacenter: string; NodePool: string }[], acls: boolean): SandboxClusterShape {
  return {
    region: 'global',
    datacenter: clients[0]?.Datacenter ?? 'dc1',
    servers: ['sandbox'],
    serversOutOfRaft: [],
    clients: clients.map((c) => ({ name: c.Name, datacenter: c.Datacenter, nodePool: c.NodePool, drivers: ['docker', 'exec', 'raw_exec'] })),
    versions: { nomad: '2.0.5', consul: '1.8.7', vault: '1.21.0' },
    versionOverrides: {},
    nodePools: [],
    acls: { nomad: acls, consul: false },
    gossipEncrypted: { nomad: false, consul: false },
    leaders: { nomad: true, consul: true },
    vaultSealed: false,
    fabioUp: true,
    targetsDown: [],
  };
}
