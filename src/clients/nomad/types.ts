/**
 * The Nomad client's public surface: only the calls drover makes, grouped by resource.
 * @see https://developer.hashicorp.com/nomad/api-docs
 */
import type { NomadJob } from '../../wire/nomad-job.ts';
import type * as W from '../../wire/nomad-api.ts';
import type * as A from '../../wire/cluster-agents.ts';
import type { TlsOptions } from '../http/agents.ts';
import type { GoDuration } from '../http/go-duration.ts';
import type { RetryListener, RetryPolicy } from '../retry.ts';
import type { EventStreamOptions, NomadEventStream } from './events.ts';
import type { LogsOptions, NomadLogStream } from './logs.ts';

/** How to reach one Nomad region. Built by cli/ from `NOMAD_ADDR`, `NOMAD_TOKEN`, `NOMAD_NAMESPACE`, `NOMAD_REGION`, `NOMAD_CACERT`, `NOMAD_CLIENT_CERT`, `NOMAD_CLIENT_KEY`. */
export interface NomadClientOptions extends TlsOptions {
  /** Base URL of a Nomad agent, without `/v1`, e.g. `https://nomad.qa.internal:4646`. */
  readonly address: string;
  /** ACL token (SecretID), sent as `X-Nomad-Token`; never appears in errors or events. @default anonymous */
  readonly token?: string;
  /** Sent as `?namespace=` on every call. @default the agent's (`default`) */
  readonly namespace?: string;
  /** Sent as `?region=` on every call; Nomad forwards to that region. @default the agent's */
  readonly region?: string;
  /** Per-request timeout; blocking reads get their `wait` (plus Nomad's wait/16 jitter) on top. @default 10000 */
  readonly timeoutMs?: number;
  /** Retry policy for GETs. Writes are never retried. */
  readonly retry?: RetryPolicy;
  /** Told before each retry of a read. */
  readonly onRetry?: RetryListener;
}

/** Options of every call. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  readonly timeoutMs?: number;
}

/** Options of reads that support blocking queries. @see https://developer.hashicorp.com/nomad/api-docs#blocking-queries */
export interface ReadOptions extends CallOptions {
  /** `index` of a previous answer: Nomad holds the request until its index moves past it or `wait` passes. 0 does not block. */
  readonly index?: number;
  /** Longest hold; Nomad caps it at 5m (its docs say 10m; the code says 5), and so does this client. @default "5m" */
  readonly wait?: GoDuration;
}

/** A read's value with the `X-Nomad-Index` to pass as `index` for the next blocking read. */
export interface Indexed<T> {
  readonly value: T;
  readonly index: number;
}

/** `jobs.register` options. @see https://developer.hashicorp.com/nomad/api-docs/jobs#create-job */
export interface RegisterOptions extends CallOptions {
  /** Check-and-set on the job's `JobModifyIndex` (from `plan` or `read`); `0` = the job must not exist. Refusal → `NomadCheckIndexConflict`. */
  readonly enforceIndex?: number;
  /** Keep the running group counts (autoscaled services). @default false */
  readonly preserveCounts?: boolean;
  /** The source shown in Nomad's UI and `jobs.submission`; informational only. */
  readonly submission?: { readonly source: string; readonly format: 'json' | 'hcl2'; readonly variableFlags?: Readonly<Record<string, string>>; readonly variables?: string };
}

/** `deployments.promote` target: all groups, or the named ones. */
export type PromoteTarget = { readonly all: true } | { readonly groups: readonly string[] };

/** The Nomad calls drover makes. Every failure is an `ApiError` with `service: 'nomad'`. */
export interface NomadClient {
  /** @see https://developer.hashicorp.com/nomad/api-docs/jobs */
  readonly jobs: {
    register(job: NomadJob, opts?: RegisterOptions): Promise<W.NomadJobRegisterResponse>;
    /** Dry run; `JobModifyIndex` of the answer is what to pass as `enforceIndex`. */
    plan(job: NomadJob, opts?: CallOptions & { readonly diff?: boolean }): Promise<W.NomadJobPlanResponse>;
    read(id: string, opts?: ReadOptions): Promise<Indexed<W.NomadJobRead>>;
    list(opts?: ReadOptions & { readonly prefix?: string; readonly meta?: boolean }): Promise<Indexed<W.NomadJobListStub[]>>;
    versions(id: string, opts?: ReadOptions & { readonly diffs?: boolean }): Promise<Indexed<W.NomadJobVersionsResponse>>;
    /** Revert to `version` (resolve a version tag to a number first: Nomad ignores `TaggedVersion`). */
    revert(id: string, version: number, opts?: CallOptions & { readonly enforcePriorVersion?: number }): Promise<W.NomadJobRegisterResponse>;
    /** Marks a version stable; answers the Raft index. */
    setStable(id: string, version: number, stable: boolean, opts?: CallOptions): Promise<{ readonly index: number }>;
    deregister(id: string, opts?: CallOptions & { readonly purge?: boolean }): Promise<W.NomadJobDeregisterResponse>;
    /** Unknown job → `[]` (Nomad answers 200, not 404). */
    allocations(id: string, opts?: ReadOptions): Promise<Indexed<W.NomadAllocListStub[]>>;
    evaluations(id: string, opts?: ReadOptions): Promise<Indexed<W.NomadEvaluation[]>>;
    /** Newest first (sorted by `CreateIndex` here: Nomad guarantees no order). */
    deployments(id: string, opts?: ReadOptions): Promise<Indexed<W.NomadDeployment[]>>;
    /** The latest deployment, `null` when there is none (Nomad: 200 with body `null`). */
    latestDeployment(id: string, opts?: ReadOptions): Promise<Indexed<W.NomadDeployment | null>>;
    summary(id: string, opts?: ReadOptions): Promise<Indexed<W.NomadJobSummary>>;
    scaleStatus(id: string, opts?: ReadOptions): Promise<Indexed<W.NomadJobScaleStatus>>;
    /** 400 while a deployment is active (`job scaling blocked due to active deployment`). */
    scale(id: string, group: string, count: number, message: string, opts?: CallOptions): Promise<W.NomadJobRegisterResponse>;
    submission(id: string, version: number, opts?: CallOptions): Promise<W.NomadJobSubmission>;
  };
  /** @see https://developer.hashicorp.com/nomad/api-docs/deployments */
  readonly deployments: {
    read(id: string, opts?: ReadOptions): Promise<Indexed<W.NomadDeployment>>;
    list(opts?: ReadOptions & { readonly prefix?: string }): Promise<Indexed<W.NomadDeployment[]>>;
    allocations(id: string, opts?: ReadOptions): Promise<Indexed<W.NomadAllocListStub[]>>;
    /** Unhealthy canaries → 500 `Task group "web" has 0/2 healthy allocations`; unknown id → 500 `deployment not found`. */
    promote(id: string, target: PromoteTarget, opts?: CallOptions): Promise<W.NomadDeploymentUpdateResponse>;
    /** May auto-revert: see `RevertedJobVersion`. */
    fail(id: string, opts?: CallOptions): Promise<W.NomadDeploymentUpdateResponse>;
    /** Only for `health_check = "manual"` groups. */
    setAllocHealth(id: string, health: { readonly healthy?: readonly string[]; readonly unhealthy?: readonly string[] }, opts?: CallOptions): Promise<W.NomadDeploymentUpdateResponse>;
  };
  /** @see https://developer.hashicorp.com/nomad/api-docs/evaluations */
  readonly evaluations: {
    read(id: string, opts?: ReadOptions): Promise<Indexed<W.NomadEvaluation>>;
    allocations(id: string, opts?: ReadOptions): Promise<Indexed<W.NomadAllocListStub[]>>;
  };
  /** @see https://developer.hashicorp.com/nomad/api-docs/allocations */
  readonly allocations: {
    /** The full allocation (Nomad omits empty fields; they read as zero values here). */
    read(id: string, opts?: ReadOptions): Promise<Indexed<W.NomadAllocation>>;
    list(opts?: ReadOptions & { readonly prefix?: string; readonly filter?: string }): Promise<Indexed<W.NomadAllocListStub[]>>;
    /**
     * A task's stdout or stderr (client filesystem API, through any agent); resolves once Nomad
     * answered: 404 unknown allocation or task not started, 403 without `read-logs`. See logs.ts.
     * @see https://developer.hashicorp.com/nomad/api-docs/client#stream-logs
     */
    logs(id: string, opts: LogsOptions): Promise<NomadLogStream>;
  };
  /** @see https://developer.hashicorp.com/nomad/api-docs/events */
  readonly events: {
    /** The event stream as batches and heartbeats; see events.ts. */
    stream(opts: EventStreamOptions): NomadEventStream;
  };
  /** @see https://developer.hashicorp.com/nomad/api-docs/status */
  readonly status: {
    /** RPC address of the leader (`"10.0.0.1:4647"`), `""` when there is none. */
    leader(opts?: CallOptions): Promise<string>;
  };
  /** @see https://developer.hashicorp.com/nomad/api-docs/regions */
  regions(opts?: CallOptions): Promise<string[]>;
  /** @see https://developer.hashicorp.com/nomad/api-docs/namespaces */
  namespaces(opts?: CallOptions): Promise<W.NomadNamespace[]>;
  /** JSON metrics (gauges, counters, samples). @see https://developer.hashicorp.com/nomad/api-docs/metrics */
  metrics(opts?: CallOptions): Promise<W.NomadMetrics>;
  /** @see https://developer.hashicorp.com/nomad/api-docs/agent */
  readonly agent: {
    /** Serf members: the servers of every region, with their version in `Tags.build`. */
    members(opts?: CallOptions): Promise<A.NomadAgentMembers>;
    /** The answering agent's version and gossip state (`stats.serf.encrypted`). */
    self(opts?: CallOptions): Promise<A.NomadAgentSelf>;
  };
  /** @see https://developer.hashicorp.com/nomad/api-docs/operator/raft */
  readonly operator: {
    /** Raft peers; needs `operator:read`. */
    raftConfiguration(opts?: CallOptions): Promise<A.NomadRaftConfiguration>;
  };
  /** @see https://developer.hashicorp.com/nomad/api-docs/nodes */
  readonly nodes: {
    /** Client nodes with their drivers' health; needs `node:read`. */
    list(opts?: CallOptions): Promise<A.NomadNodeListStub[]>;
  };
  /** @see https://developer.hashicorp.com/nomad/api-docs/node-pools */
  readonly nodePools: {
    list(opts?: CallOptions): Promise<A.NomadNodePool[]>;
  };
  /** Public keys that sign workload identities (unauthenticated). @see https://developer.hashicorp.com/nomad/api-docs/operator/keyring#list-active-public-keys */
  jwks(opts?: CallOptions): Promise<A.NomadJwks>;
  /** Frees the keep-alive sockets; the client must not be used afterwards. */
  close(): void;
}
