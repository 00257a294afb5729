import type { Diagnostic } from '../validate/diagnostic.ts';
import { problem } from '../validate/rule.ts';
import { blockLocation } from './check-job-policy.ts';
import type { VaultAccess } from './derive.ts';
import { allows, isSegmentWildcard, isTemplated, normalize, winningRule, type PolicyRule } from './policy-acl.ts';

/** Rule id: hand-written policies (the deployer's) never read secret values. */
export const DEPLOYER_NO_VALUES = 'vault/deployer-no-values';

/** A path segment no real secret uses, to ask "does this rule reach anything under <mount>/data/?". */
const PROBE = 'drover-probe';

/**
 * Checks a hand-written policy (e.g. `drover-deployer.hcl`) never grants `read` on a KV v2 data
 * path: not on any path a job references (evaluated with Vault's matching, so a more specific
 * `deny` is honoured), and not on any other secret under the mounts the jobs use. drover may
 * check that a secret exists (metadata, subkeys); it must never be able to read a value.
 */
export function checkHandWrittenPolicy(rules: readonly PolicyRule[], file: string, accesses: readonly VaultAccess[], kvMount: string): Diagnostic[] {
  const exposed = new Map<string, Set<string>>();
  const expose = (pattern: string, what: string) => exposed.set(pattern, (exposed.get(pattern) ?? new Set()).add(what));
  for (const dataPath of new Set(accesses.flatMap((a) => a.dataPaths))) {
    const rule = winningRule(rules, dataPath);
    if (rule && allows(rules, dataPath, 'read')) expose(rule.pattern, dataPath);
  }
  const mounts = [...new Set([kvMount, ...accesses.flatMap((a) => a.references.map((r) => r.mount))])].sort();
  for (const mount of mounts) {
    const target = [...mount.split('/'), 'data'];
    for (const rule of rules) {
      if (!rule.capabilities.includes('read')) continue;
      if (isTemplated(rule.pattern)) {
        if (templateMayReach(rule.pattern, target)) expose(rule.pattern, `${mount}/data/ (templated path)`);
        continue;
      }
      const witness = witnessUnder(rule.pattern, target);
      const winner = witness === undefined ? undefined : winningRule(rules, witness);
      if (witness !== undefined && winner && allows(rules, witness, 'read')) expose(winner.pattern, `any secret under ${mount}/data/`);
    }
  }
  return [...exposed.entries()].map(([pattern, what]) =>
    problem(
      DEPLOYER_NO_VALUES,
      blockLocation(file, pattern),
      `path ${JSON.stringify(pattern)} lets this policy read secret values: ${describe([...what], accesses)}`,
      `Remove "read" here or narrow the path so it excludes ${mounts.map((m) => `${m}/data/`).join(', ')}. drover's preflight needs only ${mounts.map((m) => `${m}/metadata/* and ${m}/subkeys/*`).join(', ')}.`,
    ),
  );
}

/** Referenced paths first (with the jobs that read them), then the catch-all findings. */
function describe(what: readonly string[], accesses: readonly VaultAccess[]): string {
  const referenced = what.filter((w) => !w.includes(' ')).sort();
  const other = what.filter((w) => w.includes(' ')).sort();
  const named = referenced.map((path) => {
    const jobs = accesses.filter((a) => a.dataPaths.includes(path)).map((a) => a.jobId);
    return `${path} (job${jobs.length === 1 ? '' : 's'} ${jobs.join(', ')})`;
  });
  return [...named, ...other].join('; ');
}

/**
 * A concrete path strictly below `target` (e.g. `secret/data/`) that `pattern` matches, or
 * undefined when it matches none. Vault then decides, with all rules, whether it is readable.
 */
export function witnessUnder(pattern: string, target: readonly string[]): string | undefined {
  const key = normalize(pattern);
  const prefix = `${target.join('/')}/`;
  if (!isSegmentWildcard(key)) {
    if (!key.endsWith('*')) return key.startsWith(prefix) && key.length > prefix.length ? key : undefined;
    const base = key.slice(0, -1);
    if (base.startsWith(prefix)) return `${base}${PROBE}`;
    return prefix.startsWith(base) ? `${prefix}${PROBE}` : undefined;
  }
  const isPrefix = key.endsWith('*');
  const parts = (isPrefix ? key.slice(0, -1) : key).split('/');
  const out: string[] = [];
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    const wanted = target[i];
    if (wanted === undefined) {
      out.push(part === '+' ? PROBE : isPrefix && last ? `${part}${PROBE}` : part);
    } else if (part === '+' || part === wanted) {
      out.push(wanted);
    } else if (isPrefix && last && wanted.startsWith(part)) {
      return `${prefix}${PROBE}`;
    } else {
      return undefined;
    }
  }
  if (out.length > target.length) return out.join('/');
  return isPrefix ? `${prefix}${PROBE}` : undefined;
}

/** A templated path can resolve to anything after its first `{{`; compare what comes before. */
function templateMayReach(pattern: string, target: readonly string[]): boolean {
  const literal = normalize(pattern).split('{{')[0] ?? '';
  const prefix = `${target.join('/')}/`;
  return prefix.startsWith(literal) || literal.startsWith(prefix);
}
