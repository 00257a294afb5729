import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isNonEmptyString, show } from './lib/index.ts';
import { tasksOf } from './lib/visit.ts';

const ID = 'task/driver';

/** Rule `task/driver`: tasks use a driver drover renders (docker, exec, raw_exec, java) with its required setting. */
export const taskDriverRule: Rule = {
  id: ID,
  description: 'Tasks use a driver drover renders (docker, exec, raw_exec, java) with its required setting.',
  check({ jobs }) {
    return tasksOf(jobs).flatMap(({ file, task, path }) => {
      const fields = task as { driver?: unknown; command?: unknown; jarPath?: unknown; workDir?: unknown };
      switch (fields.driver) {
        case undefined:
        case 'docker':
          return []; // task/image checks the image
        case 'exec':
        case 'raw_exec':
          return [
            ...(isNonEmptyString(fields.command) ? [] : [problem(ID, { file, path: at(path, 'command') }, `${fields.driver} task has no command`, 'Set command to the program to run, e.g. "local/app" for a downloaded artifact.')]),
            // Nomad rejects a relative work_dir only when the task starts, on the client.
            ...(fields.workDir === undefined || (typeof fields.workDir === 'string' && /^(\/|\$\{)/.test(fields.workDir))
              ? []
              : [problem(ID, { file, path: at(path, 'workDir') }, `workDir ${show(fields.workDir)} is not an absolute path`, 'Write an absolute path, or one starting with a Nomad variable such as "${meta.checkout}".')]),
          ];
        case 'java':
          if (isNonEmptyString(fields.jarPath)) return [];
          return [problem(ID, { file, path: at(path, 'jarPath') }, 'java task has no jarPath', 'Set jarPath to the jar to run, e.g. "local/app.jar".')];
        default:
          return [problem(ID, { file, path: at(path, 'driver') }, `Driver ${show(fields.driver)} is not one drover renders`, 'Use "docker" (default), "exec", "raw_exec" or "java".')];
      }
    });
  },
};
