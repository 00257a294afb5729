/** Environments as the example jobs' templates write them, and the configurations they give. */
import { loadApiConfig, type ApiConfig } from '../../examples/apps/api/config.ts';
import type { Env, Loaded } from '../../examples/apps/shared/config.ts';
import { loadWorkerConfig, type WorkerConfig } from '../../examples/apps/worker/config.ts';
import { loadWwwConfig, type WwwConfig } from '../../examples/apps/www/config.ts';

/** A password no output may ever contain. */
export const PASSWORD = 'pw-7f3a-never-print-me';
export const DB_USER = 'shop-user-never-print-me';

export function apiEnv(overrides: Env = {}): Env {
  return { PORT: '0', DATABASE_HOST: 'postgres.service.consul', DATABASE_NAME: 'shop', DATABASE_USER: DB_USER, DATABASE_PASSWORD: PASSWORD, LOG_LEVEL: 'info', FEATURE_FLAGS: '', ...overrides };
}

export function workerEnv(overrides: Env = {}): Env {
  return { PORT: '0', QUEUE_NAME: 'orders', DATABASE_PASSWORD: PASSWORD, WORKER_ORDER_INTERVAL_MS: '0', ...overrides };
}

export function apiConfig(overrides: Env = {}): ApiConfig {
  return configOf(loadApiConfig(apiEnv(overrides)));
}

export function wwwConfig(overrides: Env = {}): WwwConfig {
  return configOf(loadWwwConfig({ PORT: '0', ...overrides }));
}

export function workerConfig(overrides: Env = {}, argv: readonly string[] = []): WorkerConfig {
  return configOf(loadWorkerConfig(workerEnv(overrides), argv));
}

function configOf<C>(loaded: Loaded<C>): C {
  if (!loaded.ok) throw new Error(`invalid test configuration: ${loaded.problems.join('; ')}`);
  return loaded.config;
}
