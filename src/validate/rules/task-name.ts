import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { field, list, show } from './lib/index.ts';
import { groupsOf, itemsOf } from './lib/visit.ts';
import type { TaskSpec } from '../../model/task.ts';

const ID = 'task/name';
/** Task names show up in paths (alloc dirs, Vault identities) and env vars: no slashes or spaces. */
const TASK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Rule `task/name`: task names are valid and unique within a group, including the generated await-<service> tasks. */
export const taskNameRule: Rule = {
  id: ID,
  description: 'Task names are valid and unique within a group, including the generated await-<service> tasks.',
  check({ jobs }) {
    return groupsOf(jobs).flatMap(({ file, group, groupPath }) => {
      // The renderer adds one prestart task per waitFor entry, named await-<service>.
      const seen = new Map<string, string>(
        list(group.waitFor).map((entry, i) => [`await-${String(field(entry, 'service'))}`, `the task generated for waitFor[${i}]`]),
      );
      return itemsOf<TaskSpec>(group.tasks, at(groupPath, 'tasks')).flatMap(([task, path]): Diagnostic[] => {
        const location = { file, path: at(path, 'name') };
        const name: unknown = task.name;
        if (typeof name !== 'string' || !TASK_NAME.test(name)) {
          return [problem(ID, location, `Task name ${show(name)} is not valid`, 'Use letters, digits, ".", "_" and "-" (no slashes or spaces), starting with a letter or digit.')];
        }
        const previous = seen.get(name);
        if (previous === undefined) {
          seen.set(name, path);
          return [];
        }
        return [problem(ID, location, `Task name "${name}" is already used by ${previous} in this group`, 'Give each task of a group its own name.')];
      });
    });
  },
};
