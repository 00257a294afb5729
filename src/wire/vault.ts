/**
 * Vault's JSON as its HTTP API sends it (snake_case, exactly as on the wire), only the fields
 * drover reads. Durations are seconds. Secret VALUES never appear here: drover checks that paths
 * and keys exist (metadata, subkeys), it never reads data. Types are aliases rather than
 * interfaces so that they also fit `Record<string, unknown>` parameters. No logic here.
 * Source: shared/reference/vault.md.
 */

/** `GET /v1/auth/token/lookup-self` → `data`, WITHOUT `id` (that field is the token itself). */
export type VaultTokenInfo = {
  accessor: string;
  display_name: string;
  entity_id: string;
  path: string;
  policies: string[];
  identity_policies: string[];
  meta: Record<string, string>;
  /** Unix seconds. */
  creation_time: number;
  creation_ttl: number;
  /** Seconds left; 0 for a token that does not expire (e.g. root). */
  ttl: number;
  explicit_max_ttl: number;
  period: number;
  /** RFC 3339, `null` for a non-expiring token. */
  expire_time: string | null;
  issue_time: string;
  num_uses: number;
  orphan: boolean;
  renewable: boolean;
  /** `service` or `batch`; absent (`""`) in answers of servers older than batch tokens. */
  type: string;
};

/** One version in KV v2 metadata. `deletion_time` is `""` unless soft-deleted. */
export type VaultKvVersion = { created_time: string; deletion_time: string; destroyed: boolean };

/** `GET /v1/:mount/metadata/:path` → `data`. */
export type VaultKvMetadata = {
  cas_required: boolean;
  created_time: string;
  current_version: number;
  /** Go duration string such as `"0s"` or `"3h25m19s"`. */
  delete_version_after: string;
  max_versions: number;
  oldest_version: number;
  updated_time: string;
  custom_metadata: Record<string, string>;
  /** Keyed by version number as a string (`"1"`, `"2"`). */
  versions: Record<string, VaultKvVersion>;
};

/** Metadata of the version a subkeys read looked at. */
export type VaultKvVersionMetadata = {
  created_time: string;
  custom_metadata: Record<string, string>;
  deletion_time: string;
  destroyed: boolean;
  version: number;
};

/** Key names of a secret without its values: leaves are `null`, nested objects recurse (to `depth`). */
export type VaultSubkeyTree = { [key: string]: VaultSubkeyTree | null };

/** `GET /v1/:mount/subkeys/:path` → `data`. `subkeys` is `null` for a deleted or destroyed version (Vault answers 404 with this body). */
export type VaultKvSubkeys = { subkeys: VaultSubkeyTree | null; metadata: VaultKvVersionMetadata };

/** `GET /v1/sys/policies/acl/:name` (`policy`, where the legacy `sys/policy` says `rules`). */
export type VaultAclPolicy = { name: string; policy: string };

/** `bound_claims` values: one string, or a list of accepted strings. */
export type VaultBoundClaim = string | string[];

/** `GET /v1/auth/:mount/role/:name` → `data` of a JWT/OIDC role. Durations are seconds. */
export type VaultJwtRoleRead = {
  /** Vault defaults to `"oidc"`; Nomad's workload identities need `"jwt"`. */
  role_type: string;
  /** Always a list on read, even if written as a string. */
  bound_audiences: string[];
  bound_subject: string;
  bound_claims: Record<string, VaultBoundClaim>;
  bound_claims_type: string;
  user_claim: string;
  user_claim_json_pointer: boolean;
  claim_mappings: Record<string, string>;
  groups_claim: string;
  token_policies: string[];
  token_type: string;
  token_ttl: number;
  token_max_ttl: number;
  token_period: number;
  token_explicit_max_ttl: number;
  token_no_default_policy: boolean;
  token_num_uses: number;
};

/** Body of `POST /v1/auth/:mount/role/:name`. Durations may be seconds or strings like `"30m"`. */
export type VaultJwtRoleWrite = {
  readonly role_type: 'jwt' | 'oidc';
  readonly user_claim: string;
  readonly bound_audiences?: string | readonly string[];
  readonly bound_subject?: string;
  readonly bound_claims?: Readonly<Record<string, string | readonly string[]>>;
  readonly bound_claims_type?: 'string' | 'glob';
  readonly user_claim_json_pointer?: boolean;
  readonly claim_mappings?: Readonly<Record<string, string>>;
  readonly groups_claim?: string;
  readonly token_policies?: readonly string[];
  readonly token_type?: 'service' | 'batch' | 'default' | 'default-service' | 'default-batch';
  readonly token_ttl?: number | string;
  readonly token_max_ttl?: number | string;
  readonly token_period?: number | string;
  readonly token_explicit_max_ttl?: number | string;
  readonly token_no_default_policy?: boolean;
  readonly token_num_uses?: number;
};

/** `GET /v1/sys/health` body (no envelope); the HTTP status carries the state. */
export type VaultHealthResponse = {
  initialized: boolean;
  sealed: boolean;
  standby: boolean;
  performance_standby: boolean;
  replication_performance_mode: string;
  replication_dr_mode: string;
  /** Unix seconds. */
  server_time_utc: number;
  version: string;
  cluster_name: string;
  cluster_id: string;
  enterprise: boolean;
};

/** `GET /v1/sys/seal-status` (no envelope; always 200). `cluster_*` only once unsealed. */
export type VaultSealStatus = {
  type: string;
  initialized: boolean;
  sealed: boolean;
  /** Threshold of key shares needed to unseal. */
  t: number;
  /** Number of key shares. */
  n: number;
  progress: number;
  nonce: string;
  version: string;
  build_date: string;
  migration: boolean;
  recovery_seal: boolean;
  storage_type: string;
  cluster_name: string;
  cluster_id: string;
};
