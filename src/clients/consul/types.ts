/**
 * The Consul client's public surface: only the calls drover makes, grouped by resource.
 * @see https://developer.hashicorp.com/consul/api-docs
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { ConsulCatalogService, ConsulServiceEntry, ConsulServiceTags, ConsulSession, ConsulSessionBehavior } from '../../wire/consul.ts';
import type * as A from '../../wire/cluster-agents.ts';
import type { RetryListener, RetryPolicy } from '../retry.ts';

/** A Go duration string as Consul parses it: `"10s"`, `"250ms"`, `"1m30s"`. */
export type ConsulDuration = `${number}${DurationUnit}` | `${number}${DurationUnit}${number}${DurationUnit}`;
type DurationUnit = 'ns' | 'us' | 'ms' | 's' | 'm' | 'h';

/** How to reach one Consul agent. Built by `cli/` from `CONSUL_HTTP_ADDR`, `CONSUL_HTTP_TOKEN`, `CONSUL_CACERT`. */
export interface ConsulClientOptions {
  /** Base URL of a Consul agent, without `/v1`, e.g. `https://consul.qa.internal:8501`. */
  readonly address: string;
  /** ACL token, sent as `X-Consul-Token`; never appears in errors or events. @default the agent's default token */
  readonly token?: string;
  /** PEM text of the CA that signed the agent's certificate (the file `CONSUL_CACERT` names). */
  readonly caCert?: string | Buffer;
  /** Per-request timeout; blocking reads get their `wait` (plus Consul's wait/16 jitter) on top. @default 10000 */
  readonly timeoutMs?: number;
  /** Retry policy for reads (GET). Writes are never retried. */
  readonly retry?: RetryPolicy;
  /** Told before each retry of a read. */
  readonly onRetry?: RetryListener;
  /** HTTP(S) agent to use instead of node-consul's own keep-alive agent (proxies, client certs, pooling). */
  readonly agent?: HttpAgent | HttpsAgent;
}

/** Options of every read. With `index`, the read is a blocking query. @see https://developer.hashicorp.com/consul/api-docs/features/blocking */
export interface ReadOptions {
  /**
   * `X-Consul-Index` of a previous answer: Consul holds the request until the index moves past it
   * or `wait` passes (then it answers unchanged). 0 does not block.
   */
  readonly index?: number;
  /** Longest time Consul may hold a blocking query; max 10m. @default "5m" (Consul's) */
  readonly wait?: ConsulDuration;
  readonly signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  readonly timeoutMs?: number;
}

/** Options of every write. */
export interface WriteOptions {
  readonly signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  readonly timeoutMs?: number;
}

/** A read's value with the `X-Consul-Index` to pass as `index` for the next blocking read. */
export interface Indexed<T> {
  readonly value: T;
  readonly index: number;
}

/** `kv.get`: the decoded value plus what a check-and-set or a lock holder check needs. */
export interface KvRead extends Indexed<string | null> {
  /** The key's `ModifyIndex`, 0 when it is missing: pass it as `cas` to write only if unchanged. */
  readonly modifyIndex: number;
  /** Session holding the key's lock, if any. */
  readonly session: string | undefined;
}

/** One key of `kv.list`, with its value decoded from base64 as UTF-8 (`""` for an empty value). */
export interface KvEntry {
  readonly key: string;
  readonly value: string;
  readonly flags: number;
  readonly createIndex: number;
  readonly modifyIndex: number;
  readonly lockIndex: number;
  readonly session: string | undefined;
}

/** `kv.set` options; Consul rejects combinations of `cas`, `acquire` and `release` with a 400. */
export interface KvSetOptions extends WriteOptions {
  /** Write only if the key's ModifyIndex equals this; 0 = only if the key does not exist. */
  readonly cas?: number;
  /** Write only if this session gets (or already holds) the key's lock. */
  readonly acquire?: string;
  /** Release this session's lock; the value written replaces the key's value. */
  readonly release?: string;
}

/** `kv.delete` options. */
export interface KvDeleteOptions extends WriteOptions {
  /** Delete only if the ModifyIndex equals this (0 never deletes). Not combinable with `recurse`. */
  readonly cas?: number;
  /** Delete every key under the prefix. */
  readonly recurse?: boolean;
}

/** `sessions.create` input. @see https://developer.hashicorp.com/consul/api-docs/session#create-session */
export interface SessionCreateOptions extends WriteOptions {
  readonly name: string;
  /** Invalidated unless renewed within this; 10s–86400s. @default no TTL */
  readonly ttl?: ConsulDuration;
  /** What happens to held keys on invalidation. @default "release" */
  readonly behavior?: ConsulSessionBehavior;
  /** How long a released lock stays unacquirable after invalidation. @default "15s" */
  readonly lockDelay?: ConsulDuration;
  /** Node checks tying the session to node health; `[]` for a session bound only to its TTL. @default ["serfHealth"] */
  readonly checks?: readonly string[];
}

/** The Consul calls drover makes. Every failure is an `ApiError` with `service: 'consul'`. */
export interface ConsulClient {
  readonly catalog: {
    /** All service names with their tags. */
    services(opts?: ReadOptions): Promise<Indexed<ConsulServiceTags>>;
    /** Instances of one service, healthy or not (unknown service → `[]`). */
    service(name: string, opts?: ReadOptions): Promise<Indexed<ConsulCatalogService[]>>;
  };
  readonly health: {
    /** Instances with their checks; `passingOnly` keeps those whose every check, node checks included, passes. */
    service(name: string, opts?: ReadOptions & { readonly passingOnly?: boolean }): Promise<Indexed<ConsulServiceEntry[]>>;
  };
  readonly kv: {
    /** One key; `value: null` when it does not exist (Consul's 404 with an empty body). */
    get(key: string, opts?: ReadOptions): Promise<KvRead>;
    /** Key names under a prefix (`[]` when none); with `separator`, stops at it (`"dir/"`). */
    keys(prefix: string, opts?: ReadOptions & { readonly separator?: string }): Promise<Indexed<string[]>>;
    /** Every key under a prefix, values decoded (`[]` when none). */
    list(prefix: string, opts?: ReadOptions): Promise<Indexed<KvEntry[]>>;
    /** Writes a value; `false` (not an error) when a `cas` or `acquire` condition fails. */
    set(key: string, value: string, opts?: KvSetOptions): Promise<boolean>;
    /** Deletes a key or prefix; `false` when a `cas` condition fails. */
    delete(key: string, opts?: KvDeleteOptions): Promise<boolean>;
  };
  readonly sessions: {
    /** Creates a session and returns its ID. */
    create(opts: SessionCreateOptions): Promise<string>;
    /** Extends a TTL session; 404 ApiError when it has expired. Consul may answer with a longer TTL. */
    renew(id: string, opts?: WriteOptions): Promise<ConsulSession>;
    /** Destroys a session, releasing (or deleting) its keys. Unknown IDs are fine. */
    destroy(id: string, opts?: WriteOptions): Promise<void>;
    /** The session, or `null` when it does not exist (any more). */
    info(id: string, opts?: ReadOptions): Promise<Indexed<ConsulSession | null>>;
  };
  readonly locks: {
    /** Takes the lock on `key` for `sessionId`, writing `value` (holder info); `false` when someone else holds it. */
    acquire(key: string, sessionId: string, value: string, opts?: WriteOptions): Promise<boolean>;
    /**
     * Releases the lock. Consul writes the request body as the key's new value, so pass the value
     * to keep (it defaults to `""`). `false` when `sessionId` does not hold the lock.
     */
    release(key: string, sessionId: string, value?: string, opts?: WriteOptions): Promise<boolean>;
  };
  /** @see https://developer.hashicorp.com/consul/api-docs/agent */
  readonly agent: {
    /** LAN members (servers and clients) with their version in `Tags.build`; needs `node:read` (filtered otherwise). */
    members(opts?: ReadOptions): Promise<A.ConsulAgentMember[]>;
    /** The answering agent's configuration and gossip state (`Stats.serf_lan.encrypted`); needs `agent:read`. */
    self(opts?: ReadOptions): Promise<A.ConsulAgentSelf>;
  };
  /** @see https://developer.hashicorp.com/consul/api-docs/status */
  readonly status: {
    /** RPC address of the leader (`"10.0.0.1:8300"`), `""` when there is none. Unauthenticated. */
    leader(opts?: ReadOptions): Promise<string>;
  };
  /** @see https://developer.hashicorp.com/consul/api-docs/operator/raft */
  readonly operator: {
    /** Raft peers; needs `operator:read`. */
    raftConfiguration(opts?: ReadOptions): Promise<A.ConsulRaftConfiguration>;
  };
  /** Reads need a token with `acl = "read"`; with ACLs off Consul answers 401 `ACL support disabled`. @see https://developer.hashicorp.com/consul/api-docs/acl */
  readonly acl: {
    /** One auth method with its `Config`, or `null` when none has that name (Consul's empty 404). */
    authMethod(name: string, opts?: ReadOptions): Promise<A.ConsulAclAuthMethod | null>;
    /** The binding rules of one auth method (`[]` for an unknown method). */
    bindingRules(authMethod: string, opts?: ReadOptions): Promise<A.ConsulAclBindingRule[]>;
  };
  /** Frees the keep-alive sockets; the client must not be used afterwards. */
  close(): void;
}
