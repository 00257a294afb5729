/**
 * Consul's JSON as its HTTP API sends it: PascalCase Go field names, exactly as on the wire. Only
 * the fields drover reads. No logic here. Source: shared/reference/consul.md, checked against a
 * real Consul 1.8.7 agent (test/integration/consul-client.test.ts).
 */

/** `GET /v1/catalog/services`: service name → union of tags across instances (`[]` when none). */
export type ConsulServiceTags = Record<string, string[]>;

/** One element of `GET /v1/catalog/service/:name` (unknown service → `200 []`). */
export interface ConsulCatalogService {
  /** Node ID. */
  ID: string;
  Node: string;
  /** Node address; use it when `ServiceAddress` is `""`. */
  Address: string;
  Datacenter: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags: string[];
  /** May be `""`: the instance listens on the node's `Address`. */
  ServiceAddress: string;
  ServicePort: number;
  ServiceMeta: Record<string, string>;
  CreateIndex: number;
  ModifyIndex: number;
}

/** `Node` of a `GET /v1/health/service/:name` entry. */
export interface ConsulHealthNode {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
}

/** `Service` of a `GET /v1/health/service/:name` entry (the name is in `Service`, not `Name`). */
export interface ConsulAgentService {
  ID: string;
  Service: string;
  Tags: string[];
  /** May be `""`: use the node's `Address`. */
  Address: string;
  Port: number;
  Meta: Record<string, string>;
}

/** Check status; maintenance shows up as `critical` with CheckID `_node_maintenance` / `_service_maintenance:<id>`. */
export type ConsulCheckStatus = 'passing' | 'warning' | 'critical';

/** A health check, node-level (`ServiceID: ""`, e.g. CheckID `serfHealth`) or service-level. */
export interface ConsulHealthCheck {
  Node: string;
  CheckID: string;
  Name: string;
  Status: ConsulCheckStatus;
  Notes: string;
  Output: string;
  ServiceID: string;
  ServiceName: string;
}

/** One element of `GET /v1/health/service/:name`. */
export interface ConsulServiceEntry {
  Node: ConsulHealthNode;
  Service: ConsulAgentService;
  Checks: ConsulHealthCheck[];
}

/**
 * One element of `GET /v1/kv/:key` (an array even for a single key; `404` with an empty body when
 * the key is missing).
 */
export interface ConsulKvPair {
  Key: string;
  /** Base64 of the raw bytes; `null` when the stored value is empty. */
  Value: string | null;
  Flags: number;
  CreateIndex: number;
  ModifyIndex: number;
  /** Incremented each time a session acquires the key; kept on release. */
  LockIndex: number;
  /** Present only while a session holds the lock. */
  Session?: string;
}

/** `PUT /v1/session/create` answer. */
export interface ConsulSessionCreated {
  ID: string;
}

/** What happens to a session's locked keys when it is invalidated. */
export type ConsulSessionBehavior = 'release' | 'delete';

/**
 * One element of `GET /v1/session/info/:id` and `PUT /v1/session/renew/:id`.
 * Units differ: `LockDelay` comes back as integer nanoseconds, `TTL` as a duration string (`"10s"`).
 */
export interface ConsulSession {
  ID: string;
  Name: string;
  Node: string;
  /** Integer nanoseconds (15000000000 for the default 15s), although it was sent as `"15s"`. */
  LockDelay: number;
  Behavior: ConsulSessionBehavior;
  /** `""` for a session without TTL. */
  TTL: string;
  /** Consul ≥ 1.7; defaults to `["serfHealth"]`. */
  NodeChecks: string[] | null;
  CreateIndex: number;
  ModifyIndex: number;
}

/** `PUT /v1/session/create` body (all fields optional on Consul's side). */
export interface ConsulSessionCreateRequest {
  Name?: string;
  /** Duration string, 10s–86400s. */
  TTL?: string;
  Behavior?: ConsulSessionBehavior;
  /** Duration string; a bare number is nanoseconds, and numbers below 1000 are seconds. */
  LockDelay?: string;
  /** Deprecated alias of `NodeChecks`; supplying it replaces the default `["serfHealth"]`. */
  Checks?: string[];
}
