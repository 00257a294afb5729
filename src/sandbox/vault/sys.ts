/**
 * `sys/*`: the unauthenticated status endpoints (`health`, `seal-status`, `leader`; raw JSON, no
 * envelope, the state in the status code), ACL policies (`sys/policies/acl` and the legacy
 * `sys/policy`, both copying `data` to the top level as Vault's sys backend does), and enabling KV v2
 * and JWT mounts the way `nomad setup vault` does.
 * @see https://developer.hashicorp.com/vault/api-docs/system/health
 * @see https://developer.hashicorp.com/vault/api-docs/system/policies
 */
import { badRequest, envelope, errors, isRecord, NO_CONTENT, NOT_FOUND, raw, type Reply } from './http.ts';
import { parsePolicy, type PolicyStore } from './policy.ts';
import { UNSUPPORTED_OPERATION, UNSUPPORTED_PATH, type Route, type RouteInput } from './route.ts';

/** The version the sandbox reports. */
export const SANDBOX_VAULT_VERSION = '1.21.0';

/** Seal and HA state, steerable by tests. */
export interface VaultStatus {
  initialized: boolean;
  sealed: boolean;
  standby: boolean;
  /** What `sys/health` reports as `version`. @default SANDBOX_VAULT_VERSION */
  version?: string;
}

/** What sys routes need from the service. */
export interface SysDeps {
  readonly status: VaultStatus;
  readonly policies: PolicyStore;
  readonly clusterName: string;
  readonly clusterId: string;
  readonly now: () => number;
  enableKv(path: string): string | undefined;
  enableJwt(path: string): string | undefined;
  describeAuth(path: string): Record<string, unknown> | undefined;
}

/** `GET|HEAD /v1/sys/health`: the status code carries the state; query parameters override codes. */
export function health(deps: SysDeps, url: URL): Reply {
  const { initialized, sealed, standby } = deps.status;
  const code = (param: string, fallback: number): number => Number(url.searchParams.get(param) ?? fallback) || fallback;
  const standbyOk = url.searchParams.get('standbyok') === 'true' || url.searchParams.get('standbyok') === '';
  const status = !initialized
    ? code('uninitcode', 501)
    : sealed
      ? code('sealedcode', 503)
      : standby && !standbyOk
        ? code('standbycode', 429)
        : code('activecode', 200);
  const body: Record<string, unknown> = {
    initialized,
    sealed: sealed || !initialized,
    standby: standby || sealed || !initialized,
    performance_standby: false,
    replication_performance_mode: 'disabled',
    replication_dr_mode: 'disabled',
    server_time_utc: Math.floor(deps.now() / 1000),
    version: deps.status.version ?? SANDBOX_VAULT_VERSION,
    enterprise: false,
    ...(initialized && !sealed ? { cluster_name: deps.clusterName, cluster_id: deps.clusterId } : {}),
    echo_duration_ms: 0,
    clock_skew_ms: 0,
    replication_primary_canary_age_ms: 0,
    ...(standby && initialized && !sealed ? { ha_connection_healthy: true, last_request_forwarding_heartbeat_ms: 0, removed_from_cluster: false } : {}),
  };
  return raw(body, status);
}

/** `GET /v1/sys/seal-status`: always 200. */
export function sealStatus(deps: SysDeps): Reply {
  const { initialized, sealed } = deps.status;
  return raw({
    type: 'shamir',
    initialized,
    sealed: sealed || !initialized,
    t: initialized ? 1 : 0,
    n: initialized ? 1 : 0,
    progress: 0,
    nonce: '',
    version: deps.status.version ?? SANDBOX_VAULT_VERSION,
    build_date: '2025-10-01T00:00:00Z',
    migration: false,
    ...(initialized && !sealed ? { cluster_name: deps.clusterName, cluster_id: deps.clusterId } : {}),
    recovery_seal: false,
    storage_type: 'inmem',
    removed_from_cluster: false,
  });
}

/** `GET /v1/sys/leader` of a single node without HA storage. */
export function leader(): Reply {
  return raw({ ha_enabled: false, is_self: false, active_time: '0001-01-01T00:00:00Z', leader_address: '', leader_cluster_address: '', performance_standby: false, performance_standby_last_remote_wal: 0 });
}

/** Resolves `rest` (the path after `sys/`). */
export function sysRoute(deps: SysDeps, rest: string): Route {
  if (rest === 'policies/acl/' || rest === 'policies/acl') return { run: (i) => (i.op === 'list' || i.op === 'read' ? listPolicies(deps, 'keys') : UNSUPPORTED_OPERATION) };
  if (rest === 'policy' || rest === 'policy/') return { run: (i) => (i.op === 'read' || i.op === 'list' ? listPolicies(deps, 'policies') : UNSUPPORTED_OPERATION) };
  const policy = /^(policies\/acl|policy)\/([^/]+)$/.exec(rest);
  if (policy) {
    const name = (policy[2] ?? '').trim().toLowerCase();
    const textField = policy[1] === 'policy' ? 'rules' : 'policy';
    return { exists: () => deps.policies.get(name) !== undefined, run: (input) => policyCall(deps, name, textField, input) };
  }
  const mount = /^(mounts|auth)\/(.+?)\/?$/.exec(rest);
  if (mount) return { run: (input) => mountCall(deps, mount[1] as 'mounts' | 'auth', mount[2] ?? '', input) };
  return { run: () => UNSUPPORTED_PATH };
}

function listPolicies(deps: SysDeps, shape: 'keys' | 'policies'): Reply {
  const names = deps.policies.names();
  // Only the legacy sys/policy copies its data to the top level (test/fixtures/recorded/vault/list_sys_policies_acl.json, get_sys_policy.json).
  if (shape === 'keys') return envelope('system', { data: { keys: names } });
  return envelope('system', { data: { policies: names, keys: names }, topLevel: true });
}

async function policyCall(deps: SysDeps, name: string, textField: 'policy' | 'rules', input: RouteInput): Promise<Reply> {
  if (input.op === 'read') {
    const policy = deps.policies.get(name);
    // As for lists, only the legacy sys/policy/:name (rules) repeats its data at the top level.
    return policy ? envelope('system', { data: { name: policy.name, [textField]: policy.text }, topLevel: textField === 'rules' }) : NOT_FOUND;
  }
  if (input.op === 'delete') {
    if (name === 'root' || name === 'default') return badRequest(`cannot delete "${name}" policy`);
    deps.policies.delete(name);
    return NO_CONTENT;
  }
  if (input.op !== 'write') return UNSUPPORTED_OPERATION;
  if (name === 'root') return badRequest('cannot update "root" policy');
  const given = input.body['policy'] ?? input.body['rules'];
  if (typeof given !== 'string' || given === '') return badRequest("'policy' parameter not supplied or empty");
  try {
    deps.policies.set(await parsePolicy(name, decodeIfBase64(given)));
    return NO_CONTENT;
  } catch (error) {
    return badRequest(`failed to parse policy: ${(error as Error).message}`);
  }
}

/** Vault accepts a base64-encoded policy: text that decodes as strict base64 is decoded first. */
function decodeIfBase64(text: string): string {
  const compact = text.replace(/[\r\n]/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return text;
  return Buffer.from(compact, 'base64').toString('utf8');
}

function mountCall(deps: SysDeps, kind: 'mounts' | 'auth', path: string, input: RouteInput): Reply {
  if (kind === 'auth' && input.op === 'read') {
    const described = deps.describeAuth(path);
    return described ? envelope('system', { data: described, topLevel: true }) : errors(400, `No auth engine at auth/${path}/`);
  }
  if (input.op !== 'write') return UNSUPPORTED_OPERATION;
  const type = String(input.body['type'] ?? '');
  const options = isRecord(input.body['options']) ? input.body['options'] : {};
  if (kind === 'mounts') {
    const isKv2 = type === 'kv-v2' || ((type === 'kv' || type === 'generic') && String(options['version'] ?? '') === '2');
    if (!isKv2) return badRequest(`the sandbox simulates only KV version 2 secrets engines, not "${type}"`);
    const refused = deps.enableKv(path);
    return refused ? badRequest(refused) : NO_CONTENT;
  }
  if (type !== 'jwt' && type !== 'oidc') return badRequest(`the sandbox simulates only jwt/oidc auth methods, not "${type}"`);
  const refused = deps.enableJwt(path);
  return refused ? badRequest(refused) : NO_CONTENT;
}
