import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { field, IDENTIFIER, list, show } from './lib/index.ts';
import { tasksOf } from './lib/visit.ts';

const ID = 'secret/key';

/**
 * The renderer reads `.Data.data.<key>`, which makes a missing key a template error instead of an
 * empty variable; that field syntax only works for identifiers.
 */
export const secretKeyRule: Rule = {
  id: ID,
  description: 'Vault secret keys are identifiers (^[A-Za-z_][A-Za-z0-9_]*$).',
  check({ jobs }) {
    return tasksOf(jobs).flatMap(({ file, task, path }) =>
      list(task.secrets).flatMap((ref, i) => {
        const key = field(ref, 'key');
        if (typeof key === 'string' && IDENTIFIER.test(key)) return [];
        return [problem(ID, { file, path: at(at(at(path, 'secrets'), i), 'key') }, `Secret key ${show(key)} is not an identifier`, 'Rename the key in Vault to letters, digits and "_" (e.g. "api_key", not "api-key"), and reference that.')];
      }),
    );
  },
};
