import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isRouteHost, show } from './lib/index.ts';
import { routesOf } from './lib/visit.ts';

const ID = 'fabio/route-host';

/** Rule `fabio/route-host`: route hosts are DNS names (optionally `*.` or with $DC), without scheme, port or path. */
export const fabioRouteHostRule: Rule = {
  id: ID,
  description: 'Route hosts are DNS names (optionally `*.` or with $DC), without scheme, port or path.',
  check({ jobs }) {
    return routesOf(jobs).flatMap(({ file, route, routePath }) => {
      if (route.kind === 'tcp') return [];
      const { host } = route as { host?: unknown };
      if (host === undefined || (typeof host === 'string' && isRouteHost(host))) return [];
      return [problem(ID, { file, path: at(routePath, 'host') }, `Route host ${show(host)} is not a DNS host name`, 'Write only the host name, e.g. "api.example.com" (no scheme, port or path; put the path in `path`).')];
    });
  },
};
