import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isInteger, show } from './lib/index.ts';
import { updatePoliciesOf } from './lib/update.ts';

const ID = 'update/canaries';

/** Rule `update/canaries`: canary updates deploy at least one canary; canary updates are not used on system jobs. */
export const updateCanariesRule: Rule = {
  id: ID,
  description: 'Canary updates deploy at least one canary; canary updates are not used on system jobs.',
  check({ jobs }) {
    return updatePoliciesOf(jobs).flatMap(({ file, job, policy, path }): Diagnostic[] => {
      if (policy.strategy !== 'canary') return [];
      // On system jobs Nomad (≥ 1.11) reads Canary as a percentage of nodes, not a count.
      if (job.kind === 'system') {
        return [problem(ID, { file, path: at(path, 'strategy') }, 'Canary updates are not supported for system jobs', 'Use strategy "rolling" with a small maxParallel for system jobs.')];
      }
      const canaries: unknown = policy.canaries;
      if (canaries === undefined || (isInteger(canaries) && canaries >= 1)) return [];
      return [problem(ID, { file, path: at(path, 'canaries') }, `canaries ${show(canaries)} must be an integer of at least 1`, 'Set canaries to 1 or more, or use strategy "rolling".')];
    });
  },
};
