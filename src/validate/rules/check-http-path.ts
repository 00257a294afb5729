import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { show } from './lib/index.ts';
import { checksOf } from './lib/visit.ts';

const ID = 'check/http-path';

/** Rule `check/http-path`: HTTP checks have a path starting with "/". */
export const checkHttpPathRule: Rule = {
  id: ID,
  description: 'HTTP checks have a path starting with "/".',
  check({ jobs }) {
    return checksOf(jobs).flatMap(({ file, check, checkPath }) => {
      if (check.type !== 'http') return [];
      const { path } = check as { path?: unknown };
      if (typeof path === 'string' && path.startsWith('/') && !/\s/.test(path)) return [];
      return [problem(ID, { file, path: at(checkPath, 'path') }, `HTTP check path ${show(path)} must start with "/"`, 'Set the URL path the check requests, e.g. "/healthz".')];
    });
  },
};
