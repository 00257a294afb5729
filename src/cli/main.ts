import { createRequire } from 'node:module';
import { DroverError, ExitCode, UsageError } from '../errors.ts';
import { formatError } from '../report/error.ts';
import { colorEnabled, createStyle, type Style } from '../report/style.ts';
import { deployCommand, DEPLOY_HELP } from './commands/deploy.ts';
import { historyCommand, HISTORY_HELP } from './commands/history.ts';
import { planCommand, PLAN_HELP } from './commands/plan.ts';
import { promoteCommand, PROMOTE_HELP } from './commands/promote.ts';
import { rollbackCommand, ROLLBACK_HELP } from './commands/rollback.ts';
import { statusCommand, STATUS_HELP } from './commands/status.ts';
import { demoCommand, DEMO_HELP } from './commands/demo.ts';
import { runSandboxCommand, SANDBOX_HELP } from './commands/sandbox.ts';
import { jobsCommand, JOBS_HELP } from './commands/jobs.ts';
import { releaseCommand, releasesCommand, RELEASE_HELP, RELEASES_HELP } from './commands/releases.ts';
import { renderCommand, RENDER_HELP } from './commands/render.ts';
import { secretsCommand, SECRETS_HELP } from './commands/secrets.ts';
import { validateCommand, VALIDATE_HELP } from './commands/validate.ts';
import { processIo, type CliIo } from './io.ts';

type Command = (argv: readonly string[], io: CliIo, style: Style) => Promise<number>;

const COMMANDS: Readonly<Record<string, { run: Command; help: string }>> = {
  render: { run: renderCommand, help: RENDER_HELP },
  validate: { run: validateCommand, help: VALIDATE_HELP },
  jobs: { run: jobsCommand, help: JOBS_HELP },
  plan: { run: planCommand, help: PLAN_HELP },
  deploy: { run: deployCommand, help: DEPLOY_HELP },
  promote: { run: promoteCommand, help: PROMOTE_HELP },
  rollback: { run: rollbackCommand, help: ROLLBACK_HELP },
  status: { run: statusCommand, help: STATUS_HELP },
  history: { run: historyCommand, help: HISTORY_HELP },
  releases: { run: releasesCommand, help: RELEASES_HELP },
  release: { run: releaseCommand, help: RELEASE_HELP },
  secrets: { run: secretsCommand, help: SECRETS_HELP },
  sandbox: { run: runSandboxCommand, help: SANDBOX_HELP },
  demo: { run: demoCommand, help: DEMO_HELP },
};

export const HELP = `drover — typed Nomad jobs, honest rollouts.

Usage: drover <command> [options]

Commands:
  render <env>     validate, then write Nomad JSON + HCL for every job (build/<env>/)
  validate [<env>] check every job and environment file; report all problems at once
  jobs [<env>]     list jobs in deploy order
  plan <env>       what deploy would change, per job and group (Nomad's dry run); exit 0/1/255
  deploy <env>     lock, plan, register in dependency order, watch to the real outcome
  promote <env>    promote deployments waiting with canaries, watch them to the end
  rollback <env> --job ID  revert to the last stable earlier version (or --to N), watch it
  status <env>     this project's jobs in <env>: versions, deployments, allocations, failures
  history <env> --job ID   a job's versions: stable, submitted, release, deployment status
  releases [<env>] release records: commit, verified or failed in QA, prod outcomes
  release show <id>    one release: images, hashes, smoke results, soak, promotions
  secrets check <env>  is Vault ready for the jobs: policies, roles, every secret key (read-only)
  secrets plan <env>   what applying vault-policies/<env>/ would change in Vault's policies and roles
  sandbox          local simulator of the Nomad/Consul/Vault APIs drover uses (tests, demos)
  demo             the main job on one machine: render, validate, deploy qa then prod to sandboxes

Run \`drover <command> --help\` for a command's options.

Exit codes:
  0   success
  1   deployment failed (Nomad rolled back or not, and to which version, is reported)
  2   placement failure
  3   canaries healthy and waiting for promotion (only with --stop-at-canary)
  4   refused: lock held, check-index conflict, job owned by someone else, release not verified,
      Vault not ready (policy or role not applied, secret path or key missing)
  64  usage error
  65  validation error (nothing was written or deployed)
  69  cluster unreachable
  70  internal error (a drover bug)
  130 interrupted (Ctrl-C); Nomad carries on with what it was asked, the lock is released
  plan keeps Nomad's convention: 0 no changes, 1 changes, 255 error (4, 64 and 65 as above)
`;

/** The composition root: the only place that turns errors into exit codes. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const style = createStyle(colorEnabled(io.stderr.isTTY, io.env));
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      const topic = name === 'help' && rest[0] ? COMMANDS[rest[0]] : undefined;
      io.stdout.write(topic ? topic.help : HELP);
      return name === undefined ? ExitCode.usage : ExitCode.ok;
    }
    if (name === '--version' || name === 'version') return io.stdout.write(`${version()}\n`), ExitCode.ok;
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`Unknown command "${name}"`, { hint: `Commands: ${Object.keys(COMMANDS).join(', ')}. Run \`drover --help\`.` });
    return await command.run(rest, io, style);
  } catch (error) {
    io.stderr.write(formatError(error, style));
    return error instanceof DroverError ? error.exitCode : ExitCode.internal;
  }
}

function version(): string {
  const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
  return `drover ${pkg.version}`;
}
