/**
 * Pure comparisons between the committed `vault-policies/<env>/` files and what Vault answers
 * back for them. Vault stores a policy's text verbatim, so text is compared as written (line
 * endings and trailing blanks aside) and, separately, as the access it grants. A JWT role is
 * compared field by field after Vault's read-back normalisation: durations in seconds, lists as
 * sets, `token_policies` lower-cased, and every field the file leaves out at Vault's default.
 * @see https://developer.hashicorp.com/vault/api-docs/auth/jwt#read-role
 */
import type { VaultJwtRoleRead } from '../wire/vault.ts';
import type { PolicyRule } from './policy-acl.ts';
import { normalize } from './policy-acl.ts';

/** One field of a role that differs: the value Vault holds (`undefined` when the role is missing) and the file's. */
export interface RoleFieldDifference {
  readonly field: string;
  readonly vault: unknown;
  readonly file: unknown;
}

/** A line of a policy text diff: kept, only in Vault (`-`), or only in the committed file (`+`). */
export interface DiffLine {
  readonly op: ' ' | '-' | '+';
  readonly text: string;
}

type FieldKind = 'string' | 'set' | 'policies' | 'map' | 'claims' | 'bool' | 'seconds' | 'int';

/**
 * The role fields drover reads back (src/wire/vault.ts `VaultJwtRoleRead`) with Vault's value for
 * a field nobody set (vault-plugin-auth-jwt `path_role.go`, tokenutil).
 */
const ROLE_FIELDS: Readonly<Record<keyof VaultJwtRoleRead, { readonly kind: FieldKind; readonly unset: unknown }>> = {
  role_type: { kind: 'string', unset: 'oidc' },
  bound_audiences: { kind: 'set', unset: [] },
  bound_subject: { kind: 'string', unset: '' },
  bound_claims: { kind: 'claims', unset: {} },
  bound_claims_type: { kind: 'string', unset: 'string' },
  user_claim: { kind: 'string', unset: '' },
  user_claim_json_pointer: { kind: 'bool', unset: false },
  claim_mappings: { kind: 'map', unset: {} },
  groups_claim: { kind: 'string', unset: '' },
  token_policies: { kind: 'policies', unset: [] },
  token_type: { kind: 'string', unset: 'default' },
  token_ttl: { kind: 'seconds', unset: 0 },
  token_max_ttl: { kind: 'seconds', unset: 0 },
  token_period: { kind: 'seconds', unset: 0 },
  token_explicit_max_ttl: { kind: 'seconds', unset: 0 },
  token_no_default_policy: { kind: 'bool', unset: false },
  token_num_uses: { kind: 'int', unset: 0 },
};

/** Fields of a role file that Vault's read answer (as drover narrows it) does not carry, so cannot be compared. */
export function uncomparableRoleFields(body: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(body).filter((key) => !(key in ROLE_FIELDS)).sort();
}

/**
 * Differences between a role file's body (`roleBody()`) and the role Vault reads back, in field
 * order. Empty when Vault would behave exactly as the file says.
 */
export function compareRole(body: Readonly<Record<string, unknown>>, vault: VaultJwtRoleRead): RoleFieldDifference[] {
  const found: RoleFieldDifference[] = [];
  for (const [field, { kind, unset }] of Object.entries(ROLE_FIELDS)) {
    const file = body[field] ?? unset;
    const live = (vault as Record<string, unknown>)[field] ?? unset;
    if (canonical(kind, file) !== canonical(kind, live)) found.push({ field, vault: live, file });
  }
  return found;
}

/** Policy text as Vault keeps it, minus what no reader can see: `\r`, trailing blanks, final newlines. */
export function normalizePolicyText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
}

/** True when two sets of rules grant exactly the same capabilities on exactly the same patterns. */
export function sameAccess(a: readonly PolicyRule[], b: readonly PolicyRule[]): boolean {
  return accessKey(a) === accessKey(b);
}

/** Patterns (with capabilities) granted by only one side, for messages: `secret/data/x [read]`. */
export function accessDifference(vault: readonly PolicyRule[], file: readonly PolicyRule[]): { onlyInVault: string[]; onlyInFile: string[] } {
  const show = (rules: readonly PolicyRule[]) => new Set(rules.map((r) => `${normalize(r.pattern)} [${r.capabilities.join(', ')}]`));
  const [v, f] = [show(vault), show(file)];
  return { onlyInVault: [...v].filter((x) => !f.has(x)).sort(), onlyInFile: [...f].filter((x) => !v.has(x)).sort() };
}

/**
 * A line diff from Vault's text (`-`) to the file's (`+`), longest-common-subsequence based, as
 * `terraform plan` would show the policy changing. Policies are small, so O(n·m) is fine.
 */
export function diffLines(vaultText: string, fileText: string): DiffLine[] {
  const a = normalizePolicyText(vaultText).split('\n');
  const b = normalizePolicyText(fileText).split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let [i, j] = [0, 0];
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) out.push({ op: ' ', text: a[i++]! }), j++;
    // On a tie the removal comes first, as in `diff -u`.
    else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push({ op: '-', text: a[i++]! });
    else out.push({ op: '+', text: b[j++]! });
  }
  return out;
}

/**
 * Seconds of a Vault duration input: an integer (seconds), a numeric string, or Go-style units
 * (`"1h30m"`, `"90s"`). NaN for anything else, which then never compares equal.
 */
export function durationToSeconds(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return Number.NaN;
  if (/^\d+$/.test(value)) return Number(value);
  const units: Record<string, number> = { h: 3600, m: 60, s: 1 };
  const parts = [...value.matchAll(/(\d+)([hms])/g)];
  if (parts.map((p) => p[0]).join('') !== value || parts.length === 0) return Number.NaN;
  return parts.reduce((total, [, n, unit]) => total + Number(n) * (units[unit!] ?? Number.NaN), 0);
}

function accessKey(rules: readonly PolicyRule[]): string {
  return JSON.stringify(rules.map((r) => [normalize(r.pattern), [...r.capabilities].sort()]).sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)));
}

/** A comparable string for a field value, after Vault's normalisation of its kind. */
function canonical(kind: FieldKind, value: unknown): string {
  switch (kind) {
    case 'seconds':
      return String(durationToSeconds(value));
    case 'int':
      return String(typeof value === 'string' ? Number(value) : value);
    case 'set':
    case 'policies':
      return JSON.stringify(asSet(value, kind === 'policies'));
    case 'claims':
    case 'map':
      return JSON.stringify(sortedEntries(value, kind === 'claims'));
    default:
      return JSON.stringify(value);
  }
}

/** Vault takes lists as lists or comma-separated strings, de-duplicates and (for policies) lower-cases them. */
function asSet(value: unknown, lower: boolean): string[] {
  const items = Array.isArray(value) ? value.map(String) : typeof value === 'string' && value !== '' ? value.split(',') : [];
  return [...new Set(items.map((s) => (lower ? s.trim().toLowerCase() : s.trim())))].sort();
}

/** A map's entries sorted; a claim's single-item list means the same as the string. */
function sortedEntries(value: unknown, claims: boolean): [string, unknown][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]): [string, unknown] => {
      if (!claims || !Array.isArray(v)) return [k, v];
      const set = asSet(v, false);
      return [k, set.length === 1 ? set[0] : set];
    })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
