/**
 * The sandbox's Consul: the subset of the agent HTTP API that drover, Fabio and Nomad use — KV with
 * CAS and session locks, sessions with TTLs and lock-delay, catalog and health reads, the agent
 * calls Fabio makes — with blocking queries on every read and optional ACL tokens. Shapes, status
 * codes and error texts are those of a real Consul 1.8.7 agent (test/contract/consul-oracle.test.ts
 * runs the same calls against both), which are also what clients of 1.8–1.22 accept.
 *
 * Besides HTTP, the Nomad simulator registers the services of running allocations through the
 * {@link ConsulCatalogSink} half of the returned object.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxClock, SandboxService } from '../types.ts';
import { resolveToken, type ConsulAclConfig } from './acl.ts';
import { handleAgent } from './agent-http.ts';
import { SANDBOX_CONSUL_VERSION } from './agent-self.ts';
import { handleCatalog } from './catalog-http.ts';
import { Catalog, type ConsulCheckStatus } from './catalog-store.ts';
import type { ConsulContext } from './context.ts';
import { empty, requestToken, send, text } from './http.ts';
import { handleKv } from './kv-http.ts';
import { KvStore } from './kv-store.ts';
import { createRaft } from './raft.ts';
import { handleSession } from './session-http.ts';
import { SessionStore } from './session-store.ts';

export type { ConsulAclConfig, ConsulAclPolicy, ConsulAclRules, ConsulSandboxToken } from './acl.ts';
export type { ConsulCheckStatus } from './catalog-store.ts';

/** A service instance as the Nomad simulator registers it (what Nomad sends to the agent). */
export interface ConsulServiceRegistration {
  /** Unique across the sandbox, e.g. Nomad's `_nomad-task-<allocID>-<task>-<service>-<port>`. */
  readonly id: string;
  readonly name: string;
  readonly tags?: readonly string[];
  /** `""` (the default) means "the node's address", as in Consul. */
  readonly address?: string;
  readonly port?: number;
  /** Omitted: health answers show `Meta: null`, as for an agent registration without meta. */
  readonly meta?: Readonly<Record<string, string>>;
  readonly checks?: readonly {
    readonly id: string;
    readonly name: string;
    readonly status: ConsulCheckStatus;
    readonly output?: string;
    /** Consul's check `Type` (`http`, `tcp`, `ttl`, `script`, `grpc`). @default "" */
    readonly type?: string;
  }[];
  /** The client node: a name, or a name with address/ID. Unknown nodes are registered on the fly. @default the agent's node */
  readonly node?: string | { readonly name: string; readonly address?: string; readonly id?: string };
}

/** The catalog API the Nomad simulator drives. */
export interface ConsulCatalogSink {
  /** Registers (or replaces, keeping `CreateIndex`) a service instance and its checks. */
  registerService(service: ConsulServiceRegistration): void;
  /** Sets a check's status; `false` when the service or check is unknown. */
  setCheckStatus(serviceId: string, checkId: string, status: ConsulCheckStatus): boolean;
  /** Removes a service instance and its checks; `false` when unknown. */
  deregisterService(id: string): boolean;
}

/** The simulated Consul agent. */
export interface ConsulSandbox extends SandboxService, ConsulCatalogSink {
  readonly name: 'consul';
}

/** What the sandbox's Consul is built from. */
export interface ConsulServiceOptions {
  readonly clock: SandboxClock;
  /** @default "dc1" */
  readonly datacenter?: string;
  /** The agent's node name. @default "sandbox" */
  readonly nodeName?: string;
  /** ACL tokens; without them the agent behaves as with ACLs disabled (tokens are ignored). */
  readonly acl?: ConsulAclConfig;
}

/** Creates the simulated Consul agent. */
export function createConsulService(options: ConsulServiceOptions): ConsulSandbox {
  const raft = createRaft();
  const kv = new KvStore(raft);
  const catalog = new Catalog(raft, options.clock);
  const ctx: ConsulContext = {
    raft,
    clock: options.clock,
    kv,
    sessions: new SessionStore(raft, options.clock, kv),
    catalog,
    acl: options.acl,
    datacenter: options.datacenter ?? 'dc1',
    nodeName: options.nodeName ?? 'sandbox',
    pending: new Set(),
  };
  catalog.ensureNode(ctx.nodeName, '127.0.0.1', randomUUID());
  catalog.registerService(
    { node: ctx.nodeName, id: 'consul', name: 'consul', tags: [], address: '', port: 8300, meta: serverMeta() },
    [],
  );

  return {
    name: 'consul',
    handle: (req, res, url, body) => handle(ctx, req, res, url, body),
    close: () => {
      for (const answer of [...ctx.pending]) answer();
      ctx.sessions.close();
      catalog.close();
    },
    registerService: (service) => {
      const node = typeof service.node === 'string' ? { name: service.node } : (service.node ?? { name: ctx.nodeName });
      catalog.ensureNode(node.name, node.address ?? '127.0.0.1', node.id ?? randomUUID());
      const checks = (service.checks ?? []).map((c) => ({ checkId: c.id, name: c.name, status: c.status, notes: '', output: c.output ?? '', type: c.type ?? '' }));
      const spec = { node: node.name, id: service.id, name: service.name, tags: [...(service.tags ?? [])], address: service.address ?? '', port: service.port ?? 0 };
      catalog.registerService({ ...spec, meta: service.meta ? { ...service.meta } : null }, checks);
    },
    setCheckStatus: (serviceId, checkId, status) => catalog.getService(serviceId) !== undefined && catalog.updateCheck(checkId, status, undefined, serviceId),
    deregisterService: (id) => catalog.deregisterService(id),
  };
}

function handle(ctx: ConsulContext, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void {
  const dc = url.searchParams.get('dc');
  if (dc && dc !== ctx.datacenter && !url.pathname.startsWith('/v1/agent/')) return send(res, text(500, 'No path to datacenter'));
  const request = {
    method: req.method ?? 'GET',
    url,
    body,
    headers: req.headers,
    authorizer: resolveToken(ctx.acl, requestToken(req.headers, url)),
  };
  if (url.pathname.startsWith('/v1/kv/')) return handleKv(ctx, request, res);
  if (handleSession(ctx, request, res) || handleCatalog(ctx, request, res) || handleAgent(ctx, request, res)) return;
  // Consul's mux answers unknown paths with an empty 404.
  send(res, empty(404));
}

/** The `consul` service's meta on a dev server. */
function serverMeta(): Record<string, string> {
  return {
    non_voter: 'false',
    raft_version: '3',
    serf_protocol_current: '2',
    serf_protocol_max: '5',
    serf_protocol_min: '1',
    version: SANDBOX_CONSUL_VERSION,
  };
}
