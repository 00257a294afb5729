/**
 * Vault ACL policies as data, and Vault's rule for which `path` block applies to a request.
 *
 * Reading follows Vault's `parsePaths` (vault/policy.go) and matching follows `AllowOperation` /
 * `CheckAllowedFromNonExactPaths` (vault/acl.go): an exact rule wins outright; otherwise the
 * longest plain glob (`secret/data/*`) competes with every matching `+` rule, and the most
 * specific candidate wins — first wildcard later, no trailing `*`, fewer `+`, longer,
 * lexicographically larger. Blocks with the same pattern are merged first (capabilities unioned,
 * `deny` replaces everything), so a `deny` only bites when its pattern is the winner.
 * @see https://developer.hashicorp.com/vault/docs/concepts/policies#priority-matching
 */

/** Capabilities Vault 1.21 accepts in `capabilities = [...]`. */
export const VAULT_CAPABILITIES: ReadonlySet<string> = new Set(['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'subscribe', 'recover']);

/** Keys Vault accepts inside a `path` block; anything else makes Vault reject the policy. */
const PATH_KEYS = new Set([
  'capabilities', 'policy', 'comment', 'allowed_parameters', 'denied_parameters', 'required_parameters',
  'min_wrapping_ttl', 'max_wrapping_ttl', 'mfa_methods', 'control_group', 'subscribe_event_types',
]);

/** Pre-capabilities `policy = "..."` shorthand, still honoured by Vault. */
const LEGACY_POLICY: Readonly<Record<string, readonly string[]>> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};

/** All `path` blocks with one pattern, merged the way Vault merges them. */
export interface PolicyRule {
  /** The pattern as written in `path "<pattern>"` (the first spelling in label order), for locations. */
  readonly pattern: string;
  /** Sorted; exactly `["deny"]` when any block for the pattern denies. */
  readonly capabilities: readonly string[];
}

/** A policy Vault would refuse, or a block drover cannot evaluate. */
export interface PolicyProblem {
  /** Pattern of the offending block; undefined for the file as a whole. */
  readonly pattern?: string;
  readonly message: string;
}

/** True for identity-templated patterns (`{{identity.entity.id}}`), resolved per token by Vault. */
export function isTemplated(pattern: string): boolean {
  return pattern.includes('{{');
}

/** True when a pattern can match more than one path: a trailing `*`, a `+` segment, or a template. */
export function hasWildcard(pattern: string): boolean {
  const key = normalize(pattern);
  return key.endsWith('*') || isSegmentWildcard(key) || isTemplated(key);
}

/** Reads hcl2json's view of a policy (`{ path: { "<p>": [ { capabilities: [...] } ] } }`). */
export function readPolicyRules(document: Readonly<Record<string, unknown>>): { rules: PolicyRule[]; problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  for (const key of Object.keys(document)) {
    if (key !== 'path' && key !== 'name') problems.push({ message: `unknown top-level key "${key}" (a policy holds only path blocks)` });
  }
  const paths = document.path;
  if (paths === undefined) return { rules: [], problems };
  if (!isRecord(paths)) return { rules: [], problems: [...problems, { message: 'path must be a block: path "<pattern>" { capabilities = [...] }' }] };
  const merged = new Map<string, { pattern: string; capabilities: Set<string> }>();
  for (const [pattern, blocks] of Object.entries(paths)) {
    const capabilities = readBlocks(pattern, blocks, problems);
    if (!capabilities) continue;
    const key = normalize(pattern);
    const entry = merged.get(key) ?? { pattern, capabilities: new Set<string>() };
    for (const capability of capabilities) entry.capabilities.add(capability);
    merged.set(key, entry);
  }
  const rules = [...merged.values()].map(({ pattern, capabilities }) => ({
    pattern,
    capabilities: capabilities.has('deny') ? ['deny'] : [...capabilities].sort(),
  }));
  return { rules, problems };
}

/**
 * The rule Vault applies to `path` (an API path without `/v1/`), or undefined when none matches.
 * Templated rules are skipped: their paths depend on the token's identity.
 */
export function winningRule(rules: readonly PolicyRule[], path: string): PolicyRule | undefined {
  const compiled = rules.filter((r) => !isTemplated(r.pattern)).map((rule) => ({ rule, key: normalize(rule.pattern) }));
  const exact = compiled.find(({ key }) => !key.endsWith('*') && !isSegmentWildcard(key) && key === path);
  if (exact) return exact.rule;
  const candidates: Candidate[] = [];
  // Plain globs live in one radix tree; only the longest matching prefix is a candidate.
  const globs = compiled.filter(({ key }) => key.endsWith('*') && !isSegmentWildcard(key) && path.startsWith(key.slice(0, -1)));
  const longest = globs.sort((a, b) => b.key.length - a.key.length)[0];
  if (longest) {
    const base = longest.key.slice(0, -1);
    candidates.push({ rule: longest.rule, firstWildcard: base.length, isPrefix: true, wildcards: 0, base });
  }
  for (const { rule, key } of compiled) {
    if (!isSegmentWildcard(key)) continue;
    const candidate = matchSegments(rule, key, path);
    if (candidate) candidates.push(candidate);
  }
  return candidates.sort(byPriority).at(-1)?.rule;
}

/** True when the rule Vault applies to `path` grants `capability` (and is not a deny). */
export function allows(rules: readonly PolicyRule[], path: string, capability: string): boolean {
  const rule = winningRule(rules, path);
  return rule !== undefined && !rule.capabilities.includes('deny') && rule.capabilities.includes(capability);
}

/** Vault strips one leading `/` from every pattern. */
export function normalize(pattern: string): string {
  return pattern.startsWith('/') ? pattern.slice(1) : pattern;
}

/** Vault's own test: a `+` segment anywhere makes the whole rule a segment-wildcard rule. */
export function isSegmentWildcard(key: string): boolean {
  return key === '+' || key.includes('/+') || key.startsWith('+/');
}

interface Candidate {
  readonly rule: PolicyRule;
  /** Index of the first `+` (segment rules) or the glob position (plain globs). */
  readonly firstWildcard: number;
  readonly isPrefix: boolean;
  readonly wildcards: number;
  /** Pattern without its trailing `*`. */
  readonly base: string;
}

function matchSegments(rule: PolicyRule, key: string, path: string): Candidate | undefined {
  const isPrefix = key.endsWith('*');
  const base = isPrefix ? key.slice(0, -1) : key;
  const parts = base.split('/');
  const segments = path.split('/');
  if (segments.length < parts.length || (!isPrefix && segments.length !== parts.length)) return undefined;
  let wildcards = 0;
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] as string;
    if (part === '+') wildcards += 1;
    else if (part !== segment && !(isPrefix && i === parts.length - 1 && segment.startsWith(part))) return undefined;
  }
  return { rule, firstWildcard: key.indexOf('+'), isPrefix, wildcards, base };
}

/** Ascending priority, so the winner sorts last (as in Vault's `sort.Slice(..., less)`). */
function byPriority(a: Candidate, b: Candidate): number {
  if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard - b.firstWildcard;
  if (a.isPrefix !== b.isPrefix) return a.isPrefix ? -1 : 1;
  if (a.wildcards !== b.wildcards) return b.wildcards - a.wildcards;
  if (a.base.length !== b.base.length) return a.base.length - b.base.length;
  return a.base < b.base ? -1 : a.base > b.base ? 1 : 0;
}

/** Capabilities of every block for one pattern, or undefined when a block is malformed. */
function readBlocks(pattern: string, blocks: unknown, problems: PolicyProblem[]): string[] | undefined {
  if (normalize(pattern).includes('+*')) {
    problems.push({ pattern, message: "invalid use of wildcards ('+*' is forbidden)" });
    return undefined;
  }
  const list = Array.isArray(blocks) ? blocks : [blocks];
  const capabilities: string[] = [];
  for (const block of list) {
    if (!isRecord(block)) {
      problems.push({ pattern, message: 'is not a block' });
      return undefined;
    }
    const found = readBlock(pattern, block, problems);
    if (!found) return undefined;
    capabilities.push(...found);
  }
  return capabilities;
}

function readBlock(pattern: string, block: Readonly<Record<string, unknown>>, problems: PolicyProblem[]): string[] | undefined {
  const unknown = Object.keys(block).filter((key) => !PATH_KEYS.has(key));
  if (unknown.length) {
    problems.push({ pattern, message: `has unknown ${unknown.length === 1 ? 'key' : 'keys'} ${unknown.map((k) => `"${k}"`).join(', ')}` });
    return undefined;
  }
  const { capabilities = [], policy } = block;
  if (!Array.isArray(capabilities) || !capabilities.every((c): c is string => typeof c === 'string')) {
    problems.push({ pattern, message: 'capabilities must be a list of strings' });
    return undefined;
  }
  const invalid = capabilities.filter((c) => !VAULT_CAPABILITIES.has(c));
  if (invalid.length) {
    problems.push({ pattern, message: `has invalid ${invalid.length === 1 ? 'capability' : 'capabilities'} ${invalid.map((c) => `"${c}"`).join(', ')}` });
    return undefined;
  }
  if (policy === undefined) return capabilities;
  const legacy = typeof policy === 'string' ? LEGACY_POLICY[policy] : undefined;
  if (!legacy) {
    problems.push({ pattern, message: `has invalid policy ${JSON.stringify(policy)} (use capabilities = [...])` });
    return undefined;
  }
  return [...capabilities, ...legacy];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
