/**
 * Consul's ACL decisions for the resources the sandbox serves. Rules use Consul's own vocabulary
 * (the JSON form of an ACL policy, flattened to `prefix → policy`): an exact `key`/`service`/...
 * rule beats any prefix rule, the longest matching `*_prefix` rule wins, and with no match the
 * configured default policy decides. Tokens are looked up by secret; an unknown secret is
 * `403 ACL not found`, a denied operation `403 Permission denied`.
 * @see https://developer.hashicorp.com/consul/docs/security/acl/acl-rules
 */

/** A rule's access level, as in `key_prefix "x" { policy = "read" }`. */
export type ConsulAclPolicy = 'deny' | 'list' | 'read' | 'write';

/** Resources the sandbox authorizes. */
export type ConsulAclResource = 'key' | 'service' | 'session' | 'node' | 'agent';

/** Rules of one token, keyed like Consul's policy JSON (`key_prefix`, `service`, ...). */
export type ConsulAclRules = Partial<Record<ConsulAclResource | `${ConsulAclResource}_prefix`, Readonly<Record<string, ConsulAclPolicy>>>>;

/** A token the sandbox accepts. */
export interface ConsulSandboxToken {
  /** The secret clients send as `X-Consul-Token`. */
  readonly secretId: string;
  /** A management token may do anything (like `global-management`). */
  readonly management?: boolean;
  readonly rules?: ConsulAclRules;
}

/** ACL configuration; without it the sandbox behaves like an agent with ACLs disabled. */
export interface ConsulAclConfig {
  /** Decision when no rule matches, like `acl.default_policy`. */
  readonly defaultPolicy: 'allow' | 'deny';
  readonly tokens: readonly ConsulSandboxToken[];
}

const LEVEL: Readonly<Record<ConsulAclPolicy, number>> = { deny: 0, list: 1, read: 2, write: 3 };

/** The authority of one request. */
export interface Authorizer {
  allows(resource: ConsulAclResource, name: string, needed: ConsulAclPolicy): boolean;
  /** Consul's `KeyWritePrefix`: write on the prefix and no narrower rule below it that withholds write. */
  allowsKeyWritePrefix(prefix: string): boolean;
}

const ALLOW_ALL: Authorizer = { allows: () => true, allowsKeyWritePrefix: () => true };

/** Resolves a request's token: an authorizer, or `undefined` for an unknown secret (`ACL not found`). */
export function resolveToken(config: ConsulAclConfig | undefined, secret: string | undefined): Authorizer | undefined {
  if (!config) return ALLOW_ALL;
  if (secret === undefined || secret === '' || secret === 'anonymous') return createAuthorizer({}, config.defaultPolicy);
  const token = config.tokens.find((t) => t.secretId === secret);
  if (!token) return undefined;
  return token.management ? ALLOW_ALL : createAuthorizer(token.rules ?? {}, config.defaultPolicy);
}

function createAuthorizer(rules: ConsulAclRules, defaultPolicy: 'allow' | 'deny'): Authorizer {
  const fallback = defaultPolicy === 'allow' ? LEVEL.write : LEVEL.deny;
  const levelOf = (resource: ConsulAclResource, name: string): number | undefined => {
    const exact = rules[resource]?.[name];
    if (exact !== undefined) return LEVEL[exact];
    const prefixes = Object.entries(rules[`${resource}_prefix`] ?? {}).filter(([prefix]) => name.startsWith(prefix));
    const longest = prefixes.sort(([a], [b]) => b.length - a.length)[0];
    return longest ? LEVEL[longest[1]] : undefined;
  };
  return {
    allows: (resource, name, needed) => (levelOf(resource, name) ?? fallback) >= LEVEL[needed],
    allowsKeyWritePrefix: (prefix) => {
      if ((levelOf('key', prefix) ?? fallback) < LEVEL.write) return false;
      const narrower = [...Object.entries(rules.key ?? {}), ...Object.entries(rules.key_prefix ?? {})];
      return narrower.every(([name, policy]) => !name.startsWith(prefix) || LEVEL[policy] >= LEVEL.write);
    },
  };
}
