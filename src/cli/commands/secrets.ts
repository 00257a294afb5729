import { DroverError, ExitCode, UsageError } from '../../errors.ts';
import { formatDiagnostics } from '../../report/diagnostics.ts';
import { formatError } from '../../report/error.ts';
import type { Style } from '../../report/style.ts';
import { assertVaultReady, checkVaultState, readsSecrets, remediesFor } from '../../secrets/preflight.ts';
import { hasVaultChanges, planVaultChanges, type JobVaultPlan } from '../../secrets/vault-state-plan.ts';
import type { LoadedJob } from '../../model/loaded-job.ts';
import { parseCommandArgs } from '../args.ts';
import { createVaultClientFromEnv } from '../clients.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare, type Prepared, reportPrepared } from '../pipeline.ts';
import { SECRETS_HELP, SECRETS_OPTIONS } from '../usage/secrets.ts';

/** Exit code of a plan that could not be computed (Nomad's `plan` convention, STYLE.md §5). */
const PLAN_ERROR = 255;
const KEPT_CODES = new Set<number>([ExitCode.usage, ExitCode.validation, ExitCode.refused, ExitCode.noPermission]);

/**
 * `drover secrets check <env>` (the deploy's Vault preflight on its own: exit 0 ready, 4 not ready,
 * 65 stale files) and `drover secrets plan <env>` (policy and role differences: exit 0 none, 1 some).
 */
export async function secretsCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('secrets', argv, SECRETS_OPTIONS);
  const [action, envName, ...extra] = positionals;
  if (values.help || action === undefined) return io.stdout.write(SECRETS_HELP), values.help ? ExitCode.ok : ExitCode.usage;
  // `drover secrets qa` names the environment where the action belongs: suggest both actions for it.
  const env = envName ?? action;
  if (action !== 'check' && action !== 'plan') throw new UsageError(`Unknown secrets action "${action}"`, { hint: `Use \`drover secrets check ${env}\` or \`drover secrets plan ${env}\`.` });
  if (extra.length) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}`, { hint: `Usage: drover secrets ${action} <env> [--job ID]` });
  const prepared = prepare(await openProject(io, values), envName, io);
  if (!reportPrepared(prepared, io, style, 'Vault was not checked')) return ExitCode.validation;
  const jobs = selectJobs(prepared, values.job);
  if (!readsSecrets(jobs, prepared.env)) {
    io.stdout.write(`${style.green('✔')} No job${values.job ? ` "${values.job}"` : ''} in ${prepared.env.name} reads secrets; nothing to check in Vault.\n`);
    return ExitCode.ok;
  }
  return action === 'check' ? check(prepared, jobs, io, style) : plan(prepared, jobs, io, style);
}

async function check(prepared: Prepared, jobs: readonly LoadedJob[], io: CliIo, style: Style): Promise<number> {
  const { vault, address } = createVaultClientFromEnv(prepared.env, io.env);
  const warnings = await assertVaultReady({ vault, address, env: prepared.env, jobs, root: prepared.project.root }, 'they cannot be deployed yet');
  io.stderr.write(formatDiagnostics(warnings, style));
  const names = jobs.filter((j) => readsSecrets([j], prepared.env)).map((j) => j.spec.id);
  io.stdout.write(`${style.green('✔')} Vault (${address}) is ready for ${prepared.env.name}: policies, roles and secrets of ${names.join(', ')} are in place.\n`);
  return ExitCode.ok;
}

async function plan(prepared: Prepared, jobs: readonly LoadedJob[], io: CliIo, style: Style): Promise<number> {
  const { vault } = createVaultClientFromEnv(prepared.env, io.env);
  let plans: JobVaultPlan[];
  try {
    const { states } = await checkVaultState({ vault, env: prepared.env, jobs, root: prepared.project.root });
    plans = planVaultChanges(states);
    io.stdout.write(plans.map((p) => formatJobPlan(p, style)).join('\n'));
    const unreadable = plans.flatMap((p) => [p.policy, p.role]).filter((item) => item.action === 'unknown');
    if (unreadable.length) {
      throw new DroverError(`Cannot plan ${prepared.env.name}: Vault denied reading ${unreadable.map((u) => u.name).join(', ')}`, ExitCode.refused, {
        hint: 'Use a token with the drover-deployer policy (vault-policies/drover-deployer.hcl).',
      });
    }
  } catch (error) {
    // Nomad's plan convention (STYLE.md §5): a failure must not read as 1 "changes". As `drover
    // plan` does, the codes that say what to fix (4, 64, 65) are kept.
    if (!(error instanceof DroverError) || KEPT_CODES.has(error.exitCode)) throw error;
    io.stderr.write(formatError(error, style));
    return PLAN_ERROR;
  }
  const changed = plans.filter((p) => p.policy.action !== 'none' || p.role.action !== 'none').length;
  if (!hasVaultChanges(plans)) {
    io.stdout.write(`\n${style.green('✔')} No changes: Vault's policies and roles match vault-policies/${prepared.env.name}/.\n`);
    return ExitCode.ok;
  }
  io.stdout.write(`\nPlan: ${changed} of ${plans.length} jobs' policies or roles differ from vault-policies/${prepared.env.name}/.\n`);
  io.stdout.write(`  → ${remediesFor(prepared.project.root, prepared.env).apply} (needs a Vault admin token).\n`);
  return ExitCode.deploymentFailed;
}

function selectJobs(prepared: Prepared, job: string | undefined): LoadedJob[] {
  if (!job) return prepared.jobs;
  const selected = prepared.jobs.filter((j) => j.spec.id === job);
  if (selected.length === 0) throw new UsageError(`Unknown job "${job}"`, { hint: 'Run `drover jobs` for the list.' });
  return selected;
}

/** One job's plan, Terraform-like: `+` create, `~` update, `-`/`+` lines, `?` unreadable. */
function formatJobPlan(plan: JobVaultPlan, style: Style): string {
  const lines = [style.bold(`job ${plan.jobId}`)];
  const mark = { none: ' ', create: style.green('+'), update: style.yellow('~'), unknown: style.red('?') } as const;
  const { policy, role } = plan;
  const policyWhat = { none: 'no changes', create: 'create (not in Vault)', update: policy.changesAccess ? 'update' : 'update (comments or layout only; access unchanged)', unknown: `cannot read: Vault denied ${policy.denied}` }[policy.action];
  lines.push(`  ${mark[policy.action]} policy ${policy.name} (${policy.file}): ${policyWhat}`);
  for (const line of policy.lines) {
    const text = `      ${line.op} ${line.text}`.trimEnd();
    lines.push(line.op === '+' ? style.green(text) : line.op === '-' ? style.red(text) : style.dim(text));
  }
  const roleWhat = { none: 'no changes', create: 'create (not in Vault)', update: 'update', unknown: `cannot read: Vault denied ${role.denied}` }[role.action];
  lines.push(`  ${mark[role.action]} role ${role.name} (${role.file}): ${roleWhat}`);
  for (const field of role.fields) {
    const value = (v: unknown) => JSON.stringify(v) ?? 'unset';
    lines.push(role.action === 'create' ? style.green(`      + ${field.field} = ${value(field.file)}`) : `      ~ ${field.field}: ${value(field.vault)} → ${value(field.file)}`);
  }
  for (const note of plan.notes) lines.push(style.yellow(`  ! ${note}`));
  return `${lines.join('\n')}\n`;
}
