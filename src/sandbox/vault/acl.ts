/**
 * Vault's ACL decision (vault/acl.go): rules of all the token's policies are merged per pattern
 * (capabilities unioned; `deny` wins within a pattern); an exact pattern wins outright (for a LIST
 * also the exact pattern without the trailing slash); otherwise the most specific of the longest
 * `*` prefix rule and every matching `+` rule wins, by Vault's priority:
 * 1. the first wildcard (`+` or `*`) later in the pattern wins;
 * 2. a pattern not ending in `*` beats one that does;
 * 3. fewer `+` segments win;
 * 4. the longer pattern wins;
 * 5. the lexicographically larger pattern wins.
 * Only the winning rule counts, even if a less specific one denies.
 * @see https://developer.hashicorp.com/vault/docs/concepts/policies#priority-matching
 */
import type { Capability, PathRule, Policy } from './policy.ts';

/** What a request needs. */
export type Operation = 'read' | 'list' | 'create' | 'update' | 'delete' | 'patch';

interface Candidate {
  readonly pattern: string;
  readonly firstWildcard: number;
  readonly isPrefix: boolean;
  readonly plusCount: number;
  readonly capabilities: ReadonlySet<Capability>;
}

/** Whether the policies allow `operation` on `path` (`root` allows everything). */
export function isAllowed(policies: readonly Policy[], path: string, operation: Operation): boolean {
  if (policies.some((p) => p.name === 'root')) return true;
  const capabilities = capabilitiesFor(policies, path, operation === 'list');
  return capabilities !== undefined && !capabilities.has('deny') && capabilities.has(operation);
}

/** The capabilities of the winning rule, or `undefined` if none matches. */
export function capabilitiesFor(policies: readonly Policy[], path: string, isList = false): ReadonlySet<Capability> | undefined {
  const rules = merge(policies.flatMap((p) => p.rules));
  const exact = rules.get(path) ?? (isList ? rules.get(path.replace(/\/$/, '')) : undefined);
  if (exact && !isWildcard(path)) return exact;
  const candidates: Candidate[] = [];
  let longestPrefix: Candidate | undefined;
  for (const [pattern, capabilities] of rules) {
    if (pattern.includes('+')) {
      if (matchesSegments(pattern, path)) candidates.push(describe(pattern, capabilities));
    } else if (pattern.endsWith('*') && path.startsWith(pattern.slice(0, -1))) {
      if (!longestPrefix || pattern.length > longestPrefix.pattern.length) longestPrefix = describe(pattern, capabilities);
    }
  }
  if (longestPrefix) candidates.push(longestPrefix);
  return candidates.sort(byPriority).at(-1)?.capabilities;
}

function isWildcard(pattern: string): boolean {
  return pattern.endsWith('*') || pattern.includes('+');
}

/** Rules of several policies merged per pattern; templated patterns never match (no identity store). */
function merge(rules: readonly PathRule[]): Map<string, ReadonlySet<Capability>> {
  const merged = new Map<string, Set<Capability>>();
  for (const { pattern, capabilities } of rules) {
    if (pattern.includes('{{')) continue;
    const set = merged.get(pattern) ?? new Set<Capability>();
    for (const capability of capabilities) set.add(capability);
    merged.set(pattern, set);
  }
  // An exact pattern only matches itself; wildcard ones are handled by the caller.
  return merged;
}

/** `+` matches exactly one segment; a trailing `*` makes the last segment a prefix match. */
function matchesSegments(pattern: string, path: string): boolean {
  const isPrefix = pattern.endsWith('*');
  const patternParts = (isPrefix ? pattern.slice(0, -1) : pattern).split('/');
  const pathParts = path.split('/');
  if (pathParts.length < patternParts.length || (!isPrefix && pathParts.length !== patternParts.length)) return false;
  return patternParts.every((part, i) => {
    const actual = pathParts[i] ?? '';
    if (part === '+' || part === actual) return true;
    return isPrefix && i === patternParts.length - 1 && actual.startsWith(part);
  });
}

function describe(pattern: string, capabilities: ReadonlySet<Capability>): Candidate {
  const plus = pattern.indexOf('+');
  const star = pattern.endsWith('*') ? pattern.length - 1 : -1;
  const firstWildcard = [plus, star].filter((i) => i >= 0).reduce((a, b) => Math.min(a, b), pattern.length);
  return { pattern, firstWildcard, isPrefix: star >= 0, plusCount: pattern.split('/').filter((s) => s === '+').length, capabilities };
}

/** Ascending priority (the last element wins). */
function byPriority(a: Candidate, b: Candidate): number {
  if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard - b.firstWildcard;
  if (a.isPrefix !== b.isPrefix) return a.isPrefix ? -1 : 1;
  if (a.plusCount !== b.plusCount) return b.plusCount - a.plusCount;
  if (a.pattern.length !== b.pattern.length) return a.pattern.length - b.pattern.length;
  return a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0;
}
