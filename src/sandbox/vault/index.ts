/**
 * The sandbox's Vault: KV v2 mounts, ACL policies (HCL, enforced with Vault's path-matching
 * rules), token lookup, JWT auth roles and config for Nomad workload identity, and the status
 * endpoints. Requests go through Vault's order: sealed check, token, existence check (create vs
 * update), policy check, handler. Errors are Vault's JSON `{"errors": [...]}` with its status codes.
 *
 * Not simulated: JWT login and JWKS fetching, leases, response wrapping, namespaces, identity
 * (templated policy paths never match), and the LIST verb when the HTTP server cannot parse it
 * (Node's parser rejects `LIST`; `GET ...?list=true` is equivalent and always works).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxClock, SandboxService } from '../types.ts';
import { isAllowed, type Operation } from './acl.ts';
import { badRequest, envelope, errors, parseBody, send, type Reply } from './http.ts';
import { jwtRoute, JwtMount } from './jwt.ts';
import { kvRoute } from './kv2-http.ts';
import { KvEngine } from './kv2-store.ts';
import { parsePolicy, PolicyStore, type Policy } from './policy.ts';
import { UNSUPPORTED_OPERATION, type Route, type RouteInput } from './route.ts';
import { health, leader, sealStatus, sysRoute, type SysDeps, type VaultStatus } from './sys.ts';
import { TokenStore, type CreateTokenOptions, type VaultToken } from './tokens.ts';

export type { CreateTokenOptions } from './tokens.ts';
export type { VaultStatus } from './sys.ts';

/** The simulated Vault server. */
export interface VaultSandbox extends SandboxService {
  readonly name: 'vault';
  /** Writes a new version of a KV v2 secret (the mount is created if needed); returns the version. */
  seedSecret(mount: string, path: string, data: Record<string, unknown>): number;
  /** Creates a service token; `ttl` in seconds (default 768h). Returns the token. */
  createToken(options: CreateTokenOptions): string;
  /** Stores an ACL policy (HCL or JSON), as `PUT /v1/sys/policies/acl/:name` would. */
  setPolicy(name: string, text: string): Promise<void>;
  /** Changes the seal/HA state reported by `sys/health` and enforced on every other call. */
  setStatus(status: Partial<VaultStatus>): void;
}

/** What the sandbox's Vault is built from. */
export interface VaultServiceOptions {
  readonly clock: SandboxClock;
  /** Accepted as `X-Vault-Token`, with the `root` policy. */
  readonly rootToken: string;
  /** KV v2 mounts present at start. @default ["secret"] (like a dev server) */
  readonly kvMounts?: readonly string[];
  /** JWT auth mounts present at start. @default ["jwt-nomad"] (Nomad's default) */
  readonly jwtMounts?: readonly string[];
  /** @default "vault-cluster-sandbox" */
  readonly clusterName?: string;
}

interface VaultState {
  readonly clock: SandboxClock;
  readonly tokens: TokenStore;
  readonly policies: PolicyStore;
  readonly kv: Map<string, KvEngine>;
  readonly jwt: Map<string, JwtMount>;
  readonly sys: SysDeps;
}

/** Creates the simulated Vault. */
export function createVaultService(options: VaultServiceOptions): VaultSandbox {
  const kv = new Map((options.kvMounts ?? ['secret']).map((m) => [m, new KvEngine(options.clock)]));
  const jwt = new Map((options.jwtMounts ?? ['jwt-nomad']).map((m) => [m, new JwtMount()]));
  const policies = new PolicyStore();
  const status: VaultStatus = { initialized: true, sealed: false, standby: false };
  const sys: SysDeps = {
    status,
    policies,
    clusterName: options.clusterName ?? 'vault-cluster-sandbox',
    clusterId: randomUUID(),
    now: () => options.clock.now(),
    enableKv: (path) => (kv.has(path) || jwt.has(path) ? `path is already in use at ${path}/` : void kv.set(path, new KvEngine(options.clock))),
    enableJwt: (path) => (jwt.has(path) ? `path is already in use at auth/${path}/` : void jwt.set(path, new JwtMount())),
    describeAuth: (path) => {
      const mount = jwt.get(path);
      // Every field a real server's read of sys/auth/:path has (test/fixtures/recorded/vault/get_sys_auth_path.json).
      return mount && {
        accessor: mount.accessor, uuid: mount.uuid, type: 'jwt', description: '', local: false, seal_wrap: false, external_entropy_access: false, options: {},
        plugin_version: '', running_plugin_version: 'v0.0.0+builtin', running_sha256: '', deprecation_status: 'supported',
        config: { default_lease_ttl: 0, max_lease_ttl: 0, force_no_cache: false, token_type: 'default-service' },
      };
    },
  };
  const state: VaultState = { clock: options.clock, tokens: new TokenStore(options.clock, options.rootToken), policies, kv, jwt, sys };

  return {
    name: 'vault',
    handle: (req, res, url, body) => handle(state, req, res, url, body),
    close: () => undefined,
    seedSecret: (mount, path, data) => {
      if (!kv.has(mount)) kv.set(mount, new KvEngine(options.clock));
      const written = kv.get(mount)?.write(path, data);
      if (typeof written !== 'object' || written === undefined) throw new Error(`cannot seed ${mount}/${path}: ${String(written)}`);
      return written.currentVersion;
    },
    createToken: (tokenOptions) => state.tokens.create(tokenOptions).id,
    setPolicy: async (name, text) => policies.set(await parsePolicy(name.toLowerCase(), text)),
    setStatus: (next) => Object.assign(status, next),
  };
}

async function handle(state: VaultState, req: IncomingMessage, res: ServerResponse, url: URL, rawBody: Buffer): Promise<void> {
  const method = req.method ?? 'GET';
  if (!url.pathname.startsWith('/v1/')) return send(res, errors(404));
  let path = decodeURIComponent(url.pathname.slice('/v1/'.length));
  if (path === 'sys/health' && (method === 'GET' || method === 'HEAD')) return send(res, health(state.sys, url), method === 'HEAD');
  if (path === 'sys/seal-status' && method === 'GET') return send(res, sealStatus(state.sys));
  if (path === 'sys/leader' && method === 'GET') return send(res, leader());
  const op = operationOf(method, url);
  if (!op) return send(res, errors(405));
  if (state.sys.status.sealed || !state.sys.status.initialized) return send(res, errors(503, 'Vault is sealed'));
  if (op === 'list' && !path.endsWith('/')) path += '/';
  const body = op === 'write' || op === 'patch' ? parseBody(rawBody) : ({ ok: true, value: {} } as const);
  if (!body.ok) return send(res, body.reply);
  const token = authenticate(state, req);
  if (!token.ok) return send(res, token.reply);
  if ((op === 'write' || op === 'patch') && path.endsWith('/')) return send(res, badRequest("cannot write to a path ending in '/'"));
  const route = resolve(state, path);
  const operation: Operation = op === 'write' ? (route?.exists?.() ? 'update' : route?.exists ? 'create' : 'update') : op;
  const policies = token.value.policies.flatMap((name) => state.policies.get(name) ?? []) as Policy[];
  if (!isAllowed(policies, path, operation)) return send(res, errors(403, '1 error occurred:\n\t* permission denied\n\n'));
  if (!route) return send(res, errors(404, `no handler for route "${path}". route entry not found.`));
  const input: RouteInput = { op, url, body: body.value, headers: req.headers, token: token.value };
  send(res, await route.run(input));
}

/** GET (or `?list=true`), LIST, POST/PUT (write), DELETE, PATCH. */
function operationOf(method: string, url: URL): RouteInput['op'] | undefined {
  if (method === 'GET') return url.searchParams.get('list') === 'true' ? 'list' : 'read';
  if (method === 'LIST') return 'list';
  if (method === 'POST' || method === 'PUT') return 'write';
  if (method === 'DELETE') return 'delete';
  if (method === 'PATCH') return 'patch';
  return undefined;
}

/** A missing token is plain "permission denied"; an unknown or expired one adds "invalid token" (Vault ≥ 1.17). */
function authenticate(state: VaultState, req: IncomingMessage): { readonly ok: true; readonly value: VaultToken } | { readonly ok: false; readonly reply: Reply } {
  const header = req.headers['x-vault-token'];
  const authorization = req.headers['authorization'];
  const id = typeof header === 'string' && header !== '' ? header : typeof authorization === 'string' && authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
  if (id === '') return { ok: false, reply: errors(403, 'permission denied') };
  const token = state.tokens.lookup(id);
  return token ? { ok: true, value: token } : { ok: false, reply: errors(403, '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n') };
}

/** The route of a logical path, or `undefined` for a path under no mount. */
function resolve(state: VaultState, path: string): Route | undefined {
  if (path.startsWith('sys/')) return sysRoute(state.sys, path.slice('sys/'.length));
  if (path === 'auth/token/lookup-self') {
    return { run: (i) => (i.op === 'read' || i.op === 'write' ? envelope('token', { data: state.tokens.describe(i.token) }) : UNSUPPORTED_OPERATION) };
  }
  if (path === 'auth/token/create') return { run: (i) => (i.op === 'write' ? createToken(state, i) : UNSUPPORTED_OPERATION) };
  const [first = '', second = ''] = path.split('/', 2);
  if (first === 'auth') {
    const mount = state.jwt.get(second);
    return mount ? jwtRoute(mount, path.slice(`auth/${second}/`.length)) : undefined;
  }
  const engine = state.kv.get(first);
  return engine ? kvRoute(engine, path.slice(first.length + 1)) : undefined;
}

/** `POST auth/token/create`: warns about policies that do not exist, as Vault does. */
function createToken(state: VaultState, input: RouteInput): Reply {
  const { body } = input;
  const policies = Array.isArray(body['policies']) ? body['policies'].map(String) : input.token.policies.filter((p) => p !== 'root' || input.token.policies.length === 1);
  const ttl = body['ttl'] === undefined ? undefined : Number(String(body['ttl']).replace(/s$/, '')) || undefined;
  const meta = body['meta'] && typeof body['meta'] === 'object' ? (body['meta'] as Record<string, string>) : undefined;
  const created = state.tokens.create({
    policies,
    ...(ttl !== undefined ? { ttl } : {}),
    noDefaultPolicy: body['no_default_policy'] === true,
    ...(typeof body['display_name'] === 'string' ? { displayName: body['display_name'] } : {}),
    ...(meta ? { meta } : {}),
  });
  const warnings = created.policies.filter((p) => p !== 'root' && !state.policies.get(p)).map((p) => `Policy "${p}" does not exist`);
  return envelope('token', { auth: state.tokens.authBlock(created), warnings });
}
