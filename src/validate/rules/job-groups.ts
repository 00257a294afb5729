import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isRecord, show } from './lib/index.ts';
import { jobsOf } from './lib/visit.ts';

const ID = 'job/groups';

/** Rule `job/groups`: a job has at least one group, and every group is an object. */
export const jobGroupsRule: Rule = {
  id: ID,
  description: 'A job has at least one group, and every group is an object.',
  check({ jobs }) {
    return jobsOf(jobs).flatMap(({ file, job }): Diagnostic[] => {
      const groups: unknown = job.groups;
      if (!Array.isArray(groups) || groups.length === 0) {
        return [problem(ID, { file, path: 'groups' }, 'Job has no groups', 'Add at least one group with a task: `groups: [{ name: \'app\', tasks: [...] }]`.')];
      }
      return groups.flatMap((group: unknown, i) =>
        isRecord(group) ? [] : [problem(ID, { file, path: at('groups', i) }, `Group ${show(group)} is not an object`, 'Write each group as `{ name, tasks, ... }`.')],
      );
    });
  },
};
