import { createServer } from 'node:net';
import { parseCommandArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { ExitCode, UsageError } from '../../errors.ts';
import { EXAMPLE_APPS } from '../../sandbox/example-apps.ts';
import { type RunningSandbox, startSandbox } from '../../sandbox/server.ts';
import { SANDBOX_HELP, SANDBOX_OPTIONS } from '../usage/sandbox.ts';

/** Test hooks: stop without a signal, see the running sandbox. */
export interface SandboxCommandControl {
  readonly stop?: AbortSignal;
  readonly onReady?: (sandbox: RunningSandbox) => void;
}

/** `drover sandbox`: starts the simulator and runs until SIGINT/SIGTERM (or `control.stop`). */
export async function runSandboxCommand(argv: readonly string[], io: CliIo, _style?: unknown, control: SandboxCommandControl = {}): Promise<number> {
  const values = parse(argv);
  if (values.help) return io.stdout.write(SANDBOX_HELP), ExitCode.ok;
  const speed = number(values.speed, 'speed', 1);
  const sandbox = await startSandbox({
    ports: {
      nomad: await port(values['nomad-port'], 4646, 'nomad-port'),
      consul: await port(values['consul-port'], 8500, 'consul-port'),
      vault: await port(values['vault-port'], 8200, 'vault-port'),
    },
    clockSpeed: speed,
    seed: number(values.seed, 'seed', 1),
    nomad: {
      namespaces: values.namespace ?? [],
      datacenters: values.datacenter ?? ['dc1'],
      ...(values['acl-token'] ? { aclToken: values['acl-token'] } : {}),
      eventBufferSize: number(values['event-buffer'], 'event-buffer', 100),
    },
  });
  // Instances of the example jobs' services run the example apps (examples/apps/), as in the demo.
  for (const [service, behaviour] of Object.entries(EXAMPLE_APPS)) sandbox.fabio.setApp(service, behaviour);
  io.stderr.write(banner(sandbox, speed));
  io.stdout.write(exports(sandbox, values['acl-token']));
  control.onReady?.(sandbox);
  await untilStopped(control.stop);
  await sandbox.close();
  io.stderr.write('drover sandbox stopped.\n');
  return ExitCode.ok;
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseCommandArgs('sandbox', argv, SANDBOX_OPTIONS);
  if (positionals.length) throw new UsageError(`Unexpected arguments: ${positionals.join(' ')}`, { hint: 'Run `drover sandbox --help` for the flags it accepts.' });
  return values;
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

function banner(sandbox: RunningSandbox, speed: number): string {
  const clock = speed === 0 ? 'frozen (advance with POST /_sandbox/clock/advance)' : speed === 1 ? 'real time' : `${speed}× real time`;
  return [
    'drover sandbox — a SIMULATOR of the Nomad, Consul and Vault HTTP APIs drover uses, for tests and demos.',
    'It is not a scheduler: nothing runs; allocations, health checks and failures are simulated.',
    `  nomad   ${sandbox.addresses.nomad}   (admin: ${sandbox.addresses.nomad}/_sandbox)`,
    `  consul  ${sandbox.addresses.consul}`,
    `  vault   ${sandbox.addresses.vault}`,
    `  fabio   ${sandbox.addresses.fabio}   (simulated Fabio; metrics: ${sandbox.addresses.fabioMetrics}/metrics; instances of www, api and worker run examples/apps, others answer as scripted via /_sandbox/apps)`,
    `  clock   ${clock}`,
    'Export the variables below, then run drover. Stop with Ctrl-C.',
    '',
  ].join('\n');
}

function exports(sandbox: RunningSandbox, aclToken: string | undefined): string {
  const lines = [
    `export NOMAD_ADDR=${sandbox.addresses.nomad}`,
    `export CONSUL_HTTP_ADDR=${sandbox.addresses.consul}`,
    `export VAULT_ADDR=${sandbox.addresses.vault}`,
    `export VAULT_TOKEN=${sandbox.vaultToken}`,
    `export DROVER_FABIO_ADDR=${sandbox.addresses.fabio}`,
  ];
  if (aclToken) lines.push(`export NOMAD_TOKEN=${aclToken}`);
  return `${lines.join('\n')}\n`;
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
