import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { show } from './lib/index.ts';
import { groupsOf } from './lib/visit.ts';

const ID = 'group/name';
/** Group names appear in allocation names, Consul service IDs and metrics labels: keep them plain. */
const GROUP_NAME = /^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?$/;

/** Rule `group/name`: group names are lower-case letters, digits, "-" and "_" (≤ 63) and unique within a job. */
export const groupNameRule: Rule = {
  id: ID,
  description: 'Group names are lower-case letters, digits, "-" and "_" (≤ 63) and unique within a job.',
  check({ jobs }) {
    const seen = new Map<unknown, Map<string, string>>();
    return groupsOf(jobs).flatMap(({ file, job, group, groupPath }): Diagnostic[] => {
      const location = { file, path: at(groupPath, 'name') };
      const name: unknown = group.name;
      if (typeof name !== 'string' || !GROUP_NAME.test(name)) {
        return [problem(ID, location, `Group name ${show(name)} is not valid`, 'Use 1–63 lower-case letters, digits, "-" and "_", starting and ending with a letter or digit.')];
      }
      const names = seen.get(job) ?? new Map<string, string>();
      seen.set(job, names);
      const previous = names.get(name);
      names.set(name, previous ?? groupPath);
      if (previous === undefined) return [];
      return [problem(ID, location, `Group "${name}" is already defined at ${previous}`, 'Give each group of a job its own name; Nomad keys groups by name.')];
    });
  },
};
