import { problem, type Rule } from '../rule.ts';
import { envVarsOf } from './lib/env-vars.ts';
import { tasksOf } from './lib/visit.ts';

const ID = 'task/duplicate-env';

/** Nomad merges `env` and the rendered env files; which value wins is not obvious to a reader. */
export const envDuplicateRule: Rule = {
  id: ID,
  description: 'A task declares each environment variable once across env, secrets and config.',
  check({ jobs }) {
    return tasksOf(jobs).flatMap(({ file, task, path }) => {
      const seen = new Map<string, string>();
      return envVarsOf(task, path).flatMap(({ name, path: namePath }) => {
        if (typeof name !== 'string') return [];
        const previous = seen.get(name);
        if (previous === undefined) {
          seen.set(name, namePath);
          return [];
        }
        return [problem(ID, { file, path: namePath }, `${name} is already set at ${previous}`, 'Keep one definition of the variable: a literal in env, a Vault secret or a Consul key.')];
      });
    });
  },
};
