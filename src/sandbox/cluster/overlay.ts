/**
 * Answers the reads of `drover cluster check` that the three simulated services do not serve
 * themselves, from the cluster shape: Nomad's agent members and self, raft configuration, nodes,
 * node pools and JWKS; Consul's agent members, raft configuration (and, once a shape was set, its
 * agent self and leader); Fabio's UI (`/health`, `/api/routes` from the simulated route table) and
 * Prometheus's targets on listeners of their own. Vault's seal and version are set on the simulated
 * Vault itself. ACLs here: with `acls.nomad`, the Nomad token the sandbox was started with (or any
 * token when it has none); with `acls.consul`, any token — a request without one gets the real
 * agents' 403 `Permission denied`. Consul's auth methods and binding rules live in consul-acl.ts
 * (401 `ACL support disabled` without `acls.consul`, as a real agent with ACLs off).
 */
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendText } from '../http.ts';
import * as A from './answers.ts';
import { createConsulAclStore } from './consul-acl.ts';
import { defaultClusterShape, type SandboxClusterPatch, type SandboxClusterShape } from './shape.ts';

export interface ClusterOverlayOptions {
  /** The sandbox's Nomad management token, if it has ACLs. */
  readonly nomadToken?: string | undefined;
  /** A second Nomad token the sandbox accepts. */
  readonly otherNomadToken?: string | undefined;
  /** The simulated scheduling nodes, the default shape's clients. */
  readonly nodes: readonly { Name: string; Datacenter: string; NodePool: string }[];
  /** Seal and version of the simulated Vault. */
  readonly setVaultStatus: (status: { sealed?: boolean; version?: string }) => void;
  /** The simulated Fabio's routing table. */
  readonly routes: () => readonly { readonly host: string; readonly path: string; readonly targets: readonly { readonly service: string; readonly url: string; readonly share: number }[] }[];
}

export interface ClusterOverlay {
  shape(): SandboxClusterShape;
  /** Replaces the given top-level parts of the shape. */
  set(patch: SandboxClusterPatch): SandboxClusterShape;
  reset(): void;
  /** Answers a Nomad or Consul request this module serves; `false` to leave it to the service. */
  handle(service: 'nomad' | 'consul' | 'vault', req: IncomingMessage, res: ServerResponse, url: URL, body?: Buffer): boolean;
  /** Fabio's UI listener. */
  handleFabioUi(req: IncomingMessage, res: ServerResponse, url: URL): void;
  /** Prometheus's API listener (targets only). */
  handlePrometheus(req: IncomingMessage, res: ServerResponse, url: URL): void;
}

export function createClusterOverlay(options: ClusterOverlayOptions): ClusterOverlay {
  const initial = () => defaultClusterShape(options.nodes, options.nomadToken !== undefined);
  let shape = initial();
  let configured = false;
  let jwk: JsonWebKey | undefined;
  const acl = createConsulAclStore();
  const jwks = () => {
    jwk ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    return { keys: [{ use: 'sig', kty: 'RSA', kid: A.idOf('jwks', 'sandbox'), alg: 'RS256', n: jwk.n, e: jwk.e }] };
  };
  const nomadRoutes: Record<string, () => unknown> = {
    '/v1/agent/members': () => A.nomadMembers(shape),
    '/v1/agent/self': () => A.nomadSelf(shape),
    '/v1/operator/raft/configuration': () => A.raftConfiguration(shape, 'nomad'),
    '/v1/nodes': () => A.nodeStubs(shape),
    '/v1/node/pools': () => A.nodePools(shape),
  };
  const consulRoutes: Record<string, () => unknown> = {
    '/v1/agent/members': () => A.consulMembers(shape),
    '/v1/operator/raft/configuration': () => A.raftConfiguration(shape, 'consul'),
  };
  const nomadDenied = (req: IncomingMessage): string | undefined => {
    if (!shape.acls.nomad) return undefined;
    const token = header(req, 'x-nomad-token') ?? /^bearer\s+(\S+)/i.exec(header(req, 'authorization') ?? '')?.[1];
    if (!token) return 'Permission denied';
    if (options.nomadToken === undefined || token === options.nomadToken || token === options.otherNomadToken) return undefined;
    return 'ACL token not found';
  };
  const consulDenied = (req: IncomingMessage, url: URL): boolean => shape.acls.consul && !(header(req, 'x-consul-token') ?? url.searchParams.get('token'));
  return {
    shape: () => shape,
    set: (patch) => {
      shape = { ...shape, ...patch };
      configured = true;
      options.setVaultStatus({ sealed: shape.vaultSealed, version: shape.versions.vault });
      return shape;
    },
    reset: () => {
      shape = initial();
      configured = false;
      acl.reset();
    },
    handle: (service, req, res, url, body = Buffer.alloc(0)) => {
      if (service === 'consul' && acl.handle(req, res, url, body, !shape.acls.consul ? 'disabled' : consulDenied(req, url) ? 'denied' : 'allowed')) return true;
      if (req.method !== 'GET') return false;
      if (service === 'nomad') {
        if (url.pathname === '/.well-known/jwks.json') return void sendJson(res, 200, jwks()), true;
        const route = nomadRoutes[url.pathname] ?? (configured && url.pathname === '/v1/status/leader' ? () => A.leaderAddress(shape, 'nomad') : undefined);
        if (!route) return false;
        const denied = nomadDenied(req);
        if (denied) return void sendText(res, 403, denied), true;
        return void sendJson(res, 200, route()), true;
      }
      if (service !== 'consul') return false;
      if (configured && url.pathname === '/v1/status/leader') return void sendJson(res, 200, A.leaderAddress(shape, 'consul')), true;
      const route = consulRoutes[url.pathname] ?? (configured && url.pathname === '/v1/agent/self' ? () => A.consulSelf(shape) : undefined);
      if (!route) return false;
      // Consul filters member lists by ACL rather than refusing them; agent/self and operator reads are refused.
      if (consulDenied(req, url)) return void (url.pathname === '/v1/agent/members' ? sendJson(res, 200, []) : sendText(res, 403, 'Permission denied')), true;
      sendJson(res, 200, route(), { 'X-Consul-Knownleader': 'true', 'X-Consul-Lastcontact': '0' });
      return true;
    },
    handleFabioUi: (req, res, url) => {
      // A stopped Fabio does not answer at all.
      if (!shape.fabioUp) return void req.socket.destroy();
      if (url.pathname === '/health') return void sendText(res, 200, 'OK\n');
      if (url.pathname === '/api/routes' && req.method === 'GET') return void sendJson(res, 200, fabioRoutes(options.routes()), { 'Content-Type': 'application/json; charset=utf-8' });
      sendText(res, 404, '404 page not found\n');
    },
    handlePrometheus: (req, res, url) => {
      if (url.pathname === '/api/v1/targets' && req.method === 'GET') return void sendJson(res, 200, A.prometheusTargets(shape, new Date()));
      sendText(res, 404, '404 page not found\n');
    },
  };
}

/** Fabio's `/api/routes`: one entry per route target, `null` for an empty table (as Fabio 1.7.3 sends). */
function fabioRoutes(routes: ReturnType<ClusterOverlayOptions['routes']>): unknown {
  const rows = routes.flatMap((route) =>
    route.targets.map((t) => ({ service: t.service, host: route.host, path: route.path, src: `${route.host}${route.path}`, dst: t.url, opts: '', cmd: 'route add', weight: t.share, rate1: 0, pct99: 0 })),
  );
  return rows.length ? rows : null;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
}
