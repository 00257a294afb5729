import { problem } from '../rule.ts';
import { field, show } from './lib/index.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';

const ID = 'env/releases-from';

/** An environment that takes its releases from itself would accept anything it deployed once. */
export const envReleasesFromRule: EnvironmentRule = {
  id: ID,
  description: 'promotion.releasesFrom names another environment of the project.',
  check({ env, file, known }) {
    const source = field(field(env, 'promotion'), 'releasesFrom');
    if (source === undefined) return [];
    const location = { file, path: 'promotion.releasesFrom' };
    if (source === env.name) {
      return [problem(ID, location, `Environment "${String(env.name)}" takes its releases from itself`, 'Name the environment that verifies releases first (e.g. "qa"), or remove releasesFrom.')];
    }
    if (typeof source === 'string' && (known === undefined || known.includes(source))) return [];
    return [problem(ID, location, `promotion.releasesFrom ${show(source)} is not an environment of this project`, `Use one of: ${(known ?? []).filter((n) => n !== env.name).join(', ') || '(no other environments)'}.`)];
  },
};
