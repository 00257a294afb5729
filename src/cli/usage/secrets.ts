/** `drover secrets`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS } from '../args.ts';

/** `drover secrets --help`: both actions, their exit codes, and where the Vault address and token come from. */
export const SECRETS_HELP = `drover secrets <check|plan> <env> [--job ID]

Compares Vault with what the jobs of <env> need, reading only metadata and key names (never a
secret value), with a read-only token (policy drover-deployer, vault-policies/drover-deployer.hcl).

  check   what \`drover deploy\` checks before registering anything: each job's policy drover-<job>
          and JWT role drover-<job> in Vault equal vault-policies/<env>/, and every secret path and
          key the tasks reference exists at its current version. Reports every problem at once.
          Exit 0 ready; 4 Vault not ready (policy or role not applied, secret path or key
          missing); 65 invalid jobs or stale vault-policies/<env>/; 77 VAULT_TOKEN missing,
          refused, or not allowed to check something.
  plan    what applying vault-policies/<env>/ (terraform) would change: per job, a line diff of
          the policy text (- Vault, + file) and the role's differing fields (Vault → file).
          Exit 0 no changes, 1 changes, 255 error (e.g. Vault unreachable), as \`drover plan\`;
          also 4 (Vault not ready), 64, 65, and 77 when the token is missing, refused or may not
          read a policy or role.

  --job ID            only this job
  --project DIR       project root holding jobs/ and environments/ (default: current directory)
  --environments DIR  environment definitions (default: <project>/environments)

Vault address from environments/<env>.ts, overridden by VAULT_ADDR; VAULT_TOKEN (required),
VAULT_NAMESPACE and VAULT_CACERT from the environment.
`;

export const SECRETS_OPTIONS = { ...COMMON_OPTIONS, job: { type: 'string' } } as const;
