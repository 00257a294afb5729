import type { Environment } from '../config/environment.ts';
import type { SecretRef } from '../model/secret.ts';
import { SHIPPER_ENV } from './vector-config.ts';

/**
 * The Vault references that give the log shipper its store's credentials, as the variables
 * vector-config.ts reads: `username`/`password` for basic auth, `token` for bearer. None without
 * auth. Only references: Nomad renders the values into the task's environment.
 */
export function logSinkSecrets(env: Environment): SecretRef[] {
  const auth = env.logs?.sink.auth;
  if (!auth) return [];
  const { path, mount } = auth.secret;
  const at = mount === undefined ? { path } : { path, mount };
  if (auth.strategy === 'bearer') return [{ env: SHIPPER_ENV.sinkToken, key: 'token', ...at }];
  return [
    { env: SHIPPER_ENV.sinkUsername, key: 'username', ...at },
    { env: SHIPPER_ENV.sinkPassword, key: 'password', ...at },
  ];
}
