/**
 * What every Consul handler shares: the stores, the clock, the ACL configuration and the request
 * being answered.
 */
import type { IncomingMessage } from 'node:http';
import type { SandboxClock } from '../types.ts';
import type { Authorizer, ConsulAclConfig } from './acl.ts';
import type { BlockingDeps } from './blocking.ts';
import type { Catalog } from './catalog-store.ts';
import type { KvStore } from './kv-store.ts';
import type { Raft } from './raft.ts';
import type { SessionStore } from './session-store.ts';

/** The simulated agent, which is also the (single) server. */
export interface ConsulContext extends BlockingDeps {
  readonly raft: Raft;
  readonly clock: SandboxClock;
  readonly kv: KvStore;
  readonly sessions: SessionStore;
  readonly catalog: Catalog;
  readonly acl: ConsulAclConfig | undefined;
  readonly datacenter: string;
  /** The agent's own node. */
  readonly nodeName: string;
}

/** One request, parsed once. */
export interface ConsulRequest {
  readonly method: string;
  readonly url: URL;
  readonly body: Buffer;
  readonly headers: IncomingMessage['headers'];
  /** `undefined` when the token is unknown (`403 ACL not found`). */
  readonly authorizer: Authorizer | undefined;
}
