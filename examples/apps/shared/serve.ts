/**
 * Serving an app on a real socket, and its graceful shutdown: stop accepting connections, answer
 * `/ready` with 503, let in-flight requests and background work finish, and give up after a bound
 * (below the job's `kill_timeout`, after which Nomad sends SIGKILL).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExampleApp } from './http-app.ts';
import type { Logger } from './log.ts';

export interface ServeOptions {
  readonly app: ExampleApp;
  readonly port: number;
  readonly host: string;
  readonly shutdownTimeoutMs: number;
  readonly log: Logger;
}

/** How a shutdown ended: everything finished, or the bound cut what was left. */
export type ShutdownOutcome = 'drained' | 'timed-out';

export interface RunningServer {
  /** The bound port (the chosen one when asked for 0). */
  readonly port: number;
  /** Starts the shutdown once; later calls return the same outcome. */
  shutdown(reason: string): Promise<ShutdownOutcome>;
}

/** Listens, starts the app's background work, then marks the app ready. Rejects when the port cannot be bound. */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const { app, log } = options;
  const server = createServer((req, res) => void app.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => (server.off('error', reject), resolve()));
  });
  const port = (server.address() as AddressInfo).port;
  app.background?.start();
  app.setReady(true);
  log.info('listening', { host: options.host, port });
  let shutdown: Promise<ShutdownOutcome> | undefined;
  return { port, shutdown: (reason) => (shutdown ??= drain(server, options, reason)) };
}

async function drain(server: Server, { app, log, shutdownTimeoutMs }: ServeOptions, reason: string): Promise<ShutdownOutcome> {
  app.setReady(false);
  log.info('shutting down', { reason, timeoutMs: shutdownTimeoutMs });
  // close() stops accepting and resolves once every connection has ended; idle keep-alive
  // connections would hold it open, so they go now (busy ones close after their answer).
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const finished = Promise.all([closed, app.background?.stop()]).then(() => 'drained' as const);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timed-out'>((resolve) => (timer = setTimeout(() => resolve('timed-out'), shutdownTimeoutMs)));
  const outcome = await Promise.race([finished, expired]);
  clearTimeout(timer);
  if (outcome === 'timed-out') {
    log.warn('shutdown timed out; cutting what is still running', { timeoutMs: shutdownTimeoutMs });
    app.close();
    server.closeAllConnections();
    // Cut work ends at once; waiting for it lets its last records (and log lines) be written.
    await finished;
  }
  log.info('stopped', { outcome });
  return outcome;
}
