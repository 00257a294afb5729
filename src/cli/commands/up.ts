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
import { newestFirst, pickDynamicPorts, processStatus, readUpStates, upDir, upRoot, type UpState } from '../up/state.ts';
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
  const dir = upDir(project.root, env.name);
  // Every local cluster of the project, read once: this environment's may be running already, the
  // others decide the dynamic ports and where releases are read.
  const states = readUpStates(project.root);
  const others = states.filter((s) => s.env !== env.name);
  const running = await alreadyRunning(states.find((s) => s.env === env.name), env.name, io);
  if (running) return io.stdout.write(running.exports), ExitCode.ok;
  if (!prepared.ok) io.stderr.write(`${style.yellow('!')} ${env.name} has validation errors; \`drover validate ${env.name}\` lists them (the cluster starts anyway).\n`);
  const search = values.sandbox ? ({ found: false, missing: [] } as const) : findUpBinaries(io.env.PATH ?? '', [project.root, DROVER_ROOT]);
  const interrupt = new AbortController();
  const onSignal = (): void => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return search.found ? await upReal({ project, prepared, dir, others, binaries: search.binaries, randomPorts: values['random-ports'] === true, signal: interrupt.signal }, io)
      : await upSandbox({ project, env: env.name, dir, missing: search.missing, environments: values.environments, releasesFrom: releaseSource(env, others)?.consul, signal: interrupt.signal }, io);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

interface SandboxInput {
  readonly project: Project;
  readonly env: string;
  readonly dir: string;
  readonly missing: readonly string[];
  readonly environments: string | undefined;
  /** The Consul of the source environment's running sandbox, where it recorded the releases this one takes. */
  readonly releasesFrom: string | undefined;
  readonly signal: AbortSignal;
}

/** Without the binaries: `drover sandbox` detached, its banner and exports. */
async function upSandbox(input: SandboxInput, io: CliIo): Promise<number> {
  const { project, env, dir } = input;
  io.stderr.write(fallbackNotice(input.missing, env));
  const projectArgs = ['--project', project.root, ...(input.environments ? ['--environments', resolve(io.cwd, input.environments)] : []), ...(input.releasesFrom ? ['--releases-from', input.releasesFrom] : [])];
  const started = await startSandboxFallback({ dir, env, projectArgs, cwd: project.root, processEnv: io.env, signal: input.signal });
  const sandbox = started.state.processes[0];
  io.stderr.write(started.banner.replace(/Stop with Ctrl-C, or `kill \d+`\./, `Stop it with \`drover down --env ${env}\`.`));
  io.stderr.write(`drover up: sandbox pid ${sandbox?.pid}, log ${relative(project.root, sandbox?.log ?? '')}.\n`);
  io.stdout.write(started.state.exports);
  return ExitCode.ok;
}

interface RealInput {
  readonly project: Project;
  readonly prepared: Prepared;
  readonly dir: string;
  /** The other environments' local clusters. */
  readonly others: readonly UpState[];
  readonly binaries: UpBinaries;
  readonly randomPorts: boolean;
  readonly signal: AbortSignal;
}

/** With the binaries: the local cluster, its banner and exports. */
async function upReal(input: RealInput, io: CliIo): Promise<number> {
  const { project, prepared, dir, others } = input;
  const { env } = prepared;
  io.stderr.write(`drover up: starting a local cluster for ${env.name} (${Object.values(input.binaries).map((b) => (typeof b === 'string' ? b : b.binary)).join(', ')})…\n`);
  const dynamic = pickDynamicPorts(others.filter((s) => s.kind === 'real').map((s) => s.dynamicPorts));
  if (!dynamic) {
    throw new DroverError(`drover up: no free dynamic port range for ${env.name}'s Nomad client`, ExitCode.refused, {
      context: { running: others.map((s) => s.env).join(', ') },
      hint: 'Each local cluster takes 2000 of Nomad\'s dynamic ports 20000-31999; stop one with `drover down --env <env>`.',
    });
  }
  const ports = { ...(await pickDevPorts({ defaults: !input.randomPorts })), dynamic };
  const releasesFrom = releaseSource(env, others);
  const cluster = await startRealCluster({
    root: project.root, dir, env, cluster: prepared.cluster, jobs: prepared.jobs, binaries: input.binaries, templates: await readClusterTemplates(),
    ports, processEnv: io.env, progress: (line) => io.stderr.write(`${line}\n`), signal: input.signal,
    releasesFrom: releasesFrom?.consul,
  });
  const rel = (path: string) => relative(project.root, path);
  io.stderr.write(realBanner({
    env, clusterFile: prepared.cluster?.file, store: cluster.configs.store, addresses: cluster.addresses, ports,
    logs: Object.fromEntries(cluster.state.processes.map((p) => [p.name, rel(p.log)])), rootTokenFile: rel(cluster.rootTokenFile),
    nomadConfig: rel(join(dir, 'config', 'nomad.hcl')), secrets: cluster.seeded.secrets, consulKeys: cluster.seeded.consulKeys, namespace: cluster.seeded.namespace, releasesFrom,
  }));
  io.stdout.write(cluster.state.exports);
  return ExitCode.ok;
}

/** `drover down [--env ENV]`: stops what `up` recorded (every local cluster, or ENV's), removes its data. */
export async function downCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('down', argv, DOWN_OPTIONS);
  if (values.help) return io.stdout.write(DOWN_HELP), ExitCode.ok;
  if (positionals.length) throw new UsageError(`Unexpected arguments: ${positionals.join(' ')}`, { hint: 'Name one environment with --env; without it drover down stops every local cluster `drover up` started in this project.' });
  const root = values.project ? resolve(io.cwd, values.project) : io.cwd;
  const all = readUpStates(root);
  const states = values.env === undefined ? all : all.filter((s) => s.env === values.env);
  if (states.length === 0) {
    const where = relative(io.cwd, upRoot(root)) || upRoot(root);
    const running = all.length > 0 ? ` (running: ${all.map((s) => s.env).join(', ')})` : '';
    return io.stderr.write(`Nothing to stop: ${where} holds no state of drover up${values.env === undefined ? '' : ` for ${values.env}`}${running}.\n`), ExitCode.ok;
  }
  // The newest first: an environment taking releases from another was started after it.
  for (const state of newestFirst(states)) {
    io.stderr.write(`drover down: stopping the ${state.kind === 'real' ? 'local cluster' : 'sandbox'} of ${state.env}…\n`);
    const teardown = await stopAll(state, (process) => io.stderr.write(stoppedLine(process)));
    io.stderr.write(teardownSummary({ ...teardown, removed: teardown.removed.map((d) => relative(root, d)) }, relative(root, join(state.dir, 'logs'))));
    io.stderr.write(`${style.green('✔')} drover up's ${state.kind === 'real' ? 'cluster' : 'sandbox'} of ${state.env} is down.\n`);
  }
  return ExitCode.ok;
}

/**
 * Where an environment that takes releases (prod) reads them: the Consul of its source's local
 * cluster when that runs (QA first, prod second, each its own cluster, as for real); else none,
 * and the cluster's own Consul is used (both deployed to one cluster).
 */
function releaseSource(env: Prepared['env'], running: readonly UpState[]): { env: string; consul: string } | undefined {
  const source = env.promotion?.releasesFrom;
  const state = source === undefined || source === env.name ? undefined : running.find((s) => s.env === source);
  const consul = state ? exportedValue(state.exports, 'CONSUL_HTTP_ADDR') : undefined;
  return source !== undefined && consul !== undefined ? { env: source, consul } : undefined;
}

function exportedValue(exports: string, name: string): string | undefined {
  const line = exports.split('\n').find((l) => l.startsWith(`export ${name}=`));
  return line?.slice(`export ${name}=`.length).replace(/^'(.*)'$/, '$1');
}

/** dev when the project has it (what runs on one machine), else the first of the promotion chain. */
function defaultEnvironment(project: Project): string | undefined {
  const environments = project.environments.map((m) => m.value);
  if (environments.some((e) => e.name === 'dev')) return 'dev';
  return promotionOrder(environments)[0]?.name;
}

/**
 * The running state of `envName`'s local cluster, whose exports are printed again; undefined when
 * none runs (a stale state, whose processes are all gone, is cleaned up). Half-started: refused.
 * Other environments' clusters may run beside it.
 */
async function alreadyRunning(state: UpState | undefined, envName: string, io: CliIo): Promise<UpState | undefined> {
  if (!state) return undefined;
  const alive = state.processes.filter((p) => processStatus(p) === 'running');
  if (alive.length === 0) {
    await stopAll(state, () => undefined);
    return undefined;
  }
  const what = state.kind === 'real' ? 'a local cluster' : 'a sandbox';
  if (!state.exports) {
    throw new DroverError(`drover up already runs ${what} for ${envName} (not finished starting)`, ExitCode.refused, {
      context: { pids: alive.map((p) => `${p.name} ${p.pid}`).join(', ') },
      hint: `Run \`drover down --env ${envName}\` first, then \`drover up --env ${envName}\`.`,
    });
  }
  io.stderr.write(`drover up: ${what} for ${envName} is already running (${alive.map((p) => `${p.name} ${p.pid}`).join(', ')}); its exports again. Stop it with \`drover down --env ${envName}\`.\n`);
  return state;
}
