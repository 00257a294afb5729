/**
 * The composition root shared by the apps' `main.ts`: read the environment, build the app, listen,
 * and shut down gracefully on SIGTERM or SIGINT. The only place that touches `process`.
 */
import { collectDefaultMetrics } from 'prom-client';
import { type BaseConfig, type Env, type Loaded, formatProblems } from './config.ts';
import type { AppDeps, ExampleApp } from './http-app.ts';
import { type LogFields, createLogger } from './log.ts';
import { serve } from './serve.ts';

/** How to read and build one app. */
export interface ExampleSpec<C extends BaseConfig> {
  readonly name: string;
  loadConfig(env: Env, argv: readonly string[]): Loaded<C>;
  createApp(config: C, deps: AppDeps): ExampleApp;
  /** What the start-up log line says about the configuration: never a secret. */
  describe(config: C): LogFields;
}

/**
 * Runs the app until a signal has shut it down; resolves to the exit code: 0 after a complete
 * drain, 1 when the configuration is invalid, the port cannot be bound, or the drain was cut.
 */
export async function runExample<C extends BaseConfig>(spec: ExampleSpec<C>): Promise<number> {
  const loaded = spec.loadConfig(process.env, process.argv.slice(2));
  if (!loaded.ok) {
    process.stderr.write(formatProblems(spec.name, loaded.problems));
    return 1;
  }
  const { config } = loaded;
  const log = createLogger({ app: spec.name, level: config.logLevel, write: (line) => void process.stdout.write(line) });
  log.info('starting', spec.describe(config));
  const app = spec.createApp(config, { log });
  collectDefaultMetrics({ register: app.registry });
  const running = await serve({ app, port: config.port, host: config.host, shutdownTimeoutMs: config.shutdownTimeoutMs, log }).catch((error: unknown) => {
    process.stderr.write(`${spec.name}: cannot listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}\n`);
    app.close();
    return undefined;
  });
  if (!running) return 1;
  const signalled = await new Promise<NodeJS.Signals>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => resolve(signal));
  });
  // Later signals land on the handlers above and are ignored: the drain is already bounded.
  const outcome = await running.shutdown(signalled);
  return outcome === 'drained' ? 0 : 1;
}
