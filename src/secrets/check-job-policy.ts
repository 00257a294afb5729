import type { Diagnostic } from '../validate/diagnostic.ts';
import { problem } from '../validate/rule.ts';
import type { VaultAccess } from './derive.ts';
import { hasWildcard, normalize, winningRule, type PolicyRule } from './policy-acl.ts';

/** Rule id: every secret a job's tasks read is readable under its policy. */
export const POLICY_COVERAGE = 'vault/policy-coverage';
/** Rule id: the policy grants nothing the job's references do not need. */
export const POLICY_MINIMAL = 'vault/policy-minimal';

/** Where a policy problem is shown: the file and the `path "<pattern>"` block. */
export function blockLocation(file: string, pattern: string): { file: string; path: string } {
  return { file, path: `path ${JSON.stringify(pattern)}` };
}

/**
 * Checks a job's policy against what its tasks read: coverage (each data path readable, by
 * Vault's own matching, so a `deny` or a more specific rule without `read` counts) and
 * minimality (exact data paths, `read` only).
 */
export function checkJobPolicy(access: VaultAccess, rules: readonly PolicyRule[], file: string, envName: string): Diagnostic[] {
  return [...coverage(access, rules, file, envName), ...rules.flatMap((rule) => minimality(access, rule, file, envName))];
}

function coverage(access: VaultAccess, rules: readonly PolicyRule[], file: string, envName: string): Diagnostic[] {
  return access.dataPaths.flatMap((dataPath): Diagnostic[] => {
    const rule = winningRule(rules, dataPath);
    const who = readers(access, dataPath);
    const hint = `Run \`drover render ${envName}\` to regenerate ${file}; it grants path ${JSON.stringify(dataPath)} { capabilities = ["read"] }.`;
    if (!rule) {
      return [problem(POLICY_COVERAGE, blockLocation(file, dataPath), `Policy ${access.policyName} does not grant read on ${dataPath}, which ${who} reads`, hint)];
    }
    if (rule.capabilities.includes('deny')) {
      return [problem(POLICY_COVERAGE, blockLocation(file, rule.pattern), `path ${JSON.stringify(rule.pattern)} denies ${dataPath}, which ${who} reads; the task's template would fail with "permission denied"`, hint)];
    }
    if (!rule.capabilities.includes('read')) {
      return [problem(POLICY_COVERAGE, blockLocation(file, rule.pattern), `path ${JSON.stringify(rule.pattern)} is the rule Vault applies to ${dataPath}, and it does not grant read (${rule.capabilities.join(', ') || 'no capabilities'}); ${who} reads it`, hint)];
    }
    return [];
  });
}

function minimality(access: VaultAccess, rule: PolicyRule, file: string, envName: string): Diagnostic[] {
  const at = blockLocation(file, rule.pattern);
  const hint = `Remove it. Job "${access.jobId}" reads only ${access.dataPaths.join(', ')}; \`drover render ${envName}\` writes exactly that.`;
  const granted = rule.capabilities.filter((c) => c !== 'deny');
  // A deny-only block grants nothing; coverage reports it when it blocks a needed path.
  if (granted.length === 0) return [];
  const found: Diagnostic[] = [];
  const key = normalize(rule.pattern);
  if (hasWildcard(rule.pattern)) {
    found.push(problem(POLICY_MINIMAL, at, `path ${JSON.stringify(rule.pattern)} is a wildcard; it grants ${granted.join(', ')} on secrets job "${access.jobId}" does not reference`, hint));
  } else if (!access.dataPaths.includes(key)) {
    found.push(problem(POLICY_MINIMAL, at, `path ${JSON.stringify(rule.pattern)} ${describeUnneeded(key)} no secret reference of job "${access.jobId}" needs`, hint));
  }
  const extra = granted.filter((c) => c !== 'read');
  if (extra.length) {
    found.push(problem(POLICY_MINIMAL, at, `path ${JSON.stringify(rule.pattern)} grants ${extra.join(', ')}; tasks only read secrets`, `Use capabilities = ["read"]. ${hint}`));
  }
  return found;
}

function describeUnneeded(key: string): string {
  if (/^[^/]+(\/[^/]+)*\/metadata(\/|$)/.test(key)) return 'is a KV v2 metadata path (versions, custom metadata, listing), which';
  return 'is a path';
}

/** "task api (keys password, username)" — who needs a data path, for messages. */
function readers(access: VaultAccess, dataPath: string): string {
  const refs = access.references.filter((r) => r.dataPath === dataPath);
  const tasks = [...new Set(refs.map((r) => r.task))].sort();
  const keys = [...new Set(refs.map((r) => r.key))].sort();
  return `${tasks.length === 1 ? 'task' : 'tasks'} ${tasks.join(', ')} (${keys.length === 1 ? 'key' : 'keys'} ${keys.join(', ')})`;
}
