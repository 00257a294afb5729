/** The api's settings, from the variables jobs/api.ts gives its task. */
import { type BaseConfig, type Env, EnvReader, type Loaded, type Secret } from '../shared/config.ts';

export interface ApiConfig extends BaseConfig {
  /** `DATABASE_HOST` (job env). */
  readonly databaseHost: string;
  /** `DATABASE_NAME` (job env). */
  readonly databaseName: string;
  /** `DATABASE_USER` (Vault template, `shop/api/database` username). */
  readonly databaseUser: Secret;
  /** `DATABASE_PASSWORD` (Vault template, `shop/api/database` password). */
  readonly databasePassword: Secret;
  /** `FEATURE_FLAGS` (Consul template, `shop/api/feature_flags`): names separated by commas or spaces, sorted. */
  readonly featureFlags: readonly string[];
}

const FLAG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const VAULT = "written by the job's Vault template from shop/api/database";

/** Reads the api's configuration; every problem at once. */
export function loadApiConfig(env: Env): Loaded<ApiConfig> {
  const read = new EnvReader(env);
  // kill_timeout is 20 s in jobs/api.ts.
  const base = read.base({ portLabel: 'http', port: 8080, shutdownTimeoutMs: 15_000 });
  const databaseHost = read.required('DATABASE_HOST', 'set in the env of jobs/api.ts');
  const databaseName = read.required('DATABASE_NAME', 'set in the env of jobs/api.ts');
  const databaseUser = read.secret('DATABASE_USER', VAULT);
  const databasePassword = read.secret('DATABASE_PASSWORD', VAULT);
  const flags = read.optional('FEATURE_FLAGS', '').split(/[\s,]+/).filter((f) => f !== '');
  for (const flag of flags) if (!FLAG.test(flag)) read.problems.push(`FEATURE_FLAGS: ${JSON.stringify(flag)} is not a flag name (letters, digits, ".", "_", "-")`);
  return read.result({ ...base, databaseHost, databaseName, databaseUser, databasePassword, featureFlags: [...new Set(flags)].sort() });
}
