/**
 * A JWT auth mount's roles and config (vault-plugin-auth-jwt `path_role.go`, `path_config.go`),
 * as Nomad workload identity uses them. Kept from the plugin: `role_type` defaults to `oidc` on
 * every write that omits it (which then requires `allowed_redirect_uris`), `bound_claims_type`
 * likewise resets to `string`; a `jwt` role needs a bound constraint and a `user_claim`; names are
 * lower-cased; reads fill defaults (unset lists are `null`, token lists `[]`, leeways `0` unless
 * written); legacy `policies`/`ttl`/`max_ttl`/`period`/`num_uses`/`bound_cidrs` are read back only
 * when written. Not simulated: login (no JWT validation) and fetching `jwks_url`/discovery URLs.
 * @see https://developer.hashicorp.com/vault/api-docs/auth/jwt
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { badRequest, bool, commaSlice, durationSeconds, envelope, FieldError, int, isRecord, NO_CONTENT, NOT_FOUND, type Reply } from './http.ts';
import { UNSUPPORTED_OPERATION, UNSUPPORTED_PATH, type Route, type RouteInput } from './route.ts';

type Role = Record<string, unknown>;

/** One enabled JWT auth method. */
export class JwtMount {
  readonly accessor = `auth_jwt_${randomBytes(4).toString('hex')}`;
  readonly uuid = randomUUID();
  readonly roles = new Map<string, Role>();
  config: Record<string, unknown> | undefined;
}

const TOKEN_TYPES = ['default', 'service', 'batch', 'default-service', 'default-batch'];
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'EdDSA'];
const LEGACY: readonly [legacy: string, current: string, kind: 'slice' | 'duration' | 'int'][] = [
  ['policies', 'token_policies', 'slice'],
  ['bound_cidrs', 'token_bound_cidrs', 'slice'],
  ['num_uses', 'token_num_uses', 'int'],
  ['ttl', 'token_ttl', 'duration'],
  ['max_ttl', 'token_max_ttl', 'duration'],
  ['period', 'token_period', 'duration'],
];

/** Resolves `rest` (the path after `auth/<mount>/`). */
export function jwtRoute(mount: JwtMount, rest: string): Route {
  if (rest === 'role' || rest === 'role/') return { run: (input) => (input.op === 'list' ? list(mount) : UNSUPPORTED_OPERATION) };
  if (rest === 'config') return { run: (input) => config(mount, input) };
  const name = /^role\/([\w.@-]+)$/.exec(rest)?.[1]?.toLowerCase();
  if (name === undefined) return { run: () => UNSUPPORTED_PATH };
  return { exists: () => mount.roles.has(name), run: (input) => role(mount, name, input) };
}

function list(mount: JwtMount): Reply {
  const keys = [...mount.roles.keys()].sort();
  return keys.length === 0 ? NOT_FOUND : envelope('jwt', { data: { keys } });
}

function role(mount: JwtMount, name: string, input: RouteInput): Reply {
  const stored = mount.roles.get(name);
  if (input.op === 'read') return stored ? envelope('jwt', { data: present(stored) }) : NOT_FOUND;
  if (input.op === 'delete') {
    mount.roles.delete(name);
    return NO_CONTENT;
  }
  if (input.op !== 'write') return UNSUPPORTED_OPERATION;
  try {
    const updated = update(stored ?? emptyRole(), input.body);
    if (typeof updated === 'string') return badRequest(updated);
    mount.roles.set(name, updated);
    return NO_CONTENT;
  } catch (error) {
    if (error instanceof FieldError) return badRequest(error.message);
    throw error;
  }
}

function emptyRole(): Role {
  return {
    expiration_leeway: 0, not_before_leeway: 0, clock_skew_leeway: 0, bound_audiences: null, bound_subject: '', bound_claims: null,
    claim_mappings: null, oauth2_metadata: null, user_claim: '', user_claim_json_pointer: false, groups_claim: '', allowed_redirect_uris: null,
    oidc_scopes: null, verbose_oidc_logging: false, max_age: 0, token_bound_cidrs: [], token_explicit_max_ttl: 0, token_max_ttl: 0,
    token_no_default_policy: false, token_period: 0, token_policies: [], token_type: 'default', token_ttl: 0, token_num_uses: 0,
  };
}

/** Applies a write in the plugin's order of checks; returns the error text on refusal. */
function update(previous: Role, body: Record<string, unknown>): Role | string {
  const role: Role = { ...previous };
  const has = (key: string): boolean => body[key] !== undefined && body[key] !== null;
  role['role_type'] = has('role_type') && body['role_type'] !== '' ? String(body['role_type']) : 'oidc';
  if (role['role_type'] !== 'jwt' && role['role_type'] !== 'oidc') return `invalid 'role_type': ${String(role['role_type'])}`;
  for (const key of ['token_policies', 'token_bound_cidrs']) if (has(key)) role[key] = commaSlice(key, body[key]);
  for (const key of ['token_ttl', 'token_max_ttl', 'token_explicit_max_ttl', 'token_period']) if (has(key)) role[key] = durationSeconds(key, body[key]);
  if (has('token_num_uses')) role['token_num_uses'] = int('token_num_uses', body['token_num_uses']);
  if (has('token_no_default_policy')) role['token_no_default_policy'] = bool('token_no_default_policy', body['token_no_default_policy']);
  if (has('token_type')) {
    if (!TOKEN_TYPES.includes(String(body['token_type']))) return `invalid 'token_type' value "${String(body['token_type'])}"`;
    role['token_type'] = String(body['token_type']);
  }
  if (Number(role['token_max_ttl']) > 0 && Number(role['token_ttl']) > Number(role['token_max_ttl'])) return "'token_ttl' cannot be greater than 'token_max_ttl'";
  for (const [legacy, current, kind] of LEGACY) {
    if (has(legacy) && has(current)) return `Cannot specify both "${legacy}" and "${current}"`;
    if (!has(legacy)) continue;
    const value = kind === 'slice' ? commaSlice(legacy, body[legacy]) : kind === 'int' ? int(legacy, body[legacy]) : durationSeconds(legacy, body[legacy]);
    role[current] = value;
    role[`legacy_${legacy}`] = value;
  }
  for (const key of ['expiration_leeway', 'not_before_leeway', 'clock_skew_leeway', 'max_age']) if (has(key)) role[key] = durationSeconds(key, body[key]);
  for (const key of ['bound_audiences', 'oauth2_metadata', 'oidc_scopes', 'allowed_redirect_uris']) if (has(key)) role[key] = commaSlice(key, body[key]);
  for (const key of ['bound_subject', 'user_claim', 'groups_claim']) if (has(key)) role[key] = String(body[key]);
  for (const key of ['user_claim_json_pointer', 'verbose_oidc_logging']) if (has(key)) role[key] = bool(key, body[key]);
  role['bound_claims_type'] = has('bound_claims_type') ? String(body['bound_claims_type']) : 'string';
  if (role['bound_claims_type'] !== 'string' && role['bound_claims_type'] !== 'glob') return `invalid 'bound_claims_type': ${String(role['bound_claims_type'])}`;
  if (has('bound_claims')) {
    if (!isRecord(body['bound_claims'])) throw new FieldError('error converting input for field "bound_claims": expected a map');
    role['bound_claims'] = { ...body['bound_claims'] };
  }
  if (has('claim_mappings')) {
    if (!isRecord(body['claim_mappings'])) throw new FieldError('error converting input for field "claim_mappings": expected a map');
    const mappings = Object.fromEntries(Object.entries(body['claim_mappings']).map(([k, v]) => [k, String(v)]));
    if (Object.values(mappings).includes('role')) return 'metadata key "role" is reserved and may not be a mapping destination';
    role['claim_mappings'] = mappings;
  }
  return validate(role);
}

function validate(role: Role): Role | string {
  const count = (key: string): number => (Array.isArray(role[key]) ? (role[key] as unknown[]).length : 0);
  if (role['user_claim'] === '') return 'a user claim must be defined on the role';
  if (role['role_type'] === 'oidc' && count('allowed_redirect_uris') === 0) return "'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified.";
  const bound = count('bound_audiences') > 0 || count('token_bound_cidrs') > 0 || role['bound_subject'] !== '' || Object.keys((role['bound_claims'] as object | null) ?? {}).length > 0;
  if (role['role_type'] !== 'oidc' && !bound) return 'must have at least one bound constraint when creating/updating a role';
  return role;
}

/** The read answer: stored fields, plus legacy fields only when they were written. */
function present(role: Role): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(role)) if (!key.startsWith('legacy_')) out[key] = Array.isArray(value) ? [...value] : value;
  for (const [legacy] of LEGACY) {
    const value = role[`legacy_${legacy}`];
    if (value !== undefined && (Array.isArray(value) ? value.length > 0 : Number(value) > 0)) out[legacy] = value;
  }
  return out;
}

function config(mount: JwtMount, input: RouteInput): Reply {
  if (input.op === 'read') return mount.config ? envelope('jwt', { data: { ...mount.config } }) : NOT_FOUND;
  if (input.op !== 'write') return UNSUPPORTED_OPERATION;
  const body = input.body;
  try {
    const str = (key: string): string => (body[key] === undefined || body[key] === null ? '' : String(body[key]));
    const list = (key: string): string[] => (body[key] === undefined || body[key] === null ? [] : commaSlice(key, body[key]));
    const next: Record<string, unknown> = {
      oidc_discovery_url: str('oidc_discovery_url'), oidc_discovery_ca_pem: str('oidc_discovery_ca_pem'), oidc_client_id: str('oidc_client_id'),
      oidc_response_mode: str('oidc_response_mode'), oidc_response_types: list('oidc_response_types'), default_role: str('default_role'),
      jwt_validation_pubkeys: list('jwt_validation_pubkeys'), jwt_supported_algs: list('jwt_supported_algs'), jwks_url: str('jwks_url'),
      jwks_ca_pem: str('jwks_ca_pem'), jwks_pairs: Array.isArray(body['jwks_pairs']) ? body['jwks_pairs'] : [], bound_issuer: str('bound_issuer'),
      provider_config: isRecord(body['provider_config']) ? body['provider_config'] : {}, namespace_in_state: body['namespace_in_state'] === undefined ? true : bool('namespace_in_state', body['namespace_in_state']),
      unsupported_critical_cert_extensions: list('unsupported_critical_cert_extensions'),
    };
    const methods = [next['oidc_discovery_url'] !== '', next['jwks_url'] !== '', (next['jwt_validation_pubkeys'] as string[]).length > 0, (next['jwks_pairs'] as unknown[]).length > 0];
    if (methods.filter(Boolean).length !== 1) return badRequest("exactly one of 'jwt_validation_pubkeys', 'jwks_url' or 'oidc_discovery_url' must be set");
    const bad = (next['jwt_supported_algs'] as string[]).find((alg) => !ALGORITHMS.includes(alg));
    if (bad) return badRequest(`Invalid supported algorithm: ${bad}`);
    mount.config = next;
    return NO_CONTENT;
  } catch (error) {
    if (error instanceof FieldError) return badRequest(error.message);
    throw error;
  }
}
