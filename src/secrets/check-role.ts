import type { Environment } from '../config/environment.ts';
import type { Diagnostic } from '../validate/diagnostic.ts';
import { problem, warning } from '../validate/rule.ts';
import type { VaultAccess } from './derive.ts';

/** Rule id: a job's JWT role only admits that job's workload identities, and only grants its policy. */
export const ROLE_BINDING = 'vault/role-binding';

/**
 * Checks a parsed role file: `role_type` jwt, exact-match `bound_claims` on this environment's
 * Nomad namespace and the job ID, the environment's audience, and `token_policies` exactly the
 * job's policy. Anything looser would let another job's tasks, or another namespace's, log in
 * with this job's secrets.
 */
export function checkRole(access: VaultAccess, role: Readonly<Record<string, unknown>>, file: string, env: Environment): Diagnostic[] {
  const found: Diagnostic[] = [];
  const hint = `Run \`drover render ${env.name}\` to regenerate ${file}.`;
  const fail = (path: string, message: string) => found.push(problem(ROLE_BINDING, { file, path }, message, hint));
  if (role.role_type !== 'jwt') {
    fail('role_type', `role_type is ${show(role.role_type)}; Vault defaults to "oidc", which rejects Nomad's workload identity logins`);
  }
  const claims = isRecord(role.bound_claims) ? role.bound_claims : {};
  if (claims.nomad_namespace !== env.nomad.namespace) {
    fail('bound_claims.nomad_namespace', `bound_claims.nomad_namespace is ${show(claims.nomad_namespace)}, not "${env.nomad.namespace}" (environment ${env.name})`);
  }
  if (claims.nomad_job_id !== access.jobId) {
    fail('bound_claims.nomad_job_id', `bound_claims.nomad_job_id is ${show(claims.nomad_job_id)}, not "${access.jobId}"; other jobs' tasks could read this job's secrets`);
  }
  if (role.bound_claims_type !== undefined && role.bound_claims_type !== 'string') {
    fail('bound_claims_type', `bound_claims_type is ${show(role.bound_claims_type)}; claims must match exactly ("string")`);
  }
  const audiences = typeof role.bound_audiences === 'string' ? [role.bound_audiences] : role.bound_audiences;
  if (!Array.isArray(audiences) || !audiences.includes(env.vault.audience)) {
    fail('bound_audiences', `bound_audiences ${show(role.bound_audiences)} does not include "${env.vault.audience}", the audience of Nomad's workload identities in ${env.name}`);
  }
  const policies = role.token_policies;
  if (!Array.isArray(policies) || policies.length !== 1 || policies[0] !== access.policyName) {
    fail('token_policies', `token_policies is ${show(policies)}, not exactly ["${access.policyName}"]`);
  }
  if (role.token_no_default_policy === true) {
    found.push(
      warning(ROLE_BINDING, { file, path: 'token_no_default_policy' }, 'token_no_default_policy is true: Nomad renews task tokens with auth/token/renew-self, which only the default policy grants', hint),
    );
  }
  return found;
}

function show(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
