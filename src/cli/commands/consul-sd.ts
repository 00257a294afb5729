/**
 * `drover consul-sd`: Consul's catalog as Prometheus HTTP service discovery (src/metrics/consul-sd-server.ts),
 * until SIGINT/SIGTERM.
 */
import { DroverError, ExitCode, UsageError } from '../../errors.ts';
import { startConsulSdServer } from '../../metrics/consul-sd-server.ts';
import { parseCommandArgs } from '../args.ts';
import { standaloneConsul } from '../clients.ts';
import type { CliIo } from '../io.ts';
import { CONSUL_SD_HELP, CONSUL_SD_OPTIONS } from '../usage/consul-sd.ts';

/** Test hook: stop without a signal. */
export interface ConsulSdControl {
  readonly stop?: AbortSignal;
  readonly onListening?: (address: string) => void;
}

export async function consulSdCommand(argv: readonly string[], io: CliIo, _style?: unknown, control: ConsulSdControl = {}): Promise<number> {
  const { values, positionals } = parseCommandArgs('consul-sd', argv, CONSUL_SD_OPTIONS);
  if (values.help) return io.stdout.write(CONSUL_SD_HELP), ExitCode.ok;
  if (positionals.length) throw new UsageError(`Unexpected arguments: ${positionals.join(' ')}`, { hint: 'Give Consul with --consul <addr> (or CONSUL_HTTP_ADDR) and the address to answer on with --listen <host:port>.' });
  const consulTarget = standaloneConsul(io.env, values.consul);
  if (!consulTarget) throw new UsageError('drover consul-sd: no Consul address', { hint: 'Pass --consul http://127.0.0.1:8500 or export CONSUL_HTTP_ADDR.' });
  const { client: consul, address } = consulTarget;
  const listen = parseListen(values.listen ?? '127.0.0.1:9116');
  let server;
  try {
    server = await startConsulSdServer(consul, listen);
  } catch (error) {
    throw new DroverError(`drover consul-sd could not listen on ${listen.host}:${listen.port}`, ExitCode.unreachable, {
      context: { why: (error as Error).message },
      hint: 'Another process holds the port: pick another with --listen, or port 0 for a free one.',
    });
  }
  io.stderr.write(`drover consul-sd: ${address}'s catalog as Prometheus HTTP service discovery at ${server.address}/ (Ctrl-C stops it).\n`);
  control.onListening?.(server.address);
  await stopped(control.stop);
  await server.close();
  return ExitCode.ok;
}

/** `host:port`, the port a number 0–65535. */
function parseListen(text: string): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match?.[1] || !(port >= 0 && port <= 65535)) throw new UsageError(`drover consul-sd: --listen ${text} is not host:port`, { hint: 'For example --listen 127.0.0.1:9116 (port 0: a free one).' });
  return { host: match[1], port };
}

/** Resolves on SIGINT, SIGTERM or the test's stop signal. */
function stopped(stop: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (stop?.aborted) done();
    stop?.addEventListener('abort', done, { once: true });
  });
}
