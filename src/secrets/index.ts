/**
 * Vault access derived from the jobs: per-job least-privilege policies and JWT roles
 * (`vault-policies/<env>/`), and the checks `drover validate` runs over them.
 */
export {
  deriveVaultAccess,
  generatedHeader,
  GENERATED_MARKER,
  roleBody,
  secretReferences,
  vaultPolicyFiles,
  vaultPolicyPath,
  vaultRolePath,
  WORKLOAD_TOKEN_SECONDS,
  type SecretReference,
  type VaultAccess,
  type VaultJwtRole,
} from './derive.ts';
export { checkPolicyFiles, POLICY_MISSING, POLICY_ORPHAN, POLICY_SYNTAX, type PolicyCheckInput } from './check-policies.ts';
export { POLICY_COVERAGE, POLICY_MINIMAL } from './check-job-policy.ts';
export { ROLE_BINDING } from './check-role.ts';
export { DEPLOYER_NO_VALUES } from './check-deployer.ts';
export { POLICIES_DIR, readPolicyFiles, type PolicyFile } from './policy-files.ts';
