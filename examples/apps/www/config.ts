/** The storefront's settings, from the variables jobs/www.ts gives its task. */
import { type BaseConfig, type Env, EnvReader, type Loaded } from '../shared/config.ts';

export interface WwwConfig extends BaseConfig {
  /** `API_BASE_URL`: where the page's script finds the api, a path on this host or an http(s) URL. @default "/api" */
  readonly apiBaseUrl: string;
}

/** Reads the storefront's configuration; every problem at once. */
export function loadWwwConfig(env: Env): Loaded<WwwConfig> {
  const read = new EnvReader(env);
  // jobs/www.ts sets no kill_timeout: Nomad's default is 5 s.
  const base = read.base({ portLabel: 'http', port: 80, shutdownTimeoutMs: 4_000 });
  const apiBaseUrl = read.optional('API_BASE_URL', '/api').replace(/\/+$/, '');
  if (!/^(\/|https?:\/\/)/.test(apiBaseUrl)) read.problems.push(`API_BASE_URL must be a path starting with "/" or an http(s) URL, got ${JSON.stringify(apiBaseUrl)}`);
  return read.result({ ...base, apiBaseUrl });
}
