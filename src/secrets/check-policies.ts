import type { Environment } from '../config/environment.ts';
import { sortDiagnostics, type Diagnostic } from '../validate/diagnostic.ts';
import { problem } from '../validate/rule.ts';
import { type LoadedJob } from '../model/loaded-job.ts';
import { checkHandWrittenPolicy } from './check-deployer.ts';
import { blockLocation, checkJobPolicy } from './check-job-policy.ts';
import { checkRole } from './check-role.ts';
import { deriveVaultAccess, vaultPolicyPath, vaultRolePath, type VaultAccess } from './derive.ts';
import { readPolicyRules, type PolicyRule } from './policy-acl.ts';
import { classifyPolicyFile, readPolicyFiles, type PolicyFile } from './policy-files.ts';

/** Rule id: a policy (or role file) Vault or HCL would reject; located at the parser's line:col. */
export const POLICY_SYNTAX = 'vault/policy-syntax';
/** Rule id: a job reads secrets but its policy or role file is not committed. */
export const POLICY_MISSING = 'vault/policy-missing';
/** Rule id: a policy or role file in `vault-policies/<env>/` for a job that reads no secrets (or does not exist). */
export const POLICY_ORPHAN = 'vault/policy-orphan';

/** What {@link checkPolicyFiles} checks: one environment's jobs against `vault-policies/`. */
export interface PolicyCheckInput {
  /** Project root; `vault-policies/` is read from it when `files` is not given. */
  readonly root?: string;
  /** @default env.name */
  readonly envName?: string;
  /** Every job of the project, built for `env`. */
  readonly jobs: readonly LoadedJob[];
  readonly env: Environment;
  /** Files under `vault-policies/` (paths relative to the root); read from `root` when absent. */
  readonly files?: readonly PolicyFile[];
}

/**
 * Checks `vault-policies/` against the jobs of one environment, collecting every problem:
 * syntax (HashiCorp's HCL parser), each job's policy (coverage and minimality under Vault's
 * matching rules), each job's JWT role (bindings), missing and orphaned files, and that no
 * hand-written policy can read a secret value. Async only because the parser is WebAssembly.
 */
export async function checkPolicyFiles(input: PolicyCheckInput): Promise<Diagnostic[]> {
  const { env, jobs } = input;
  const envName = input.envName ?? env.name;
  if (!input.files && input.root === undefined) throw new Error('internal: checkPolicyFiles needs files or root');
  const files = input.files ?? (await readPolicyFiles(input.root as string));
  const accesses = new Map<string, VaultAccess>();
  for (const job of jobs) {
    const access = deriveVaultAccess(job, env);
    if (access) accesses.set(access.jobId, access);
  }
  const knownJobs = new Set(jobs.map((j) => String(j.spec?.id)));
  const found: Diagnostic[] = [];
  for (const file of files) {
    const kind = classifyPolicyFile(file, envName);
    if (kind.kind === 'other') continue;
    if (kind.kind === 'job-role') {
      const access = accesses.get(kind.jobId);
      if (!access) found.push(orphan(file.path, kind.jobId, knownJobs, envName));
      else found.push(...checkRoleFile(access, file, env));
      continue;
    }
    const parsed = await parsePolicy(file);
    found.push(...parsed.diagnostics);
    if (kind.kind === 'job-policy') {
      const access = accesses.get(kind.jobId);
      if (!access) found.push(orphan(file.path, kind.jobId, knownJobs, envName));
      else if (parsed.rules) found.push(...checkJobPolicy(access, parsed.rules, file.path, envName));
    } else if (kind.kind === 'hand-written' && parsed.rules) {
      found.push(...checkHandWrittenPolicy(parsed.rules, file.path, [...accesses.values()], env.vault.kvMount));
    }
  }
  found.push(...missing([...accesses.values()], new Set(files.map((f) => f.path)), envName));
  return sortDiagnostics(found);
}

/** Rules of a policy file, or a located syntax diagnostic (rules undefined when unparseable). */
async function parsePolicy(file: PolicyFile): Promise<{ rules?: PolicyRule[]; diagnostics: Diagnostic[] }> {
  let document: Record<string, unknown>;
  try {
    // Imported here: the parser instantiates its WebAssembly as it loads (~0.3 s), which a
    // project without policy files should not pay.
    const { parse } = await import('@cdktf/hcl2json');
    document = (await parse(file.path, file.content)) as Record<string, unknown>;
  } catch (error) {
    const { position, detail } = parserMessage(error, file.path);
    return {
      diagnostics: [
        problem(POLICY_SYNTAX, { file: file.path, path: position }, `${file.path}${position ? `:${position}` : ''}: ${detail}`, 'Fix the HCL syntax; a policy is a list of path "<pattern>" { capabilities = ["read"] } blocks.'),
      ],
    };
  }
  const { rules, problems } = readPolicyRules(document);
  const diagnostics = problems.map((p) =>
    problem(
      POLICY_SYNTAX,
      p.pattern === undefined ? { file: file.path, path: '' } : blockLocation(file.path, p.pattern),
      p.pattern === undefined ? `Vault would reject ${file.path}: ${p.message}` : `Vault would reject path ${JSON.stringify(p.pattern)}: ${p.message}`,
      'See https://developer.hashicorp.com/vault/docs/concepts/policies#policy-syntax.',
    ),
  );
  // A policy Vault would refuse is not evaluated further: its effect is "not applied at all".
  return problems.length ? { diagnostics } : { rules, diagnostics };
}

/**
 * hcl2json rejects with `parse config: [<file>:<line>,<col>-<end>: <summary>; <detail>]`; keep
 * the first diagnostic's position (`line:col`) and text.
 */
function parserMessage(error: unknown, file: string): { position: string; detail: string } {
  const text = error instanceof Error ? error.message : String(error);
  const body = text.replace(/^parse config: \[/, '').replace(/\]$/, '');
  const located = /:(\d+),(\d+)(?:-(?:\d+,)?\d+)?: ([^]*)$/.exec(body.startsWith(file) ? body.slice(file.length) : body);
  if (!located) return { position: '', detail: body };
  return { position: `${located[1]}:${located[2]}`, detail: located[3] as string };
}

function checkRoleFile(access: VaultAccess, file: PolicyFile, env: Environment): Diagnostic[] {
  let role: unknown;
  try {
    role = JSON.parse(file.content);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return [problem(POLICY_SYNTAX, { file: file.path, path: '' }, `${file.path} is not valid JSON: ${detail}`, `Run \`drover render ${env.name}\` to regenerate it.`)];
  }
  if (role === null || typeof role !== 'object' || Array.isArray(role)) {
    return [problem(POLICY_SYNTAX, { file: file.path, path: '' }, `${file.path} does not hold a JSON object`, `Run \`drover render ${env.name}\` to regenerate it.`)];
  }
  return checkRole(access, role as Record<string, unknown>, file.path, env);
}

function orphan(path: string, jobId: string, knownJobs: ReadonlySet<string>, envName: string): Diagnostic {
  const why = knownJobs.has(jobId) ? `job "${jobId}" no longer references any secret in ${envName}` : `there is no job "${jobId}" in jobs/`;
  return problem(POLICY_ORPHAN, { file: path, path: '' }, `${path} is left over: ${why}`, `Delete it (Terraform then removes the policy/role from Vault), or run \`drover render ${envName}\`.`);
}

function missing(accesses: readonly VaultAccess[], present: ReadonlySet<string>, envName: string): Diagnostic[] {
  return accesses.flatMap((access) =>
    [vaultPolicyPath(envName, access.jobId), vaultRolePath(envName, access.jobId)]
      .filter((path) => !present.has(path))
      .map((path) =>
        problem(
          POLICY_MISSING,
          { file: path, path: '' },
          `Job "${access.jobId}" reads secrets (${access.dataPaths.join(', ')}) but ${path} does not exist; its tasks could not log in to Vault`,
          `Run \`drover render ${envName}\` and commit ${path}.`,
        ),
      ),
  );
}
