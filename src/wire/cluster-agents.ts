/**
 * Agent, raft and node reads of Nomad, Consul, Vault/OpenBao, Fabio and Prometheus that
 * `drover cluster check` makes: the JSON exactly as the servers send it, only the fields drover
 * reads. Recorded from Nomad 2.0.5, Consul 1.8.7, OpenBao 2.x and Fabio 1.7.3 (the sandbox tests
 * in test/sandbox/cluster-reads.test.ts pin the same shapes). No logic here.
 */

/** One serf member of `GET /v1/agent/members` (Nomad: servers only; Consul: every LAN agent). */
export interface NomadAgentMember {
  /** `<node>.<region>`. */
  readonly Name: string;
  readonly Addr: string;
  readonly Port: number;
  /** `alive`, `leaving`, `left`, `failed`. */
  readonly Status: string;
  /** `build` is the version (`2.0.5`), `role` is `nomad`, `dc`, `region`. */
  readonly Tags: Readonly<Record<string, string>>;
}

/** `GET /v1/agent/members` (Nomad). */
export interface NomadAgentMembers {
  readonly ServerName: string;
  readonly ServerRegion: string;
  readonly ServerDC: string;
  readonly Members: readonly NomadAgentMember[];
}

/** The parts of Nomad's `GET /v1/agent/self` drover reads (lower-case top-level keys, as sent). */
export interface NomadAgentSelf {
  readonly config: { readonly Version: { readonly Version: string } };
  /** Flat string maps per subsystem; `serf.encrypted` is `"true"` when gossip is encrypted. */
  readonly stats: { readonly serf: Readonly<Record<string, string>> };
}

/** One server of `GET /v1/operator/raft/configuration` (Nomad). */
export interface NomadRaftServer {
  readonly ID: string;
  /** `<node>.<region>`. */
  readonly Node: string;
  /** RPC address, `10.0.0.1:4647`. */
  readonly Address: string;
  readonly Leader: boolean;
  readonly Voter: boolean;
}

export interface NomadRaftConfiguration {
  readonly Index: number;
  readonly Servers: readonly NomadRaftServer[];
}

/** A task driver as a client node fingerprinted it. */
export interface NomadDriverInfo {
  readonly Detected: boolean;
  readonly Healthy: boolean;
  readonly HealthDescription: string;
}

/** One element of `GET /v1/nodes`. */
export interface NomadNodeListStub {
  readonly ID: string;
  readonly Name: string;
  readonly Address: string;
  readonly Datacenter: string;
  readonly NodePool: string;
  readonly NodeClass: string;
  /** `ready`, `down`, `initializing`, `disconnected`. */
  readonly Status: string;
  readonly SchedulingEligibility: string;
  readonly Drain: boolean;
  readonly Version: string;
  readonly Drivers: Readonly<Record<string, NomadDriverInfo>>;
}

/** One element of `GET /v1/node/pools`. */
export interface NomadNodePool {
  readonly Name: string;
  readonly Description: string;
}

/** One key of `GET /.well-known/jwks.json` (Nomad's workload identity signing keys). */
export interface NomadJwk {
  readonly kid: string;
  readonly kty: string;
  readonly alg: string;
  readonly n: string;
  readonly e: string;
}

export interface NomadJwks {
  readonly keys: readonly NomadJwk[];
}

/** One element of Consul's `GET /v1/agent/members`; `Status` 1 = alive. */
export interface ConsulAgentMember {
  readonly Name: string;
  readonly Addr: string;
  readonly Port: number;
  readonly Status: number;
  /** `build` is `<version>:<revision>` (`1.8.7:`), `role` is `consul` on servers and `node` on clients. */
  readonly Tags: Readonly<Record<string, string>>;
}

/** The parts of Consul's `GET /v1/agent/self` drover reads. */
export interface ConsulAgentSelf {
  readonly Config: { readonly Datacenter: string; readonly NodeName: string; readonly Server: boolean; readonly Version: string };
  /** `serf_lan.encrypted` is `"true"` when gossip is encrypted. */
  readonly Stats: { readonly serf_lan: Readonly<Record<string, string>> };
}

/** One server of Consul's `GET /v1/operator/raft/configuration`. */
export interface ConsulRaftServer {
  readonly ID: string;
  readonly Node: string;
  readonly Address: string;
  readonly Leader: boolean;
  readonly Voter: boolean;
}

export interface ConsulRaftConfiguration {
  readonly Index: number;
  readonly Servers: readonly ConsulRaftServer[];
}

/**
 * The parts of a `jwt` auth method's `Config` drover reads (Consul 1.8.7 leaves out fields never
 * set: missing strings and lists arrive as `""` and `[]`).
 * @see https://developer.hashicorp.com/consul/docs/security/acl/auth-methods/jwt#config-parameters
 */
export interface ConsulJwtAuthMethodConfig {
  readonly JWKSURL: string;
  readonly JWTValidationPubKeys: readonly string[];
  readonly OIDCDiscoveryURL: string;
  readonly BoundAudiences: readonly string[];
}

/** Consul's `GET /v1/acl/auth-method/<name>` (the list endpoint leaves out `Config`). */
export interface ConsulAclAuthMethod {
  readonly Name: string;
  /** `jwt`, `kubernetes`, `oidc`. */
  readonly Type: string;
  readonly Config: ConsulJwtAuthMethodConfig;
}

/** One element of Consul's `GET /v1/acl/binding-rules?authmethod=<name>`. */
export interface ConsulAclBindingRule {
  readonly ID: string;
  readonly AuthMethod: string;
  readonly Selector: string;
  /** `service`, `node` or `role` (Consul 1.17 adds `policy`). */
  readonly BindType: string;
  readonly BindName: string;
}

/** `data` of `GET /v1/auth/<mount>/config` of a JWT auth method (Vault and OpenBao). */
export interface VaultJwtAuthConfig {
  readonly jwks_url: string;
  readonly jwt_validation_pubkeys: readonly string[];
  readonly oidc_discovery_url: string;
  readonly bound_issuer: string;
  readonly jwt_supported_algs: readonly string[];
  readonly default_role: string;
}

/** One route of Fabio's `GET /api/routes` on its UI port (the body is `null` when there is none). */
export interface FabioRoute {
  readonly service: string;
  readonly host: string;
  readonly path: string;
  readonly dst: string;
  readonly weight: number;
}

/** One active target of Prometheus's `GET /api/v1/targets`. */
export interface PrometheusTarget {
  readonly labels: Readonly<Record<string, string>>;
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  /** `up`, `down`, `unknown`. */
  readonly health: string;
  readonly lastError: string;
}
