import { problem, type Rule } from '../rule.ts';
import { show } from './lib/index.ts';
import { smokeAt, smokeChecksOf, smokeField } from './smoke-checks.ts';

const ID = 'smoke/path';

/** The path is appended to a base URL: without a leading `/` it would change the host or port. */
export const smokePathRule: Rule = {
  id: ID,
  description: 'Smoke check paths start with "/" and contain no whitespace.',
  check({ jobs }) {
    return smokeChecksOf(jobs).flatMap((visit) => {
      const path = smokeField(visit, 'path');
      if (typeof path === 'string' && path.startsWith('/') && !/\s/.test(path)) return [];
      return [problem(ID, smokeAt(visit, 'path'), `Smoke check path ${show(path)} must start with "/" and contain no whitespace`, 'Write the request path, e.g. "/healthz" or "/api/products?limit=1".')];
    });
  },
};
