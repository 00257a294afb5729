import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { show } from './lib/index.ts';
import { routesOf } from './lib/visit.ts';

const ID = 'fabio/strip-prefix';

/** Fabio strips `strip=` only when the request path starts with it; otherwise it is a silent no-op. */
export const fabioStripPrefixRule: Rule = {
  id: ID,
  description: 'A route\'s `strip` is a prefix of its path.',
  check({ jobs }) {
    return routesOf(jobs).flatMap(({ file, route, routePath }) => {
      if (route.kind !== undefined && route.kind !== 'http') return [];
      const { strip, path } = route as { strip?: unknown; path?: unknown };
      if (strip === undefined) return [];
      const urlPath = typeof path === 'string' ? path : '/';
      if (typeof strip === 'string' && strip.startsWith('/') && !/\s/.test(strip) && urlPath.startsWith(strip)) return [];
      return [problem(ID, { file, path: at(routePath, 'strip') }, `strip ${show(strip)} is not a prefix of the route path "${urlPath}"`, `Set strip to the route path ("${urlPath}") or a leading part of it, or remove it.`)];
    });
  },
};
