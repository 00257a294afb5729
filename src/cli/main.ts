import { createRequire } from 'node:module';
import { DroverError, ExitCode, UsageError } from '../errors.ts';
import { formatError } from '../report/error.ts';
import { colorEnabled, createStyle, type Style } from '../report/style.ts';
import { didYouMeanText } from '../validate/did-you-mean.ts';
import { processIo, type CliIo } from './io.ts';
import { CLUSTER_HELP } from './usage/cluster.ts';
import { COMPLETION_HELP } from './usage/completion.ts';
import { DASHBOARDS_HELP } from './usage/dashboards.ts';
import { DEMO_HELP } from './usage/demo.ts';
import { DEPLOY_HELP } from './usage/deploy.ts';
import { DROVER_HELP } from './usage/drover.ts';
import { HISTORY_HELP } from './usage/history.ts';
import { INIT_HELP } from './usage/init.ts';
import { JOBS_HELP } from './usage/jobs.ts';
import { LOGS_HELP } from './usage/logs.ts';
import { LOADTEST_HELP } from './usage/loadtest.ts';
import { PLAN_HELP } from './usage/plan.ts';
import { PROMOTE_HELP } from './usage/promote.ts';
import { RELEASE_HELP, RELEASES_HELP } from './usage/releases.ts';
import { RENDER_HELP } from './usage/render.ts';
import { ROLLBACK_HELP } from './usage/rollback.ts';
import { SANDBOX_HELP } from './usage/sandbox.ts';
import { SECRETS_HELP } from './usage/secrets.ts';
import { STATUS_HELP } from './usage/status.ts';
import { CONSUL_SD_HELP } from './usage/consul-sd.ts';
import { DOWN_HELP, UP_HELP } from './usage/up.ts';
import { VALIDATE_HELP } from './usage/validate.ts';

type Command = (argv: readonly string[], io: CliIo, style: Style) => Promise<number>;

/**
 * Every command: its help text (a small module) and a loader for its code. A command's code is
 * imported only when that command runs, so `--help`, `--version` and a typo answer without loading
 * clients, the sandbox or the project.
 */
export const COMMANDS: Readonly<Record<string, { help: string; load: () => Promise<Command> }>> = {
  render: { help: RENDER_HELP, load: async () => (await import('./commands/render.ts')).renderCommand },
  dashboards: { help: DASHBOARDS_HELP, load: async () => (await import('./commands/dashboards.ts')).dashboardsCommand },
  validate: { help: VALIDATE_HELP, load: async () => (await import('./commands/validate.ts')).validateCommand },
  jobs: { help: JOBS_HELP, load: async () => (await import('./commands/jobs.ts')).jobsCommand },
  plan: { help: PLAN_HELP, load: async () => (await import('./commands/plan.ts')).planCommand },
  deploy: { help: DEPLOY_HELP, load: async () => (await import('./commands/deploy.ts')).deployCommand },
  promote: { help: PROMOTE_HELP, load: async () => (await import('./commands/promote.ts')).promoteCommand },
  rollback: { help: ROLLBACK_HELP, load: async () => (await import('./commands/rollback.ts')).rollbackCommand },
  status: { help: STATUS_HELP, load: async () => (await import('./commands/status.ts')).statusCommand },
  history: { help: HISTORY_HELP, load: async () => (await import('./commands/history.ts')).historyCommand },
  logs: { help: LOGS_HELP, load: async () => (await import('./commands/logs.ts')).logsCommand },
  releases: { help: RELEASES_HELP, load: async () => (await import('./commands/releases.ts')).releasesCommand },
  release: { help: RELEASE_HELP, load: async () => (await import('./commands/releases.ts')).releaseCommand },
  secrets: { help: SECRETS_HELP, load: async () => (await import('./commands/secrets.ts')).secretsCommand },
  sandbox: { help: SANDBOX_HELP, load: async () => (await import('./commands/sandbox.ts')).runSandboxCommand },
  loadtest: { help: LOADTEST_HELP, load: async () => (await import('./commands/loadtest.ts')).loadtestCommand },
  up: { help: UP_HELP, load: async () => (await import('./commands/up.ts')).upCommand },
  down: { help: DOWN_HELP, load: async () => (await import('./commands/up.ts')).downCommand },
  'consul-sd': { help: CONSUL_SD_HELP, load: async () => (await import('./commands/consul-sd.ts')).consulSdCommand },
  demo: { help: DEMO_HELP, load: async () => (await import('./commands/demo.ts')).demoCommand },
  cluster: { help: CLUSTER_HELP, load: async () => (await import('./commands/cluster.ts')).clusterCommand },
  completion: { help: COMPLETION_HELP, load: async () => (await import('./commands/completion.ts')).completionCommand },
  init: { help: INIT_HELP, load: async () => (await import('./commands/init.ts')).initCommand },
};

/** `drover --help`, kept under this name for callers of the library. */
export const HELP = DROVER_HELP;

const HELP_FLAGS = new Set(['--help', '-h']);

/** The composition root: the only place that turns errors into exit codes. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const style = createStyle(colorEnabled(io.stderr.isTTY, io.env));
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === 'help' || HELP_FLAGS.has(name)) {
      const topic = name === 'help' && rest[0] ? commandNamed(rest[0]) : undefined;
      io.stdout.write(topic ? topic.help : DROVER_HELP);
      return name === undefined ? ExitCode.usage : ExitCode.ok;
    }
    if (name === '--version' || name === '-v' || name === 'version') return io.stdout.write(`${version()}\n`), ExitCode.ok;
    const command = commandNamed(name);
    // `--help` anywhere before `--` is answered from the help text alone: no command code loads.
    const helpAsked = rest.slice(0, rest.includes('--') ? rest.indexOf('--') : undefined).some((a) => HELP_FLAGS.has(a));
    if (helpAsked) return io.stdout.write(command.help), ExitCode.ok;
    return await (await command.load())(rest, io, style);
  } catch (error) {
    io.stderr.write(formatError(error, style));
    return error instanceof DroverError ? error.exitCode : ExitCode.internal;
  }
}

function commandNamed(name: string): { help: string; load: () => Promise<Command> } {
  const command = COMMANDS[name];
  if (command) return command;
  const names = Object.keys(COMMANDS);
  const near = name.startsWith('-') ? '' : didYouMeanText(name, names, (s) => `\`drover ${s}\``);
  throw new UsageError(`Unknown command "${name}".${near}`, { hint: `Commands: ${names.join(', ')}. Run \`drover --help\`.` });
}

function version(): string {
  const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
  return `drover ${pkg.version}`;
}
