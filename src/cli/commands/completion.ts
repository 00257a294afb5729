import { ExitCode, UsageError } from '../../errors.ts';
import type { Style } from '../../report/style.ts';
import { parseCommandArgs, type Choices } from '../args.ts';
import { completionScript, SHELLS, type CompletionCommand, type CompletionFlag, type CompletionSpec, type Shell, type ValueKind } from '../completion-scripts.ts';
import type { CliIo } from '../io.ts';
import { CLUSTER_ACTIONS, CLUSTER_HELP, CLUSTER_CHOICES, CLUSTER_OPTIONS } from '../usage/cluster.ts';
import { COMPLETION_HELP, COMPLETION_OPTIONS } from '../usage/completion.ts';
import { CONSUL_SD_HELP, CONSUL_SD_OPTIONS } from '../usage/consul-sd.ts';
import { DASHBOARDS_HELP, DASHBOARDS_OPTIONS } from '../usage/dashboards.ts';
import { DEMO_HELP, DEMO_CHOICES, DEMO_OPTIONS } from '../usage/demo.ts';
import { DEPLOY_HELP, DEPLOY_CHOICES, DEPLOY_OPTIONS } from '../usage/deploy.ts';
import { HISTORY_HELP, HISTORY_CHOICES, HISTORY_OPTIONS } from '../usage/history.ts';
import { INIT_HELP, INIT_OPTIONS } from '../usage/init.ts';
import { JOBS_HELP, JOBS_CHOICES, JOBS_OPTIONS } from '../usage/jobs.ts';
import { LOGS_HELP, LOGS_CHOICES, LOGS_OPTIONS } from '../usage/logs.ts';
import { LOADTEST_HELP, LOADTEST_CHOICES, LOADTEST_OPTIONS } from '../usage/loadtest.ts';
import { PLAN_HELP, PLAN_CHOICES, PLAN_OPTIONS } from '../usage/plan.ts';
import { PROMOTE_HELP, PROMOTE_CHOICES, PROMOTE_OPTIONS } from '../usage/promote.ts';
import { RELEASE_HELP, RELEASES_HELP, RELEASES_CHOICES, RELEASES_OPTIONS } from '../usage/releases.ts';
import { RENDER_HELP, RENDER_OPTIONS } from '../usage/render.ts';
import { ROLLBACK_HELP, ROLLBACK_CHOICES, ROLLBACK_OPTIONS } from '../usage/rollback.ts';
import { SANDBOX_HELP, SANDBOX_OPTIONS } from '../usage/sandbox.ts';
import { SECRETS_HELP, SECRETS_OPTIONS } from '../usage/secrets.ts';
import { STATUS_HELP, STATUS_CHOICES, STATUS_OPTIONS } from '../usage/status.ts';
import { DOWN_HELP, DOWN_OPTIONS, UP_HELP, UP_OPTIONS } from '../usage/up.ts';
import { VALIDATE_HELP, VALIDATE_CHOICES, VALIDATE_OPTIONS } from '../usage/validate.ts';

type Options = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>>;

/**
 * Every command's flags and the values of its enumerated flags as its usage module declares them
 * (the same objects its parser uses, so completion cannot offer a flag or a value the command
 * rejects, nor miss one it takes), and what its positionals are. Usage
 * modules only: completing loads no command code. A test checks this covers main.ts's COMMANDS.
 */
const USAGE: readonly { name: string; help: string; options: Options; choices?: Choices; env: boolean; subcommands?: readonly string[] }[] = [
  { name: 'render', help: RENDER_HELP, options: RENDER_OPTIONS, env: true },
  { name: 'dashboards', help: DASHBOARDS_HELP, options: DASHBOARDS_OPTIONS, env: true },
  { name: 'validate', help: VALIDATE_HELP, options: VALIDATE_OPTIONS, choices: VALIDATE_CHOICES, env: true },
  { name: 'jobs', help: JOBS_HELP, options: JOBS_OPTIONS, choices: JOBS_CHOICES, env: true },
  { name: 'plan', help: PLAN_HELP, options: PLAN_OPTIONS, choices: PLAN_CHOICES, env: true },
  { name: 'deploy', help: DEPLOY_HELP, options: DEPLOY_OPTIONS, choices: DEPLOY_CHOICES, env: true },
  { name: 'promote', help: PROMOTE_HELP, options: PROMOTE_OPTIONS, choices: PROMOTE_CHOICES, env: true },
  { name: 'rollback', help: ROLLBACK_HELP, options: ROLLBACK_OPTIONS, choices: ROLLBACK_CHOICES, env: true },
  { name: 'status', help: STATUS_HELP, options: STATUS_OPTIONS, choices: STATUS_CHOICES, env: true },
  { name: 'history', help: HISTORY_HELP, options: HISTORY_OPTIONS, choices: HISTORY_CHOICES, env: true },
  { name: 'logs', help: LOGS_HELP, options: LOGS_OPTIONS, choices: LOGS_CHOICES, env: true },
  { name: 'releases', help: RELEASES_HELP, options: RELEASES_OPTIONS, choices: RELEASES_CHOICES, env: true },
  { name: 'release', help: RELEASE_HELP, options: RELEASES_OPTIONS, choices: RELEASES_CHOICES, env: false, subcommands: ['show'] },
  { name: 'secrets', help: SECRETS_HELP, options: SECRETS_OPTIONS, env: true, subcommands: ['check', 'plan'] },
  { name: 'loadtest', help: LOADTEST_HELP, options: LOADTEST_OPTIONS, choices: LOADTEST_CHOICES, env: true },
  { name: 'cluster', help: CLUSTER_HELP, options: CLUSTER_OPTIONS, choices: CLUSTER_CHOICES, env: true, subcommands: CLUSTER_ACTIONS },
  { name: 'sandbox', help: SANDBOX_HELP, options: SANDBOX_OPTIONS, env: false },
  { name: 'up', help: UP_HELP, options: UP_OPTIONS, env: false },
  { name: 'down', help: DOWN_HELP, options: DOWN_OPTIONS, env: false },
  { name: 'consul-sd', help: CONSUL_SD_HELP, options: CONSUL_SD_OPTIONS, env: false },
  { name: 'demo', help: DEMO_HELP, options: DEMO_OPTIONS, choices: DEMO_CHOICES, env: false },
  { name: 'init', help: INIT_HELP, options: INIT_OPTIONS, env: false },
  { name: 'completion', help: COMPLETION_HELP, options: COMPLETION_OPTIONS, env: false, subcommands: SHELLS },
];

/** Flags whose value is a file or directory. */
const PATH_FLAGS = new Set(['project', 'environments', 'out', 'metrics-file', 'plan']);

function valueOf(name: string, choices: Choices): ValueKind {
  const values = choices[name];
  if (values) return { kind: 'choice', values };
  if (name === 'env') return { kind: 'env' };
  return { kind: PATH_FLAGS.has(name) ? 'path' : 'free' };
}

/** The spec the scripts are generated from. */
export function completionSpec(): CompletionSpec {
  const commands = USAGE.map((u): CompletionCommand => {
    const flags = Object.entries(u.options).map(([name, o]): CompletionFlag => ({ name, ...(o.short ? { short: o.short } : {}), ...(o.type === 'string' ? { value: valueOf(name, u.choices ?? {}) } : {}) }));
    return { name: u.name, flags, env: u.env, ...(u.subcommands ? { subcommands: u.subcommands } : {}) };
  });
  return { commands, globalFlags: ['--help', '--version'] };
}

/** `drover completion <shell>`: prints the script on stdout. */
export async function completionCommand(argv: readonly string[], io: CliIo, _style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('completion', argv, COMPLETION_OPTIONS);
  if (values.help) return io.stdout.write(COMPLETION_HELP), ExitCode.ok;
  const shell = positionals[0];
  if (!shell || !(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(shell ? `Cannot complete for shell "${shell}"` : 'No shell given', { hint: `Run \`drover completion bash\`, \`drover completion zsh\` or \`drover completion fish\`.` });
  }
  io.stdout.write(completionScript(shell as Shell, completionSpec()));
  return ExitCode.ok;
}
