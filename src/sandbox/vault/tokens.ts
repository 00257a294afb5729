/**
 * Service tokens: the configured root token plus tokens created programmatically or through
 * `auth/token/create`. TTLs are seconds (Vault's unit) and run on the sandbox clock; an expired
 * token is unknown, like a revoked one. Non-root tokens get the `default` policy unless asked not
 * to, and policy lists are sorted and de-duplicated as Vault's SanitizePolicies does.
 * @see https://developer.hashicorp.com/vault/api-docs/auth/token
 */
import { randomBytes } from 'node:crypto';
import type { SandboxClock } from '../types.ts';
import { rfc3339 } from './http.ts';

/** Vault's system default TTL (768h). */
export const DEFAULT_TOKEN_TTL_SECONDS = 2_764_800;

/** A token. */
export interface VaultToken {
  readonly id: string;
  readonly accessor: string;
  readonly policies: readonly string[];
  readonly displayName: string;
  readonly meta: Readonly<Record<string, string>> | null;
  readonly path: string;
  readonly createdAt: number;
  /** Seconds; 0 = never expires (root). */
  readonly ttl: number;
  readonly orphan: boolean;
}

/** Options of {@link TokenStore.create}. */
export interface CreateTokenOptions {
  readonly policies: readonly string[];
  /** Seconds. @default 2764800 (768h, Vault's default) */
  readonly ttl?: number;
  readonly noDefaultPolicy?: boolean;
  /** Shown as `token-<displayName>`, as Vault prefixes it. */
  readonly displayName?: string;
  readonly meta?: Readonly<Record<string, string>>;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomId(length: number): string {
  return [...randomBytes(length)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

/** The token table. */
export class TokenStore {
  private readonly tokens = new Map<string, VaultToken>();

  constructor(
    private readonly clock: SandboxClock,
    rootToken: string,
  ) {
    const root: VaultToken = {
      id: rootToken,
      accessor: randomId(24),
      policies: ['root'],
      displayName: 'root',
      meta: null,
      path: 'auth/token/root',
      createdAt: clock.now(),
      ttl: 0,
      orphan: true,
    };
    this.tokens.set(root.id, root);
  }

  /** A live token, or `undefined` for an unknown or expired one. */
  lookup(id: string): VaultToken | undefined {
    const token = this.tokens.get(id);
    if (!token) return undefined;
    if (token.ttl > 0 && this.clock.now() >= token.createdAt + token.ttl * 1000) {
      this.tokens.delete(id);
      return undefined;
    }
    return token;
  }

  create(options: CreateTokenOptions, path = 'auth/token/create'): VaultToken {
    const wanted = options.noDefaultPolicy ? options.policies : [...options.policies, 'default'];
    const policies = [...new Set(wanted.map((p) => p.trim().toLowerCase()).filter(Boolean))].sort();
    const token: VaultToken = {
      id: `hvs.${randomId(24)}`,
      accessor: randomId(24),
      policies: policies.includes('root') ? ['root'] : policies,
      displayName: options.displayName ? `token-${options.displayName}` : 'token',
      meta: options.meta ? { ...options.meta } : null,
      path,
      createdAt: this.clock.now(),
      ttl: options.ttl ?? DEFAULT_TOKEN_TTL_SECONDS,
      orphan: false,
    };
    this.tokens.set(token.id, token);
    return token;
  }

  /** `auth/token/lookup-self` data. */
  describe(token: VaultToken): Record<string, unknown> {
    const expiresAt = token.ttl > 0 ? token.createdAt + token.ttl * 1000 : undefined;
    return {
      accessor: token.accessor,
      creation_time: Math.floor(token.createdAt / 1000),
      creation_ttl: token.ttl,
      display_name: token.displayName,
      entity_id: '',
      expire_time: expiresAt === undefined ? null : rfc3339(expiresAt),
      explicit_max_ttl: 0,
      id: token.id,
      issue_time: rfc3339(token.createdAt),
      meta: token.meta,
      num_uses: 0,
      orphan: token.orphan,
      path: token.path,
      policies: [...token.policies],
      renewable: token.ttl > 0,
      ttl: expiresAt === undefined ? 0 : Math.max(0, Math.ceil((expiresAt - this.clock.now()) / 1000)),
      type: 'service',
    };
  }

  /** The `auth` block of a login or token creation. */
  authBlock(token: VaultToken): Record<string, unknown> {
    return {
      client_token: token.id,
      accessor: token.accessor,
      policies: [...token.policies],
      token_policies: [...token.policies],
      metadata: token.meta,
      lease_duration: token.ttl,
      renewable: token.ttl > 0,
      entity_id: '',
      token_type: 'service',
      orphan: token.orphan,
      mfa_requirement: null,
      num_uses: 0,
    };
  }
}
