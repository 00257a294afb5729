import type { Diagnostic } from '../diagnostic.ts';
import { problem } from '../rule.ts';
import { field, show } from './lib/index.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';

const ID = 'env/nomad-names';
/** Nomad's grammars: namespaces `^[a-zA-Z0-9-]{1,128}$`, node pools also allow `_`. */
const CHECKS = [
  { path: 'nomad.region', pattern: /^[a-zA-Z0-9_-]{1,128}$/, example: 'global' },
  { path: 'nomad.namespace', pattern: /^[a-zA-Z0-9-]{1,128}$/, example: 'default' },
  { path: 'nodePool', pattern: /^[a-zA-Z0-9_-]{1,128}$/, example: 'default' },
] as const;

/** Rule `env/nomad-names`: Nomad region, namespace and node pool names are valid Nomad names. */
export const envNomadNamesRule: EnvironmentRule = {
  id: ID,
  description: 'Nomad region, namespace and node pool names are valid Nomad names.',
  check({ env, file }) {
    return CHECKS.flatMap(({ path, pattern, example }): Diagnostic[] => {
      const value = path.split('.').reduce<unknown>((owner, key) => field(owner, key), env);
      if (typeof value === 'string' && pattern.test(value)) return [];
      return [problem(ID, { file, path }, `${path} ${show(value)} is not a valid Nomad name`, `Use letters, digits and "-" (at most 128), e.g. "${example}".`)];
    });
  },
};
