import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isRecord, show } from './lib/index.ts';
import { tasksOf } from './lib/visit.ts';

const ID = 'task/lifecycle';
const HOOKS = ['prestart', 'poststart', 'poststop'];

/** Rule `task/lifecycle`: lifecycle hooks are prestart, poststart or poststop; only prestart and poststart tasks can be sidecars. */
export const taskLifecycleRule: Rule = {
  id: ID,
  description: 'Lifecycle hooks are prestart, poststart or poststop; only prestart and poststart tasks can be sidecars.',
  check({ jobs }) {
    return tasksOf(jobs).flatMap(({ file, task, path }): Diagnostic[] => {
      const lifecycle: unknown = task.lifecycle;
      if (lifecycle === undefined) return [];
      const lifecyclePath = at(path, 'lifecycle');
      if (!isRecord(lifecycle)) return [problem(ID, { file, path: lifecyclePath }, `lifecycle ${show(lifecycle)} is not an object`, "Write `lifecycle: { hook: 'prestart' }`, or remove it.")];
      if (!HOOKS.includes(lifecycle.hook as string)) {
        return [problem(ID, { file, path: at(lifecyclePath, 'hook') }, `Lifecycle hook ${show(lifecycle.hook)} is unknown`, `Use one of ${HOOKS.join(', ')}.`)];
      }
      // A poststop task runs after the main tasks exit; there is nothing left to run alongside.
      if (lifecycle.sidecar === true && lifecycle.hook === 'poststop') {
        return [problem(ID, { file, path: at(lifecyclePath, 'sidecar') }, 'A poststop task cannot be a sidecar', 'Remove sidecar, or use hook "prestart" or "poststart" for a task that runs alongside the main task.')];
      }
      return [];
    });
  },
};
