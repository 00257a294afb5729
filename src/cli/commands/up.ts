import { join, relative, resolve } from 'node:path';
import { promotionOrder } from '../../config/promotion-chain.ts';
import { DroverError, ExitCode, UsageError } from '../../errors.ts';
import { DROVER_ROOT } from '../../init/sources.ts';
import { readClusterTemplates } from '../../project/cluster-templates.ts';
import type { Project } from '../../project/project.ts';
import type { Style } from '../../report/style.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare, type Prepared } from '../pipeline.ts';
import { findUpBinaries, type UpBinaries } from '../up/binaries.ts';
import { pickDevPorts } from '../up/ports.ts';
import { startRealCluster } from '../up/real-cluster.ts';
import { startSandboxFallback } from '../up/sandbox-fallback.ts';
import { processStatus, readUpState, upDir, type UpState } from '../up/state.ts';
import { stopAll } from '../up/teardown.ts';
import { fallbackNotice, realBanner, stoppedLine, teardownSummary } from '../up/text.ts';
import { DOWN_HELP, DOWN_OPTIONS, UP_HELP, UP_OPTIONS } from '../usage/up.ts';

/**
 * `drover up`: a real local cluster for an environment when the binaries are on PATH, else the
 * sandbox; the exports on stdout, everything else on stderr. Returns once everything is ready.
 */
export async function upCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('up', argv, UP_OPTIONS);
  if (values.help) return io.stdout.write(UP_HELP), ExitCode.ok;
  if (positionals.length) throw new UsageError(`Unexpected arguments: ${positionals.join(' ')}`, { hint: 'Name the environment with --env, e.g. `drover up --env dev`.' });
  const project = await openProject(io, values);
  const prepared = prepare(project, values.env ?? defaultEnvironment(project), io);
  const { env } = prepared;
  const dir = upDir(project.root);
  const running = await alreadyRunning(dir, env.name, io);
  if (running) return io.stdout.write(running.exports), ExitCode.ok;
  if (!prepared.ok) io.stderr.write(`${style.yellow('!')} ${env.name} has validation errors; \`drover validate ${env.name}\` lists them (the cluster starts anyway).\n`);
  const search = values.sandbox ? ({ found: false, missing: [] } as const) : findUpBinaries(io.env.PATH ?? '', [project.root, DROVER_ROOT]);
  const interrupt = new AbortController();
  const onSignal = (): void => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return search.found ? await upReal({ project, prepared, dir, binaries: search.binaries, randomPorts: values['random-ports'] === true, signal: interrupt.signal }, io)
      : await upSandbox({ project, env: env.name, dir, missing: search.missing, environments: values.environments, signal: interrupt.signal }, io);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Without the binaries: `drover sandbox` detached, its banner and exports. */
async function upSandbox(input: { project: Project; env: string; dir: string; missing: readonly string[]; environments: string | undefined; signal: AbortSignal }, io: CliIo): Promise<number> {
  const { project, env, dir } = input;
  io.stderr.write(fallbackNotice(input.missing, env));
  const projectArgs = ['--project', project.root, ...(input.environments ? ['--environments', resolve(io.cwd, input.environments)] : [])];
  const started = await startSandboxFallback({ dir, env, projectArgs, cwd: project.root, processEnv: io.env, signal: input.signal });
  const sandbox = started.state.processes[0];
  io.stderr.write(started.banner.replace(/Stop with Ctrl-C, or `kill \d+`\./, 'Stop it with `drover down`.'));
  io.stderr.write(`drover up: sandbox pid ${sandbox?.pid}, log ${relative(project.root, sandbox?.log ?? '')}.\n`);
  io.stdout.write(started.state.exports);
  return ExitCode.ok;
}

interface RealInput {
  readonly project: Project;
  readonly prepared: Prepared;
  readonly dir: string;
  readonly binaries: UpBinaries;
  readonly randomPorts: boolean;
  readonly signal: AbortSignal;
}

/** With the binaries: the local cluster, its banner and exports. */
async function upReal(input: RealInput, io: CliIo): Promise<number> {
  const { project, prepared, dir } = input;
  const { env } = prepared;
  io.stderr.write(`drover up: starting a local cluster for ${env.name} (${Object.values(input.binaries).map((b) => (typeof b === 'string' ? b : b.binary)).join(', ')})…\n`);
  const ports = await pickDevPorts({ defaults: !input.randomPorts });
  const cluster = await startRealCluster({
    root: project.root, dir, env, cluster: prepared.cluster, jobs: prepared.jobs, binaries: input.binaries, templates: await readClusterTemplates(),
    ports, processEnv: io.env, progress: (line) => io.stderr.write(`${line}\n`), signal: input.signal,
  });
  const rel = (path: string) => relative(project.root, path);
  io.stderr.write(realBanner({
    env, clusterFile: prepared.cluster?.file, store: cluster.configs.store, addresses: cluster.addresses, ports,
    logs: Object.fromEntries(cluster.state.processes.map((p) => [p.name, rel(p.log)])), rootTokenFile: rel(cluster.rootTokenFile),
    nomadConfig: rel(join(dir, 'config', 'nomad.hcl')), secrets: cluster.seeded.secrets, consulKeys: cluster.seeded.consulKeys, namespace: cluster.seeded.namespace,
  }));
  io.stdout.write(cluster.state.exports);
  return ExitCode.ok;
}

/** `drover down`: stops what `up` recorded, removes its data. */
export async function downCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('down', argv, DOWN_OPTIONS);
  if (values.help) return io.stdout.write(DOWN_HELP), ExitCode.ok;
  if (positionals.length) throw new UsageError(`Unexpected arguments: ${positionals.join(' ')}`, { hint: 'drover down takes no arguments; it stops what `drover up` started in this project.' });
  const root = values.project ? resolve(io.cwd, values.project) : io.cwd;
  const dir = upDir(root);
  const state = readUpState(dir);
  if (!state) return io.stderr.write(`Nothing to stop: ${relative(io.cwd, dir) || dir} holds no state of drover up.\n`), ExitCode.ok;
  io.stderr.write(`drover down: stopping the ${state.kind === 'real' ? 'local cluster' : 'sandbox'} of ${state.env}…\n`);
  const teardown = await stopAll(state, (process) => io.stderr.write(stoppedLine(process)));
  io.stderr.write(teardownSummary({ ...teardown, removed: teardown.removed.map((d) => relative(root, d)) }, relative(root, join(dir, 'logs'))));
  io.stderr.write(`${style.green('✔')} drover up's ${state.kind === 'real' ? 'cluster' : 'sandbox'} is down.\n`);
  return ExitCode.ok;
}

/** dev when the project has it (what runs on one machine), else the first of the promotion chain. */
function defaultEnvironment(project: Project): string | undefined {
  const environments = project.environments.map((m) => m.value);
  if (environments.some((e) => e.name === 'dev')) return 'dev';
  return promotionOrder(environments)[0]?.name;
}

/**
 * The running state for `envName`, whose exports are printed again; undefined when nothing runs
 * (a stale state, whose processes are all gone, is cleaned up). Running for another environment,
 * or half-started: refused.
 */
async function alreadyRunning(dir: string, envName: string, io: CliIo): Promise<UpState | undefined> {
  const state = readUpState(dir);
  if (!state) return undefined;
  const alive = state.processes.filter((p) => processStatus(p) === 'running');
  if (alive.length === 0) {
    await stopAll(state, () => undefined);
    return undefined;
  }
  const what = state.kind === 'real' ? 'a local cluster' : 'a sandbox';
  if (state.env !== envName || !state.exports) {
    throw new DroverError(`drover up already runs ${what} for ${state.env}${state.exports ? '' : ' (not finished starting)'}`, ExitCode.refused, {
      context: { pids: alive.map((p) => `${p.name} ${p.pid}`).join(', ') },
      hint: `Run \`drover down\` first, then \`drover up --env ${envName}\`.`,
    });
  }
  io.stderr.write(`drover up: ${what} for ${envName} is already running (${alive.map((p) => `${p.name} ${p.pid}`).join(', ')}); its exports again. Stop it with \`drover down\`.\n`);
  return state;
}
