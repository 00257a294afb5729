/**
 * The one file that imports the `consul` npm package (node-consul v2, built on `papi`). It states,
 * as a narrow interface, exactly which of the package's calls drover makes and with which options,
 * because the package's own typings omit the options we rely on (`ctx`, `timeout`, `index`,
 * `wait`, `baseUrl`, `headers`) and type results loosely. Results stay `unknown` until narrow.ts.
 */
import { EventEmitter } from 'node:events';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import Consul from 'consul';

/**
 * papi's per-request context. node-consul's only way to hand back response headers (we need
 * `X-Consul-Index`) is `ctx.includeResponse`, which turns every result into `[response, body]`;
 * papi aborts the request when the context emits `cancel`, which is how AbortSignal is honoured.
 * papi only looks at a ctx that is an EventEmitter, hence the class.
 */
export class RequestContext extends EventEmitter {
  readonly includeResponse = true;
}

/** Options papi and node-consul read on every call; `timeout` is milliseconds. */
export interface CallOptions {
  readonly ctx: RequestContext;
  readonly timeout?: number;
}

/** Blocking-query options as node-consul copies them into the query string. */
export interface BlockingQuery {
  readonly index?: string;
  readonly wait?: string;
}

/** A raw papi request, used where node-consul's helper would rewrite the wire JSON. */
export interface PapiRequest extends CallOptions {
  readonly name: string;
  readonly path: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
}

/** The subset of node-consul that drover calls. Every result is narrowed before use. */
export interface ConsulPackage {
  readonly catalog: {
    readonly service: {
      list(opts: CallOptions & BlockingQuery): Promise<unknown>;
      nodes(opts: CallOptions & BlockingQuery & { readonly service: string }): Promise<unknown>;
    };
  };
  readonly health: {
    service(opts: CallOptions & BlockingQuery & { readonly service: string; readonly passing?: boolean }): Promise<unknown>;
  };
  readonly kv: {
    keys(opts: CallOptions & BlockingQuery & { readonly key: string; readonly separator?: string }): Promise<unknown>;
    set(opts: CallOptions & KvSetQuery & { readonly key: string; readonly value: string }): Promise<unknown>;
    del(opts: CallOptions & { readonly key: string; readonly cas?: number; readonly recurse?: boolean }): Promise<unknown>;
  };
  readonly session: {
    create(opts: CallOptions & SessionCreateOptions): Promise<unknown>;
    destroy(opts: CallOptions & { readonly id: string }): Promise<unknown>;
    renew(opts: CallOptions & { readonly id: string }): Promise<unknown>;
    info(opts: CallOptions & BlockingQuery & { readonly id: string }): Promise<unknown>;
  };
  /**
   * papi's generic GET, used for KV reads: node-consul's `kv.get` decodes `Value` in place and
   * unwraps the array, so the wire JSON (`ConsulKvPair[]`) would never reach narrow.ts.
   */
  _get(request: PapiRequest): Promise<unknown>;
  /** Destroys the keep-alive agent node-consul created, if it created one. */
  destroy(): void;
}

export interface KvSetQuery {
  readonly cas?: number;
  readonly acquire?: string;
  readonly release?: string;
}

/** node-consul lower-cases option names and maps them onto `PUT /v1/session/create`'s body. */
export interface SessionCreateOptions {
  readonly name?: string;
  readonly ttl?: string;
  readonly behavior?: 'release' | 'delete';
  readonly lockdelay?: string;
  readonly checks?: readonly string[];
}

/** Construction options the package (papi) accepts, beyond its typings. */
export interface PackageOptions {
  /** `<address>/v1`; papi refuses a trailing slash. */
  readonly baseUrl: string;
  /** Sent on every request; papi lower-cases the names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly agent?: HttpAgent | HttpsAgent;
  /** PEM CA bundle, passed to https.request when no agent is given. */
  readonly ca?: string | Buffer;
}

/** Builds a node-consul instance and returns it through drover's narrow view of it. */
export function createConsulPackage(options: PackageOptions): ConsulPackage {
  const Ctor = Consul as unknown as new (opts: PackageOptions) => ConsulPackage;
  return new Ctor(options);
}
