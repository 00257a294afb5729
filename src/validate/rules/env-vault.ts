import type { Diagnostic } from '../diagnostic.ts';
import { problem } from '../rule.ts';
import { field, isNonEmptyString, show } from './lib/index.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';

const ID = 'env/vault';
const MOUNT = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

/** Mount paths are joined with "/" by drover; surrounding slashes would double them. */
export const envVaultRule: EnvironmentRule = {
  id: ID,
  description: 'Vault jwtAuthPath and kvMount are mount paths without surrounding "/"; audience is set.',
  check({ env, file }) {
    const vault = field(env, 'vault');
    const found: Diagnostic[] = (['jwtAuthPath', 'kvMount'] as const).flatMap((key) => {
      const value = field(vault, key);
      if (typeof value === 'string' && MOUNT.test(value)) return [];
      return [problem(ID, { file, path: `vault.${key}` }, `vault.${key} ${show(value)} is not a mount path`, 'Write the mount path without leading or trailing "/", e.g. "secret" or "jwt-nomad".')];
    });
    if (!isNonEmptyString(field(vault, 'audience'))) {
      found.push(problem(ID, { file, path: 'vault.audience' }, 'vault.audience is empty', 'Set the audience the Vault JWT role expects, e.g. "vault.io".'));
    }
    return found;
  },
};
