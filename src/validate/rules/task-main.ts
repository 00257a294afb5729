import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isRecord, list } from './lib/index.ts';
import { groupsOf } from './lib/visit.ts';

const ID = 'task/main';

/** A group whose tasks are all lifecycle hooks has nothing for Nomad to keep running. */
export const taskMainRule: Rule = {
  id: ID,
  description: 'Every group has at least one main task (a task without lifecycle).',
  check({ jobs }) {
    return groupsOf(jobs).flatMap(({ file, group, groupPath }) => {
      const tasks = list(group.tasks).filter(isRecord);
      if (tasks.some((task) => task.lifecycle === undefined)) return [];
      const message = tasks.length === 0 ? `Group "${String(group.name)}" has no tasks` : `Group "${String(group.name)}" has only lifecycle tasks`;
      return [problem(ID, { file, path: at(groupPath, 'tasks') }, message, 'Add the task that does the group\'s work, without `lifecycle`.')];
    });
  },
};
