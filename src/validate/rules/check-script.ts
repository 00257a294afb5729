import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isNonEmptyString, isRecord, list, show } from './lib/index.ts';
import { checksOf } from './lib/visit.ts';
import type { GroupSpec } from '../../model/job.ts';

const ID = 'check/script';

/** Tasks a script check can exec into: main tasks and sidecars (prestart/poststop tasks exit). */
function longRunningTasks(group: GroupSpec): Set<string> {
  const names = list(group.tasks).flatMap((task) => {
    if (!isRecord(task) || typeof task.name !== 'string') return [];
    const lifecycle = task.lifecycle;
    return !isRecord(lifecycle) || lifecycle.sidecar === true ? [task.name] : [];
  });
  return new Set(names);
}

/** Rule `check/script`: script checks have a command and name a long-running task of the group. */
export const checkScriptRule: Rule = {
  id: ID,
  description: 'Script checks have a command and name a long-running task of the group.',
  check({ jobs }) {
    return checksOf(jobs).flatMap(({ file, group, check, checkPath }): Diagnostic[] => {
      if (check.type !== 'script') return [];
      const found: Diagnostic[] = [];
      const { task, command } = check as { task?: unknown; command?: unknown };
      const tasks = longRunningTasks(group);
      if (typeof task !== 'string' || !tasks.has(task)) {
        const known = tasks.size ? [...tasks].sort().join(', ') : 'none';
        found.push(problem(ID, { file, path: at(checkPath, 'task') }, `Script check task ${show(task)} is not a long-running task of this group (tasks: ${known})`, 'Set `task` to the main task (or a sidecar) the command runs in.'));
      }
      if (!isNonEmptyString(command)) {
        found.push(problem(ID, { file, path: at(checkPath, 'command') }, 'Script check has no command', 'Set `command` to the executable to run inside the task, e.g. "/app/bin/healthcheck".'));
      }
      return found;
    });
  },
};
