/**
 * The secrets preflight: before a deploy registers anything, check that Vault is ready for the
 * jobs — each job's `drover-<job>` policy and JWT role are the committed ones, and every secret
 * path and key its tasks reference exists at the current version. Collects every problem, then
 * fails once. Reads metadata and key names only, never a value.
 *
 * Exit codes (STYLE.md §5), decided here:
 * - 4 (refused) when the repository is right and Vault is not ready for it: a policy or role not
 *   applied or out of date, a secret path or key missing. Nothing
 *   in the job definitions is invalid, so it is not a validation error; the cluster refuses this
 *   deploy until someone applies Terraform or writes the secret — like a held lock, retrying after
 *   fixing the cluster succeeds without a new commit. A missing secret is in the same class: drover
 *   cannot tell a typo from a secret nobody wrote yet, and `vault kv patch` fixes both cases the
 *   job file does not change.
 * - 65 (validation) when any problem is in the repository itself: a committed policy or role
 *   file missing, unreadable or stale against the jobs (`drover render` fixes it). It wins over 4
 *   when both occur, because applying Vault from stale files would not help.
 * - 77 (no permission) when the token may not read something the check needs, or is refused
 *   outright: every "not allowed" exits 77 (the owner's rule, issue 12). 65 still wins over it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../clients/api-error.ts';
import type { VaultClient } from '../clients/vault/types.ts';
import type { Environment } from '../config/environment.ts';
import { DroverError, ExitCode, ValidationError, type DroverErrorDetails } from '../errors.ts';
import { hasErrors, type Diagnostic } from '../validate/diagnostic.ts';
import type { LoadedJob } from '../model/loaded-job.ts';
import { deriveVaultAccess } from './derive.ts';
import { diagnoseVaultState, PREFLIGHT_DENIED, PREFLIGHT_FILE, type Remedies } from './preflight-diagnose.ts';
import { readVaultState, type JobVaultState } from './vault-state.ts';

export { PREFLIGHT_DENIED, PREFLIGHT_FILE, PREFLIGHT_POLICY, PREFLIGHT_ROLE, PREFLIGHT_SECRET } from './preflight-diagnose.ts';

/** What the preflight checks: one environment's jobs against Vault and `vault-policies/`. */
export interface VaultStateCheck {
  /** A client whose token may read what `vault-policies/drover-deployer.hcl` grants. */
  readonly vault: VaultClient;
  readonly env: Environment;
  /** The jobs about to be deployed; those reading no secrets are skipped. */
  readonly jobs: readonly LoadedJob[];
  /** Project root holding `vault-policies/` (and `terraform/envs/<env>/`, named in hints when present). */
  readonly root: string;
  /** Vault's address, shown in the error's context. */
  readonly address?: string;
  readonly signal?: AbortSignal;
}

/**
 * Vault's state for `jobs` is not what they need. Carries every diagnostic; printed like a
 * validation error (a `ValidationError` subclass only for that), but its exit code is decided by
 * {@link vaultStateExitCode}: 4 unless a committed file is at fault (65) or the token was denied (77).
 */
export class VaultNotReadyError extends ValidationError {
  override readonly exitCode: ExitCode;

  constructor(message: string, diagnostics: readonly Diagnostic[], details: DroverErrorDetails = {}) {
    super(message, diagnostics, details);
    this.exitCode = vaultStateExitCode(diagnostics);
  }
}

/** True when any of `jobs` reads a secret in `env`, so a deploy of them needs the preflight. */
export function readsSecrets(jobs: readonly LoadedJob[], env: Environment): boolean {
  return jobs.some((job) => deriveVaultAccess(job, env) !== undefined);
}

/** Every problem (errors and warnings), with the per-job state they came from (for `secrets plan`). */
export async function checkVaultState(input: VaultStateCheck): Promise<{ diagnostics: Diagnostic[]; states: JobVaultState[] }> {
  await assertTokenUsable(input);
  const states = await readVaultState(input);
  return { diagnostics: diagnoseVaultState(states, input.env, remediesFor(input.root, input.env)), states };
}

/**
 * Runs the preflight and throws one {@link VaultNotReadyError} listing every error; returns the
 * warnings otherwise. `action` finishes the message, e.g. "nothing was deployed".
 */
export async function assertVaultReady(input: VaultStateCheck, action?: string): Promise<Diagnostic[]> {
  const { diagnostics } = await checkVaultState(input);
  if (!hasErrors(diagnostics)) return diagnostics;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const files = diagnostics.some((d) => d.severity === 'error' && d.rule === PREFLIGHT_FILE);
  const remedies = remediesFor(input.root, input.env);
  throw new VaultNotReadyError(`Vault is not ready for the jobs in ${input.env.name}: ${errors} problem${errors === 1 ? '' : 's'}${action ? `; ${action}` : ''}`, diagnostics, {
    context: { env: input.env.name, ...(input.address ? { vault: input.address } : {}), jobs: input.jobs.filter((j) => deriveVaultAccess(j, input.env)).map((j) => String(j.spec.id)).join(', ') },
    hint: files
      ? `Run \`drover render ${input.env.name}\` and commit vault-policies/${input.env.name}/; then ${lower(remedies.apply)}, write the secrets listed above, and retry.`
      : `${remedies.apply}, write the secrets listed above, and retry; \`drover secrets check ${input.env.name}\` re-checks without deploying.`,
  });
}

/** 65 when a committed file is at fault (fix the repository), else 77 when the token was denied a check, else 4 (Vault not ready). See the module comment. */
export function vaultStateExitCode(diagnostics: readonly Diagnostic[]): ExitCode {
  if (diagnostics.some((d) => d.severity === 'error' && d.rule === PREFLIGHT_FILE)) return ExitCode.validation;
  return diagnostics.some((d) => d.severity === 'error' && d.rule === PREFLIGHT_DENIED) ? ExitCode.noPermission : ExitCode.refused;
}

/** How to apply `vault-policies/<env>/`: this project's Terraform when it has `terraform/envs/<env>/`. */
export function remediesFor(root: string, env: Environment): Remedies {
  const dir = `terraform/envs/${env.name}`;
  if (existsSync(join(root, dir))) return { apply: `Run \`terraform -chdir=${dir} apply\`` };
  return { apply: `Apply vault-policies/${env.name}/ to Vault (each <job>.hcl as policy drover-<job>, each roles/<job>.json as role auth/${env.vault.jwtAuthPath}/role/drover-<job>)` };
}

function lower(sentence: string): string {
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

/** An invalid or expired token makes every check a 403; say that once instead of once per check. */
async function assertTokenUsable(input: VaultStateCheck): Promise<void> {
  try {
    await input.vault.token.lookupSelf(input.signal ? { signal: input.signal } : {});
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 403)) throw error;
    const origin = error.origin;
    const where = origin ? `Vault at ${origin.address} (from ${origin.addressFrom})` : `Vault${input.address ? ` at ${input.address}` : ''}`;
    throw new DroverError(`${where} refused the token in ${origin?.tokenVariable ?? 'VAULT_TOKEN'} (${input.env.name})`, ExitCode.noPermission, {
      context: { request: `${error.method} ${error.path}`, response: error.body || 'permission denied' },
      hint: 'The token is invalid or expired. Log in again (`vault login`), export VAULT_TOKEN, and retry; a token with the drover-deployer policy is enough.',
      cause: error,
    });
  }
}
