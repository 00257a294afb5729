/**
 * ACL policies: the text is stored verbatim (Vault answers it back unchanged) and parsed into path
 * rules. HCL goes through `@cdktf/hcl2json`; the JSON form Vault also accepts is parsed directly.
 * Both the current `capabilities = [...]` and the legacy `policy = "read"` forms are understood.
 * Built-in `root` (all access, never stored) and `default` exist from the start.
 * @see https://developer.hashicorp.com/vault/docs/concepts/policies
 */
import { parse } from '@cdktf/hcl2json';
import { isRecord } from './http.ts';

/** A capability a rule may grant. */
export type Capability = 'create' | 'read' | 'update' | 'patch' | 'delete' | 'list' | 'sudo' | 'deny' | 'subscribe' | 'recover';

const CAPABILITIES: ReadonlySet<string> = new Set(['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'subscribe', 'recover']);

/** Legacy `policy = "..."` values and what they expand to. */
const LEGACY: Readonly<Record<string, readonly Capability[]>> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};

/** One `path "<pattern>" { ... }` block (several blocks for one pattern are merged). */
export interface PathRule {
  readonly pattern: string;
  readonly capabilities: ReadonlySet<Capability>;
}

/** A stored policy. */
export interface Policy {
  readonly name: string;
  /** The text as written. */
  readonly text: string;
  readonly rules: readonly PathRule[];
}

/** Parses policy text; throws with Vault's message (without the `failed to parse policy: ` prefix). */
export async function parsePolicy(name: string, text: string): Promise<Policy> {
  const trimmed = text.trim();
  const document: unknown = trimmed.startsWith('{') ? JSON.parse(trimmed) : await parse(`${name}.hcl`, text);
  const paths = isRecord(document) ? document['path'] : undefined;
  const merged = new Map<string, Set<Capability>>();
  for (const [pattern, blocks] of pathEntries(paths)) {
    const capabilities = merged.get(pattern) ?? new Set<Capability>();
    for (const block of blocks) for (const capability of capabilitiesOf(pattern, block)) capabilities.add(capability);
    merged.set(pattern, capabilities);
  }
  return { name, text, rules: [...merged].map(([pattern, capabilities]) => ({ pattern, capabilities })) };
}

/** hcl2json gives `{path: {"p": [block, ...]}}`; the JSON form may also be a list of such objects. */
function pathEntries(paths: unknown): [string, Record<string, unknown>[]][] {
  const objects = Array.isArray(paths) ? paths : [paths];
  return objects.filter(isRecord).flatMap((object) =>
    Object.entries(object).map(([pattern, blocks]): [string, Record<string, unknown>[]] => [pattern, (Array.isArray(blocks) ? blocks : [blocks]).filter(isRecord)]),
  );
}

function capabilitiesOf(pattern: string, block: Record<string, unknown>): Capability[] {
  const legacy = block['policy'];
  if (typeof legacy === 'string') {
    const expanded = LEGACY[legacy];
    if (!expanded) throw new Error(`path ${JSON.stringify(pattern)}: invalid policy ${JSON.stringify(legacy)}`);
    return [...expanded];
  }
  const listed = block['capabilities'];
  const values = Array.isArray(listed) ? listed : [];
  for (const value of values) {
    if (typeof value !== 'string' || !CAPABILITIES.has(value)) throw new Error(`path ${JSON.stringify(pattern)}: invalid capability ${JSON.stringify(value)}`);
  }
  return values as Capability[];
}

const rule = (pattern: string, ...capabilities: Capability[]): PathRule => ({ pattern, capabilities: new Set(capabilities) });

/**
 * The built-in `default` policy (abridged from Vault's: token self-service, cubbyhole, wrapping,
 * lease renewal). Identity-templated paths are left out: the sandbox has no identity store.
 */
const DEFAULT_RULES: readonly PathRule[] = [
  rule('auth/token/lookup-self', 'read'),
  rule('auth/token/renew-self', 'update'),
  rule('auth/token/revoke-self', 'update'),
  rule('sys/capabilities-self', 'update'),
  rule('sys/internal/ui/resultant-acl', 'read'),
  rule('sys/renew', 'update'),
  rule('sys/leases/renew', 'update'),
  rule('sys/leases/lookup', 'update'),
  rule('cubbyhole/*', 'create', 'read', 'update', 'delete', 'list'),
  rule('sys/wrapping/wrap', 'update'),
  rule('sys/wrapping/lookup', 'update'),
  rule('sys/wrapping/unwrap', 'update'),
  rule('sys/tools/hash', 'update'),
  rule('sys/tools/hash/*', 'update'),
];

function renderDefault(): string {
  const blocks = DEFAULT_RULES.map((r) => `path "${r.pattern}" {\n    capabilities = [${[...r.capabilities].map((c) => `"${c}"`).join(', ')}]\n}`);
  return `# Allow tokens to look up their own properties, renew and revoke themselves,\n# use their cubbyhole and response wrapping.\n${blocks.join('\n\n')}\n`;
}

/** Named policies, with Vault's rules for the built-ins. */
export class PolicyStore {
  private readonly policies = new Map<string, Policy>([['default', { name: 'default', text: renderDefault(), rules: DEFAULT_RULES }]]);

  get(name: string): Policy | undefined {
    if (name === 'root') return { name: 'root', text: '', rules: [] };
    return this.policies.get(name);
  }

  set(policy: Policy): void {
    this.policies.set(policy.name, policy);
  }

  delete(name: string): void {
    this.policies.delete(name);
  }

  /** Stored names sorted, then `root`, as Vault lists them. */
  names(): string[] {
    return [...[...this.policies.keys()].sort(), 'root'];
  }
}
