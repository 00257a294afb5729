/**
 * The example apps (examples/apps/) as the sandbox runs them: their own request handlers, built
 * from their own configuration loaders fed with placeholder values (the sandbox has no Postgres
 * and prints nothing). The worker's consumer does not run: the sandbox has no queue for it, and
 * an instance only answers requests.
 */
import { createApp as createApi } from '../../../examples/apps/api/app.ts';
import { loadApiConfig } from '../../../examples/apps/api/config.ts';
import type { Env, Loaded } from '../../../examples/apps/shared/config.ts';
import type { AppDeps, ExampleApp } from '../../../examples/apps/shared/http-app.ts';
import { createApp as createWorker } from '../../../examples/apps/worker/app.ts';
import { loadWorkerConfig } from '../../../examples/apps/worker/config.ts';
import { createApp as createWww } from '../../../examples/apps/www/app.ts';
import { loadWwwConfig } from '../../../examples/apps/www/config.ts';

/** The apps under examples/apps/, by the name of the Consul service their job registers. */
export const EXAMPLE_APP_NAMES = ['www', 'api', 'worker'] as const;
export type ExampleAppName = (typeof EXAMPLE_APP_NAMES)[number];

/** Values a job's templates would write; none is a real secret. */
const PLACEHOLDER = 'sandbox-placeholder';
const COMMON: Env = { PORT: '0', LOG_LEVEL: 'warn' };

/** A ready instance of the example app `name`, counting into `deps.metrics`. */
export function createExampleApp(name: ExampleAppName, deps: AppDeps): ExampleApp {
  const app = build(name, deps);
  app.setReady(true);
  return app;
}

function build(name: ExampleAppName, deps: AppDeps): ExampleApp {
  switch (name) {
    case 'www':
      return createWww(configOf(name, loadWwwConfig({ ...COMMON, API_BASE_URL: '/api' })), deps);
    case 'api':
      return createApi(configOf(name, loadApiConfig({ ...COMMON, DATABASE_HOST: 'postgres.service.consul', DATABASE_NAME: 'shop', DATABASE_USER: PLACEHOLDER, DATABASE_PASSWORD: PLACEHOLDER, FEATURE_FLAGS: '' })), deps);
    case 'worker':
      return createWorker(configOf(name, loadWorkerConfig({ ...COMMON, QUEUE_NAME: 'orders', DATABASE_PASSWORD: PLACEHOLDER, WORKER_ORDER_INTERVAL_MS: '0' }, [])), deps);
  }
}

/** The placeholders are the sandbox's own values: a problem here is a bug, not an input error. */
function configOf<C>(name: string, loaded: Loaded<C>): C {
  if (!loaded.ok) throw new Error(`the sandbox's placeholder configuration of the ${name} example app is invalid: ${loaded.problems.join('; ')}`);
  return loaded.config;
}
