/**
 * What applying `vault-policies/<env>/` would change in Vault, per job: the policy as a line diff
 * (Vault's text → the committed file) and the JWT role field by field. Pure, over the state
 * `readVaultState` read; `drover secrets plan` prints it.
 */
import type { VaultJwtRoleRead } from '../wire/vault.ts';
import { compareRole, diffLines, normalizePolicyText, sameAccess, type DiffLine, type RoleFieldDifference } from './vault-state-compare.ts';
import type { JobVaultState, PolicyState, RoleState } from './vault-state.ts';

/** `none`: Vault matches the file; `create`: not in Vault; `update`: differs; `unknown`: the token may not read it. */
export type PlanAction = 'none' | 'create' | 'update' | 'unknown';

/** The plan for one job's policy. */
export interface PolicyPlan {
  readonly name: string;
  readonly file: string;
  readonly action: PlanAction;
  /** Diff from Vault's text to the file's; every line `+` for `create`, empty for `none`/`unknown`. */
  readonly lines: readonly DiffLine[];
  /** False when only comments or layout change (the access granted stays the same). */
  readonly changesAccess: boolean;
  /** The request Vault denied, for `unknown`. */
  readonly denied?: string;
}

/** The plan for one job's JWT role. */
export interface RolePlan {
  readonly name: string;
  readonly file: string;
  readonly action: PlanAction;
  /** Differing fields (`vault` undefined for `create`). */
  readonly fields: readonly RoleFieldDifference[];
  readonly denied?: string;
}

/** One job's plan, with notes about its committed files (missing or stale against the jobs). */
export interface JobVaultPlan {
  readonly jobId: string;
  readonly policy: PolicyPlan;
  readonly role: RolePlan;
  readonly notes: readonly string[];
}

/** The plan of every job, in the order of `states`. */
export function planVaultChanges(states: readonly JobVaultState[]): JobVaultPlan[] {
  return states.map((state) => ({
    jobId: state.access.jobId,
    policy: planPolicy(state.policy),
    role: planRole(state.role),
    notes: [notesFor(state.policy), notesFor(state.role)].filter((n): n is string => n !== undefined),
  }));
}

/** True when applying the files would change something, or when something could not be read. */
export function hasVaultChanges(plans: readonly JobVaultPlan[]): boolean {
  return plans.some((p) => p.policy.action !== 'none' || p.role.action !== 'none');
}

function planPolicy(policy: PolicyState): PolicyPlan {
  const base = { name: policy.name, file: policy.file };
  const text = policy.committed ?? policy.derived;
  if (policy.vault.status === 'denied') return { ...base, action: 'unknown', lines: [], changesAccess: false, denied: policy.vault.request };
  if (policy.vault.status === 'missing') {
    return { ...base, action: 'create', lines: normalizePolicyText(text).split('\n').map((line) => ({ op: '+', text: line })), changesAccess: true };
  }
  if (normalizePolicyText(policy.vault.value) === normalizePolicyText(text)) return { ...base, action: 'none', lines: [], changesAccess: false };
  const changesAccess = !(policy.vaultRules && policy.fileRules && sameAccess(policy.vaultRules, policy.fileRules));
  return { ...base, action: 'update', lines: diffLines(policy.vault.value, text), changesAccess };
}

function planRole(role: RoleState): RolePlan {
  const base = { name: role.name, file: role.file };
  if (role.vault.status === 'denied') return { ...base, action: 'unknown', fields: [], denied: role.vault.request };
  const body = role.body ?? {};
  if (role.vault.status === 'missing') {
    return { ...base, action: 'create', fields: Object.keys(body).sort().map((field) => ({ field, vault: undefined, file: body[field] })) };
  }
  const fields = compareRole(body, role.vault.value as VaultJwtRoleRead);
  return { ...base, action: fields.length ? 'update' : 'none', fields };
}

function notesFor(item: PolicyState | RoleState): string | undefined {
  if (item.committed === undefined) return `${item.file} does not exist; compared with what \`drover render\` would write`;
  if (item.committed !== item.derived) return `${item.file} is stale against the jobs; run \`drover render\` and commit it`;
  return undefined;
}
