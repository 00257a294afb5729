import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { field, list, show } from './lib/index.ts';
import { tasksOf } from './lib/visit.ts';

const ID = 'config/key';

/** Consul KV keys have no leading slash; `/config/x` is looked up literally and never found. */
export const configKeyRule: Rule = {
  id: ID,
  description: 'Consul KV keys are non-empty, without a leading "/" or whitespace.',
  check({ jobs }) {
    return tasksOf(jobs).flatMap(({ file, task, path }) =>
      list(task.config).flatMap((ref, i) => {
        const key = field(ref, 'key');
        if (typeof key === 'string' && key.length > 0 && !key.startsWith('/') && !key.endsWith('/') && !/\s/.test(key)) return [];
        return [problem(ID, { file, path: at(at(at(path, 'config'), i), 'key') }, `Consul key ${show(key)} is not a KV key`, 'Write the key without leading or trailing "/", e.g. "shop/api/log_level".')];
      }),
    );
  },
};
