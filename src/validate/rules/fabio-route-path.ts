import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { show } from './lib/index.ts';
import { routesOf } from './lib/visit.ts';

const ID = 'fabio/route-path';

/**
 * A path without a leading `/` turns `urlprefix-<host><path>` into a different host (or no HTTP
 * route at all), and whitespace ends the route inside the tag (the rest is read as options).
 */
export const fabioRoutePathRule: Rule = {
  id: ID,
  description: 'HTTP and redirect route paths start with "/" and contain no whitespace.',
  check({ jobs }) {
    return routesOf(jobs).flatMap(({ file, route, routePath }) => {
      if (route.kind === 'tcp') return [];
      const { path } = route as { path?: unknown };
      if (path === undefined) return [];
      if (typeof path === 'string' && path.startsWith('/') && !/\s/.test(path)) return [];
      return [problem(ID, { file, path: at(routePath, 'path') }, `Route path ${show(path)} must start with "/" and contain no whitespace`, `Write the path as an absolute URL path, e.g. "/${typeof path === 'string' ? path.replace(/^\/*/, '').replace(/\s+/g, '-') : 'api'}".`)];
    });
  },
};
