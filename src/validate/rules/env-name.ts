import { problem } from '../rule.ts';
import { show } from './lib/index.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';

const ID = 'env/name';
/** Names end up in job meta, file names, bucket names and `env.pick` keys. */
const NAME = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;

/** Rule `env/name`: environment names are lower-case identifiers (letters, digits, "-"; ≤ 32). */
export const envNameRule: EnvironmentRule = {
  id: ID,
  description: 'Environment names are lower-case identifiers (letters, digits, "-"; ≤ 32).',
  check({ env, file }) {
    const name: unknown = env.name;
    if (typeof name === 'string' && NAME.test(name)) return [];
    return [problem(ID, { file, path: 'name' }, `Environment name ${show(name)} is not a lower-case identifier`, 'Use lower-case letters, digits and "-", starting with a letter, e.g. "qa" or "prod-eu".')];
  },
};
