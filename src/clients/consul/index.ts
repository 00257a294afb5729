/**
 * drover's Consul client: a narrow, typed view of the Consul HTTP API built on the `consul` npm
 * package (node-consul) as transport. See types.ts for the surface.
 */
import { createAclReads } from './acl.ts';
import { createAgentReads } from './agent.ts';
import type { Deps } from './call.ts';
import { createKv, createLocks } from './kv.ts';
import { createConsulPackage } from './package.ts';
import { createCatalog, createHealth, createSessions } from './resources.ts';
import type { TransportSettings } from './transport.ts';
import type { ConsulClient, ConsulClientOptions } from './types.ts';

export type * from './types.ts';

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Creates a Consul client for one agent. Nothing is contacted until the first call.
 *
 * @example
 * const consul = createConsulClient({ address: 'http://127.0.0.1:8500', token });
 * const { value, index } = await consul.kv.get('drover/locks/api');
 * await consul.kv.get('drover/locks/api', { index, wait: '30s', signal }); // blocks until it changes
 */
export function createConsulClient(options: ConsulClientOptions): ConsulClient {
  const address = options.address.replace(/\/+$/, '');
  const pkg = createConsulPackage({
    baseUrl: `${address}/v1`,
    headers: options.token ? { 'x-consul-token': options.token } : {},
    ...(options.agent ? { agent: options.agent } : {}),
    ...(options.caCert ? { ca: options.caCert } : {}),
  });
  const settings: TransportSettings = {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: options.retry ?? {},
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    secrets: options.token ? [options.token] : [],
  };
  const deps: Deps = { pkg, settings };
  const kv = createKv(deps);
  return {
    catalog: createCatalog(deps),
    health: createHealth(deps),
    kv,
    sessions: createSessions(deps),
    locks: createLocks(kv),
    ...createAgentReads(deps),
    ...createAclReads(deps),
    close: () => pkg.destroy(),
  };
}

/**
 * The index to send with the next blocking read, following Consul's rules: if the index went
 * backwards (a snapshot restore, or the newest key under a prefix was deleted) start over from 0;
 * never block on 0, use 1 instead.
 * @see https://developer.hashicorp.com/consul/api-docs/features/blocking#implementation-details
 */
export function nextBlockingIndex(previous: number, returned: number): number {
  if (returned < previous) return 0;
  return returned > 0 ? returned : 1;
}
