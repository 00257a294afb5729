import type { Diagnostic } from '../diagnostic.ts';
import { problem } from '../rule.ts';
import { durationProblems } from './duration-format.ts';
import { field, isRecord, show } from './lib/index.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';

const ID = 'env/promotion';

/** Rule `env/promotion`: promotion policy: canary "auto" or "manual", boolean confirm/prune, valid maxReleaseAge and soak durations. */
export const envPromotionRule: EnvironmentRule = {
  id: ID,
  description: 'Promotion policy: canary "auto" or "manual", boolean confirm/prune, valid maxReleaseAge and soak durations.',
  check({ env, file }) {
    const promotion = field(env, 'promotion');
    if (!isRecord(promotion)) return [problem(ID, { file, path: 'promotion' }, 'promotion is missing', 'Declare the environment with defineEnvironment(), which fills the promotion defaults.')];
    const found: Diagnostic[] = [];
    if (promotion.canary !== 'auto' && promotion.canary !== 'manual') {
      found.push(problem(ID, { file, path: 'promotion.canary' }, `promotion.canary ${show(promotion.canary)} is neither "auto" nor "manual"`, 'Set canary to "auto" (promote when healthy) or "manual".'));
    }
    for (const key of ['confirm', 'prune'] as const) {
      if (typeof promotion[key] !== 'boolean') found.push(problem(ID, { file, path: `promotion.${key}` }, `promotion.${key} ${show(promotion[key])} is not true or false`, `Set ${key} to true or false.`));
    }
    return [...found, ...durationProblems(ID, { file, path: 'promotion' }, promotion, [['maxReleaseAge', false], ['soak', false]])];
  },
};
