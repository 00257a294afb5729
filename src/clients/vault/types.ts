/**
 * The Vault client's public surface: only the calls drover makes, grouped by resource. There is
 * deliberately no way to read a secret's data: drover checks that paths and keys exist, it never
 * holds a secret value.
 * @see https://developer.hashicorp.com/vault/api-docs
 */
import type * as W from '../../wire/vault.ts';
import type { VaultJwtAuthConfig } from '../../wire/cluster-agents.ts';
import type { RetryListener, RetryPolicy } from '../retry.ts';

/** How to reach Vault. Built by cli/ from `VAULT_ADDR`, `VAULT_TOKEN`, `VAULT_NAMESPACE`, `VAULT_CACERT`. */
export interface VaultClientOptions {
  /** Base URL without `/v1`, e.g. `https://vault.internal:8200`. */
  readonly address: string;
  /** Sent as `X-Vault-Token`; never appears in errors, events or logs. */
  readonly token: string;
  /** Enterprise/HCP namespace, sent as `X-Vault-Namespace`. @default none (root) */
  readonly namespace?: string;
  /** PEM text of the CA that signed Vault's certificate (the file `VAULT_CACERT` names). */
  readonly caCert?: string | Buffer;
  /** Per-request timeout. @default 10000 */
  readonly timeoutMs?: number;
  /** Retry policy for reads. Writes are never retried. */
  readonly retry?: RetryPolicy;
  /** Told before each retry of a read. */
  readonly onRetry?: RetryListener;
}

/** Options of every call. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  readonly timeoutMs?: number;
}

/**
 * What `sys/health`'s status code says (with Vault's default codes): 200 active, 429 standby,
 * 472 DR secondary, 473 performance standby, 474 standby that cannot reach the active node,
 * 501 not initialized, 503 sealed, 530 removed from the cluster.
 * @see https://developer.hashicorp.com/vault/api-docs/system/health
 */
export type VaultHealthStatus = 'active' | 'standby' | 'dr-secondary' | 'performance-standby' | 'standby-unreachable' | 'uninitialized' | 'sealed' | 'removed';

/** `sys.health()`: the state, the status code it came from, and the body Vault sent with it. */
export interface VaultHealth {
  readonly status: VaultHealthStatus;
  readonly code: number;
  readonly body: W.VaultHealthResponse;
}

/** The Vault calls drover makes. Every failure is an `ApiError` with `service: 'vault'`. */
export interface VaultClient {
  readonly token: {
    /** The client token's own properties (policies, TTL), without its ID. 403 when the token is invalid or expired. */
    lookupSelf(opts?: CallOptions): Promise<W.VaultTokenInfo>;
  };
  readonly kv: {
    /** KV v2 metadata of `path` in `mount` (versions, deletion state); `null` when no such secret. @see https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2#read-secret-metadata */
    metadata(mount: string, path: string, opts?: CallOptions): Promise<W.VaultKvMetadata | null>;
    /**
     * Key names of a secret, no values; `null` when no such secret. A deleted or destroyed version
     * answers `subkeys: null` with its metadata (Vault: 404 with a body).
     * @see https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2#read-secret-subkeys
     */
    subkeys(mount: string, path: string, opts?: CallOptions & { readonly depth?: number; readonly version?: number }): Promise<W.VaultKvSubkeys | null>;
  };
  readonly policies: {
    /** An ACL policy's HCL; `null` when there is none. @see https://developer.hashicorp.com/vault/api-docs/system/policies#read-acl-policy */
    read(name: string, opts?: CallOptions): Promise<W.VaultAclPolicy | null>;
    /** Creates or replaces an ACL policy. */
    write(name: string, hcl: string, opts?: CallOptions): Promise<void>;
    list(opts?: CallOptions): Promise<string[]>;
  };
  readonly jwt: {
    /** A JWT auth role of the mount (Nomad's default mount is `jwt-nomad`); `null` when there is none. @see https://developer.hashicorp.com/vault/api-docs/auth/jwt#read-role */
    readRole(mount: string, name: string, opts?: CallOptions): Promise<W.VaultJwtRoleRead | null>;
    /** Creates or replaces a role. Set `role_type: 'jwt'`: Vault's default `oidc` refuses workload identities. */
    writeRole(mount: string, name: string, role: W.VaultJwtRoleWrite, opts?: CallOptions): Promise<void>;
    /** Role names; `[]` when none (Vault: 404). */
    listRoles(mount: string, opts?: CallOptions): Promise<string[]>;
    /** The mount's configuration (where it gets its keys); `null` when nothing is mounted there or it was never configured (both 404). @see https://developer.hashicorp.com/vault/api-docs/auth/jwt#read-config */
    readConfig(mount: string, opts?: CallOptions): Promise<VaultJwtAuthConfig | null>;
  };
  readonly sys: {
    /** Health as a status; non-200 health codes are answers, not errors. Unauthenticated. */
    health(opts?: CallOptions): Promise<VaultHealth>;
    /** Seal state and unseal progress. Unauthenticated. @see https://developer.hashicorp.com/vault/api-docs/system/seal-status */
    sealStatus(opts?: CallOptions): Promise<W.VaultSealStatus>;
  };
}
