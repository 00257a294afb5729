/**
 * Shapes that narrow Vault's JSON into src/wire/vault.ts. Logical endpoints wrap their answer in
 * an envelope (`request_id`, `lease_id`, `data`, `warnings`, …); `sys/*` ones also copy `data`'s
 * keys to the top level for backwards compatibility, and `sys/health`/`sys/seal-status` have no
 * envelope at all. `dataOf` picks the right object.
 * @see https://developer.hashicorp.com/vault/api-docs#response-envelope
 */
import type * as W from '../../wire/vault.ts';
import type { VaultJwtAuthConfig } from '../../wire/cluster-agents.ts';
import { bool, dict, nullable, num, obj, record, ShapeError, str, stringMap, strings, type Shape } from '../http/shape.ts';

/** `data` of an envelope, or the body itself for raw `sys/*` answers and trimmed doc samples. */
export function dataOf(body: unknown, at: string): Readonly<Record<string, unknown>> {
  const outer = record(body, at);
  const data = outer['data'];
  return data !== undefined && data !== null ? record(data, `${at}.data`) : outer;
}

/** The token's own ID (`id`) is deliberately not in the table: it IS the token. */
export const tokenInfo: Shape<W.VaultTokenInfo> = obj({
  accessor: str, display_name: str, entity_id: str, path: str, policies: strings, identity_policies: strings, meta: stringMap,
  creation_time: num, creation_ttl: num, ttl: num, explicit_max_ttl: num, period: num,
  expire_time: nullable(str), issue_time: str, num_uses: num, orphan: bool, renewable: bool, type: str,
});

const kvVersion: Shape<W.VaultKvVersion> = obj({ created_time: str, deletion_time: str, destroyed: bool });

/** `GET /v1/:mount/metadata/:path` → `data`. */
export const kvMetadata: Shape<W.VaultKvMetadata> = obj({
  cas_required: bool, created_time: str, current_version: num, delete_version_after: str, max_versions: num,
  oldest_version: num, updated_time: str, custom_metadata: stringMap, versions: dict(kvVersion),
});

const versionMetadata: Shape<W.VaultKvVersionMetadata> = obj({
  created_time: str, custom_metadata: stringMap, deletion_time: str, destroyed: bool, version: num,
});

/** Keys only: every leaf must be `null` (Vault never sends values here), objects recurse. */
const subkeyTree: Shape<W.VaultSubkeyTree> = (value, at) => {
  const out: W.VaultSubkeyTree = {};
  for (const [key, child] of Object.entries(record(value, at))) {
    if (child !== null && (typeof child !== 'object' || Array.isArray(child))) throw new ShapeError(`${at}.${key} is a value, expected null or an object`);
    out[key] = child === null ? null : subkeyTree(child, `${at}.${key}`);
  }
  return out;
};

/** `GET /v1/:mount/subkeys/:path` → `data`. */
export const kvSubkeys: Shape<W.VaultKvSubkeys> = obj({ subkeys: nullable(subkeyTree), metadata: versionMetadata });

/** `GET /v1/sys/policies/acl/:name`. */
export const aclPolicy: Shape<W.VaultAclPolicy> = obj({ name: str, policy: str });

const boundClaim: Shape<W.VaultBoundClaim> = (value, at) => (Array.isArray(value) ? strings(value, at) : str(value, at));

/** `bound_audiences` reads back as a list; a string (older servers, doc samples) is wrapped. */
const audiences: Shape<string[]> = (value, at) => (typeof value === 'string' ? [value] : strings(value, at));

/** A JWT role's `data`; use `jwtRoleOf` for the legacy `policies` fallback. */
export const jwtRole: Shape<W.VaultJwtRoleRead> = obj({
  role_type: str, bound_audiences: audiences, bound_subject: str, bound_claims: dict(boundClaim), bound_claims_type: str,
  user_claim: str, user_claim_json_pointer: bool, claim_mappings: stringMap, groups_claim: str,
  // Older roles only carry the legacy `policies`; see jwtRoleOf.
  token_policies: strings, token_type: str, token_ttl: num, token_max_ttl: num, token_period: num,
  token_explicit_max_ttl: num, token_no_default_policy: bool, token_num_uses: num,
});

/** A role's data; `token_policies` falls back to the legacy `policies` alias when absent. */
export function jwtRoleOf(data: Readonly<Record<string, unknown>>, at: string): W.VaultJwtRoleRead {
  const legacy = data['token_policies'] === undefined ? { token_policies: data['policies'] } : {};
  return jwtRole({ ...data, ...legacy }, at);
}

/** `data.keys` of a LIST answer. */
export const keys: Shape<string[]> = (value, at) => strings(dataOf(value, at)['keys'], `${at}.keys`);

/** `GET /v1/sys/health` body. */
export const health: Shape<W.VaultHealthResponse> = (value, at) => {
  // A proxy's or an overloaded Vault's `{"errors": [...]}` must not pass for "not initialized".
  if (typeof record(value, at)['initialized'] !== 'boolean') throw new ShapeError(`${at} is not a sys/health answer`);
  return obj<W.VaultHealthResponse>({
    initialized: bool, sealed: bool, standby: bool, performance_standby: bool, replication_performance_mode: str,
    replication_dr_mode: str, server_time_utc: num, version: str, cluster_name: str, cluster_id: str, enterprise: bool,
  })(value, at);
};

/** `GET /v1/sys/seal-status`. */
export const sealStatus: Shape<W.VaultSealStatus> = obj({
  type: str, initialized: bool, sealed: bool, t: num, n: num, progress: num, nonce: str, version: str, build_date: str,
  migration: bool, recovery_seal: bool, storage_type: str, cluster_name: str, cluster_id: str,
});

/** `data` of `GET /v1/auth/<mount>/config` (JWT/OIDC). */
export const jwtAuthConfig: Shape<VaultJwtAuthConfig> = obj({
  jwks_url: str, jwt_validation_pubkeys: strings, oidc_discovery_url: str, bound_issuer: str, jwt_supported_algs: strings, default_role: str,
});
