/**
 * Turns what was read from Vault and `vault-policies/` into diagnostics, every problem at once.
 * Pure: the same state always gives the same diagnostics. Messages name the job, task and
 * environment variable concerned, what is missing or out of date, and the command that fixes it;
 * they carry key names and paths, never a value.
 */
import type { Environment } from '../config/environment.ts';
import type { Diagnostic } from '../validate/diagnostic.ts';
import { problem, warning } from '../validate/rule.ts';
import type { JobVaultState, PolicyState, RoleState, SecretState, SecretUse } from './vault-state.ts';
import { accessDifference, compareRole, normalizePolicyText, sameAccess, uncomparableRoleFields } from './vault-state-compare.ts';

/** Rule id: a committed policy or role file is missing, unreadable, or stale against the jobs (fix the repository: exit 65). */
export const PREFLIGHT_FILE = 'vault/committed-file';
/** Rule id: Vault's `drover-<job>` policy is missing or grants other access than the committed file. */
export const PREFLIGHT_POLICY = 'vault/policy-applied';
/** Rule id: Vault's `drover-<job>` JWT role is missing or differs from the committed file. */
export const PREFLIGHT_ROLE = 'vault/role-applied';
/** Rule id: a referenced secret path or key does not exist at the current version. */
export const PREFLIGHT_SECRET = 'vault/secret-present';
/** Rule id: the token may not read what the preflight needs (metadata, subkeys, drover-* policies and roles). */
export const PREFLIGHT_DENIED = 'vault/preflight-denied';

/** What the hints tell people to run. */
export interface Remedies {
  /** An instruction that applies `vault-policies/<env>/` to Vault, e.g. "Run `terraform -chdir=terraform/envs/qa apply`". */
  readonly apply: string;
}

/** Every problem of every job, in job order (files, policy, role, then secrets). */
export function diagnoseVaultState(states: readonly JobVaultState[], env: Environment, remedies: Remedies): Diagnostic[] {
  return states.flatMap((state) => [
    ...fileProblems(state.policy, env),
    ...fileProblems(state.role, env),
    ...policyProblems(state, env, remedies),
    ...roleProblems(state, env, remedies),
    ...state.secrets.flatMap((secret) => secretProblems(secret)),
  ]);
}

function fileProblems(item: PolicyState | RoleState, env: Environment): Diagnostic[] {
  const at = { file: item.file, path: '' };
  const hint = `Run \`drover render ${env.name}\`, commit vault-policies/${env.name}/, then apply it to Vault.`;
  if (item.committed === undefined) return [problem(PREFLIGHT_FILE, at, `${item.file} does not exist, but the jobs need ${item.name}; Vault was compared with what drover would render`, hint)];
  if ('body' in item && item.body === undefined) return [problem(PREFLIGHT_FILE, at, `${item.file} is not a JSON object; its role cannot be compared with Vault's`, hint)];
  if (item.committed !== item.derived) return [problem(PREFLIGHT_FILE, at, `${item.file} is stale: the jobs now need a different ${'body' in item ? 'role' : 'policy'} than the committed one`, hint)];
  return [];
}

function policyProblems({ access, policy }: JobVaultState, env: Environment, remedies: Remedies): Diagnostic[] {
  const at = { file: policy.file, path: '' };
  const who = `job "${access.jobId}" (${tasksOf(access.references)})`;
  const apply = `${remedies.apply} (needs a Vault admin token), then retry.`;
  if (policy.vault.status === 'denied') return [denied(at, `policy ${policy.name}`, policy.vault.request)];
  if (policy.vault.status === 'missing') {
    return [problem(PREFLIGHT_POLICY, at, `Policy ${policy.name} does not exist in Vault; ${who} would log in without read access to ${access.dataPaths.join(', ')}`, apply)];
  }
  const expected = policy.committed ?? policy.derived;
  if (normalizePolicyText(policy.vault.value) === normalizePolicyText(expected)) return [];
  const planHint = `See the difference with \`drover secrets plan ${env.name}\`. ${apply}`;
  if (!policy.vaultRules || !policy.fileRules) {
    return [problem(PREFLIGHT_POLICY, at, `Policy ${policy.name} in Vault is not the text of ${policy.file}, and drover cannot parse one of them to compare their access`, planHint)];
  }
  if (sameAccess(policy.vaultRules, policy.fileRules)) {
    return [warning(PREFLIGHT_POLICY, at, `Policy ${policy.name} in Vault differs from ${policy.file} only in comments or layout; the access it grants is the same`, planHint)];
  }
  const { onlyInVault, onlyInFile } = accessDifference(policy.vaultRules, policy.fileRules);
  const parts = [
    ...(onlyInVault.length ? [`Vault grants ${onlyInVault.join(', ')}, which the file does not`] : []),
    ...(onlyInFile.length ? [`the file grants ${onlyInFile.join(', ')}, which Vault does not`] : []),
  ];
  return [problem(PREFLIGHT_POLICY, at, `Policy ${policy.name} in Vault is out of date with ${policy.file}: ${parts.join('; ')} — used by ${who}`, planHint)];
}

function roleProblems({ access, role }: JobVaultState, env: Environment, remedies: Remedies): Diagnostic[] {
  const at = { file: role.file, path: '' };
  const where = `auth/${env.vault.jwtAuthPath}`;
  const apply = `${remedies.apply} (needs a Vault admin token), then retry.`;
  if (role.vault.status === 'denied') return [denied(at, `JWT role ${role.name}`, role.vault.request)];
  if (role.vault.status === 'missing') {
    return [problem(PREFLIGHT_ROLE, at, `JWT role ${role.name} does not exist in Vault (${where}); ${tasksOf(access.references)} of job "${access.jobId}" could not log in to read their secrets`, apply)];
  }
  if (!role.body) return [];
  const found: Diagnostic[] = [];
  const differences = compareRole(role.body, role.vault.value);
  if (differences.length) {
    const fields = differences.map((d) => `${d.field} is ${show(d.vault)} in Vault, ${show(d.file)} in the file`);
    found.push(problem(PREFLIGHT_ROLE, at, `JWT role ${role.name} in Vault (${where}) is out of date with ${role.file}: ${fields.join('; ')}`, `See the difference with \`drover secrets plan ${env.name}\`. ${apply}`));
  }
  const unchecked = uncomparableRoleFields(role.body);
  if (unchecked.length) {
    found.push(warning(PREFLIGHT_ROLE, at, `${role.file} sets ${unchecked.join(', ')}, which drover does not read back from Vault; not compared`, 'Check these fields by hand with `vault read`.'));
  }
  return found;
}

function secretProblems(secret: SecretState): Diagnostic[] {
  const { mount, path, uses, vault } = secret;
  const name = `${mount}/${path}`;
  const first = uses[0]!.location;
  if (vault.status === 'denied') return [denied(first, `secret ${name}`, vault.request)];
  const readers = uses.map(describeUse).join('; ');
  const keys = [...new Set(uses.map((u) => u.key))].sort();
  const put = `vault kv put -mount=${mount} ${path} ${keys.map((k) => `${k}=<value>`).join(' ')}`;
  if (vault.status === 'missing') {
    return [problem(PREFLIGHT_SECRET, first, `Secret ${name} does not exist in Vault; ${readers}`, `Write it: \`${put}\`.`)];
  }
  const current = vault.value;
  if (current.state !== 'live') {
    const restore = current.state === 'deleted' ? `Restore it with \`vault kv undelete -mount=${mount} -versions=${current.version} ${path}\`, or write a new version: ` : 'Write a new version: ';
    return [problem(PREFLIGHT_SECRET, first, `The current version (${current.version}) of secret ${name} is ${current.state}; ${readers}`, `${restore}\`${put}\`.`)];
  }
  const present = current.keys;
  return uses
    .filter((use) => !present.includes(use.key))
    .map((use) =>
      problem(
        PREFLIGHT_SECRET,
        use.location,
        `Secret ${name} (version ${current.version}) has no key "${use.key}"; ${describeUse(use)}`,
        `Add it: \`vault kv patch -mount=${mount} ${path} ${use.key}=<value>\`.`,
      ),
    );
}

function denied(location: { file: string; path: string }, what: string, request: string): Diagnostic {
  return problem(
    PREFLIGHT_DENIED,
    location,
    `Cannot check ${what}: Vault denied ${request} (403) to the token in VAULT_TOKEN`,
    'Use a token with the drover-deployer policy (vault-policies/drover-deployer.hcl): it reads metadata, subkeys and drover-* policies and roles, never secret values.',
  );
}

function describeUse(use: SecretUse): string {
  return `task ${use.task} reads ${use.env} from key "${use.key}"`;
}

function tasksOf(references: readonly { task: string }[]): string {
  const tasks = [...new Set(references.map((r) => r.task))].sort();
  return `${tasks.length === 1 ? 'task' : 'tasks'} ${tasks.join(', ')}`;
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? 'unset';
}
