import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, warning, type Rule } from '../rule.ts';
import { isInteger, show } from './lib/index.ts';
import { groupsOf } from './lib/visit.ts';

const ID = 'group/count';

/** Rule `group/count`: group counts are integers, at least 1 for service jobs; system jobs do not set one. */
export const groupCountRule: Rule = {
  id: ID,
  description: 'Group counts are integers, at least 1 for service jobs; system jobs do not set one.',
  check({ jobs }) {
    return groupsOf(jobs).flatMap(({ file, job, group, groupPath }): Diagnostic[] => {
      const count: unknown = group.count;
      if (count === undefined) return [];
      const location = { file, path: at(groupPath, 'count') };
      // System jobs run one allocation per eligible node; the renderer always writes Count 1.
      if (job.kind === 'system') {
        return [warning(ID, location, 'count is ignored for system jobs (one allocation per node)', 'Remove count; use constraints to choose the nodes a system job runs on.')];
      }
      const minimum = job.kind === 'service' ? 1 : 0;
      if (isInteger(count) && count >= minimum) return [];
      return [problem(ID, location, `count ${show(count)} must be an integer of at least ${minimum}`, job.kind === 'service' ? 'Set count to 1 or more; to stop a service, remove its job from jobs/ instead.' : 'Set count to a whole number of allocations.')];
    });
  },
};
