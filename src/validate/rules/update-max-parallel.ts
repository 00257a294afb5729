import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isInteger, show } from './lib/index.ts';
import { updatePoliciesOf } from './lib/update.ts';

const ID = 'update/max-parallel';

/** maxParallel 0 turns deployments off: every update replaces all allocations at once, unwatched. */
export const updateMaxParallelRule: Rule = {
  id: ID,
  description: 'Update maxParallel is an integer of at least 1 (0 disables deployments).',
  check({ jobs }) {
    return updatePoliciesOf(jobs).flatMap(({ file, policy, path }) => {
      const value: unknown = policy.maxParallel;
      if (value === undefined || (isInteger(value) && value >= 1)) return [];
      const message = value === 0 ? 'maxParallel 0 disables deployments (no health gating, no canaries, no auto-revert)' : `maxParallel ${show(value)} must be an integer of at least 1`;
      return [problem(ID, { file, path: at(path, 'maxParallel') }, message, 'Set maxParallel to how many allocations may be replaced at once, e.g. 1.')];
    });
  },
};
