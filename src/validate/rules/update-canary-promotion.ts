import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { field, show } from './lib/index.ts';
import { updatePoliciesOf } from './lib/update.ts';

const ID = 'update/canary-promotion';
const MODES = ['auto', 'manual', 'progressive'];

/** Without a promotion mode the renderer cannot decide AutoPromote, and canaries wait forever. */
export const updateCanaryPromotionRule: Rule = {
  id: ID,
  description: 'Canary updates say how canaries are promoted, in the update policy or the environment.',
  check({ jobs, env }) {
    const fromEnv = field(field(env, 'promotion'), 'canary');
    return updatePoliciesOf(jobs).flatMap(({ file, policy, path }) => {
      if (policy.strategy !== 'canary') return [];
      const own: unknown = policy.promotion;
      if (own !== undefined && !MODES.includes(own as string)) {
        return [problem(ID, { file, path: at(path, 'promotion') }, `Canary promotion ${show(own)} is not "auto", "manual" or "progressive"`, 'Set promotion to "auto", "manual" or "progressive", or remove it to use the environment\'s promotion.canary.')];
      }
      if (own !== undefined || MODES.includes(fromEnv as string)) return [];
      return [problem(ID, { file, path: at(path, 'promotion') }, `Canary update has no promotion mode, and environment ${show(field(env, 'name'))} sets no promotion.canary`, 'Set promotion: "auto", "manual" or "progressive" on the update policy, or promotion.canary in the environment file.')];
    });
  },
};
