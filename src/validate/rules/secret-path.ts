import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { itemsOf, show } from './lib/index.ts';
import { tasksOf } from './lib/visit.ts';

const ID = 'secret/path';

/** A clean relative path: segments of non-space characters, no empty, `.` or `..` segments. */
export function isCleanPath(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && !/\s/.test(s));
}

/** The renderer builds `<mount>/data/<path>` itself, so a path with its own `data/` reads the wrong secret. */
export const secretPathRule: Rule = {
  id: ID,
  description: 'Vault secret paths are relative to the KV v2 mount, without a leading "/" or a "data/" segment.',
  check({ jobs }) {
    return tasksOf(jobs).flatMap(({ file, task, path }) =>
      itemsOf<Record<string, unknown>>(task.secrets, at(path, 'secrets')).flatMap(([ref, refPath]): Diagnostic[] => {
        const found: Diagnostic[] = [];
        const secretPath = ref.path;
        if (!isCleanPath(secretPath)) {
          found.push(problem(ID, { file, path: at(refPath, 'path') }, `Secret path ${show(secretPath)} is not a relative path`, 'Write the path inside the mount without leading or trailing "/", e.g. "shop/api/database".'));
        } else if (secretPath.split('/').includes('data')) {
          found.push(problem(ID, { file, path: at(refPath, 'path') }, `Secret path "${secretPath}" contains a "data" segment`, 'Drop "data/": drover adds the KV v2 API segment itself (secret/data/<path>).'));
        }
        if (ref.mount !== undefined && !isCleanPath(ref.mount)) {
          found.push(problem(ID, { file, path: at(refPath, 'mount') }, `Secret mount ${show(ref.mount)} is not a mount path`, 'Write the KV v2 mount without slashes around it, e.g. "secret".'));
        }
        return found;
      }),
    );
  },
};
