import { problem, type Rule } from '../rule.ts';
import { ENV_NAME, show } from './lib/index.ts';
import { envVarsOf } from './lib/env-vars.ts';
import { tasksOf } from './lib/visit.ts';

const ID = 'task/env-name';

/** Names outside POSIX's grammar are dropped or mangled by env files and shells. */
export const envNameRule: Rule = {
  id: ID,
  description: 'Environment variable names (env, secrets, config) match ^[A-Za-z_][A-Za-z0-9_]*$.',
  check({ jobs }) {
    return tasksOf(jobs).flatMap(({ file, task, path }) =>
      envVarsOf(task, path).flatMap(({ name, path: namePath }) =>
        typeof name === 'string' && ENV_NAME.test(name) ? [] : [problem(ID, { file, path: namePath }, `Environment variable name ${show(name)} is not valid`, 'Use letters, digits and "_", not starting with a digit, e.g. DATABASE_URL.')],
      ),
    );
  },
};
