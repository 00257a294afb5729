import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Environment } from '../../config/environment.ts';
import { promotionOrder } from '../../config/promotion-chain.ts';
import { ExitCode, UsageError } from '../../errors.ts';
import { buildJobs } from '../../project/load.ts';
import { EXAMPLE_APPS } from '../../sandbox/example-apps.ts';
import { binaryAvailability, type PrometheusServer } from '../../sandbox/prometheus-process.ts';
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../sandbox/server.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openProject } from '../pipeline.ts';
import { progressiveJobs, readySandbox, sandboxNomadFor, startSandboxPrometheus } from '../sandbox-stage.ts';
import { sandboxBanner, sandboxExports, type SandboxSetup } from '../sandbox-text.ts';
import { SANDBOX_HELP, SANDBOX_OPTIONS } from '../usage/sandbox.ts';

/** Test hooks: stop without a signal, see the running sandbox. */
export interface SandboxCommandControl {
  readonly stop?: AbortSignal;
  readonly onReady?: (sandbox: RunningSandbox) => void;
}

type Values = ReturnType<typeof parse>;

/**
 * `drover sandbox`: starts the simulator set up for one environment of the project (or `--bare`),
 * prints the variables to export, and runs until SIGINT/SIGTERM (or `control.stop`).
 */
export async function runSandboxCommand(argv: readonly string[], io: CliIo, _style?: unknown, control: SandboxCommandControl = {}): Promise<number> {
  const values = parse(argv);
  if (values.help) return io.stdout.write(SANDBOX_HELP), ExitCode.ok;
  const speed = number(values.speed, 'speed', 1);
  const target = values.bare ? undefined : await environmentOf(io, values);
  const sandbox = await startSandbox({
    ports: {
      nomad: await port(values['nomad-port'], 4646, 'nomad-port'),
      consul: await port(values['consul-port'], 8500, 'consul-port'),
      vault: await port(values['vault-port'], 8200, 'vault-port'),
    },
    clockSpeed: speed,
    seed: number(values.seed, 'seed', target?.seed ?? 1),
    nomad: nomadOptions(values, target?.env),
  });
  let prometheus: PrometheusServer | undefined;
  try {
    const setup = target ? await setUp(sandbox, target, values, io, (started) => (prometheus = started)) : bareSetup(sandbox);
    io.stderr.write(sandboxBanner(sandbox, setup, { speed, pid: process.pid }));
    io.stdout.write(sandboxExports(sandbox, setup, values['acl-token']));
    detachStdout(io);
    control.onReady?.(sandbox);
    await untilStopped(control.stop);
  } finally {
    await prometheus?.stop();
    await sandbox.close();
  }
  io.stderr.write('drover sandbox stopped.\n');
  return ExitCode.ok;
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseCommandArgs('sandbox', argv, SANDBOX_OPTIONS);
  if (positionals.length) throw new UsageError(`Unexpected arguments: ${positionals.join(' ')}`, { hint: 'Run `drover sandbox --help` for the flags it accepts (name the environment with --env).' });
  if (values.bare && (values.env || values['releases-from'])) throw new UsageError('--bare starts the simulator without a project; it takes no --env or --releases-from');
  return values;
}

/** The environment to set up: `--env`, else the first of the promotion chain (qa before prod); its seed is its place in that order. */
async function environmentOf(io: CliIo, values: Values): Promise<{ env: Environment; seed: number; project: Awaited<ReturnType<typeof openProject>> }> {
  const project = await openProject(io, values);
  const ordered = promotionOrder(project.environments.map((m) => m.value));
  const chained = ordered.filter((env) => env.promotion.releasesFrom || ordered.some((o) => o.promotion.releasesFrom === env.name));
  const env = values.env ? ordered.find((e) => e.name === values.env) : (chained[0] ?? ordered[0]);
  if (!env) {
    const names = ordered.map((e) => e.name);
    throw new UsageError(values.env ? `Unknown environment "${values.env}"` : `No environments found under ${project.root}`, {
      hint: names.length ? `Use one of: ${names.join(', ')}.` : 'Run drover sandbox from the project root, pass --project DIR, or start the bare simulator with --bare.',
    });
  }
  return { env, seed: ordered.indexOf(env) + 1, project };
}

function nomadOptions(values: Values, env: Environment | undefined): NonNullable<SandboxOptions['nomad']> {
  const base = env ? sandboxNomadFor(env) : { namespaces: [], datacenters: ['dc1'] };
  return {
    ...base,
    namespaces: [...(base.namespaces ?? []), ...(values.namespace ?? [])],
    datacenters: [...new Set([...(base.datacenters ?? []), ...(values.datacenter ?? [])])],
    ...(values['acl-token'] ? { aclToken: values['acl-token'] } : {}),
    eventBufferSize: number(values['event-buffer'], 'event-buffer', 100),
  };
}

/** Vault seeded, example apps, and Prometheus when the environment's canaries need one and it is installed. */
async function setUp(sandbox: RunningSandbox, target: Awaited<ReturnType<typeof environmentOf>>, values: Values, io: CliIo, started: (p: PrometheusServer) => void): Promise<SandboxSetup> {
  const { env, project } = target;
  const jobs = buildJobs(project.jobs, env).jobs;
  const seeded = await readySandbox(sandbox, env, { jobs, root: project.root });
  const canaried = progressiveJobs(jobs, env).map((j) => j.spec.id);
  const availability = binaryAvailability('prometheus', io.env.PATH ?? '');
  const why = canaried.length === 0 ? undefined : values['no-prometheus'] ? '--no-prometheus' : availability.available ? undefined : availability.reason;
  const prometheus = canaried.length && !why && availability.available ? await startSandboxPrometheus(sandbox, env, availability.binary) : undefined;
  if (prometheus) started(prometheus);
  return {
    env,
    placeholders: Object.keys(seeded.values).sort(),
    vaultToken: seeded.deployerToken,
    canaried,
    ...(prometheus ? { prometheus } : {}),
    ...(why ? { noPrometheus: why } : {}),
    ...(values['releases-from'] ? { releasesFrom: values['releases-from'] } : {}),
  };
}

/** `--bare`: the simulator alone, with the example apps and the root token (the command's behaviour before environments). */
function bareSetup(sandbox: RunningSandbox): SandboxSetup {
  for (const [service, behaviour] of Object.entries(EXAMPLE_APPS)) sandbox.fabio.setApp(service, behaviour);
  return { placeholders: [], vaultToken: sandbox.vaultToken, canaried: [] };
}

/**
 * Once the exports are written, stdout is pointed at /dev/null so that `eval "$(drover sandbox &)"`
 * returns: the command substitution waits for every writer of the pipe to close it. Nothing else
 * is written to stdout; fd 1 is reopened at once (the lowest free descriptor) so it is never reused
 * by a socket. Only for a real, non-terminal stdout.
 */
function detachStdout(io: CliIo): void {
  if (io.stdout !== process.stdout || process.stdout.isTTY) return;
  closeSync(1);
  const fd = openSync('/dev/null', 'w');
  if (fd !== 1) closeSync(fd);
}

function number(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${flag} must be a number ≥ 0, got "${raw}"`);
  return value;
}

/** An explicit port is used as is; the conventional default only when it is free. */
async function port(raw: string | undefined, preferred: number, flag: string): Promise<number> {
  if (raw !== undefined) return number(raw, flag, 0);
  return (await isFree(preferred)) ? preferred : 0;
}

function isFree(candidate: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(candidate, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function untilStopped(stop: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      stop?.removeEventListener('abort', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (stop?.aborted) return done();
    stop?.addEventListener('abort', done, { once: true });
  });
}
