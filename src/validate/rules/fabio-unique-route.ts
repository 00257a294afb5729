import { routeKey } from '../../render/fabio-tags.ts';
import type { FabioRoute } from '../../model/route.ts';
import type { Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { routesOf, type RouteVisit } from './lib/visit.ts';

const ID = 'fabio/unique-route';

/** The renderer's duplicate key, or undefined when the route is too malformed to have one. */
function keyOf(route: FabioRoute): string | undefined {
  const { host, path } = route as { host?: unknown; path?: unknown };
  if (host !== undefined && typeof host !== 'string') return undefined;
  if (path !== undefined && typeof path !== 'string') return undefined;
  return routeKey(route);
}

function owner(other: RouteVisit, mine: RouteVisit): string {
  const service = `service "${String(other.service.name)}"`;
  return other.job === mine.job ? `${service} of this job` : `job "${String(other.job.id)}" (${service}, ${other.file})`;
}

/**
 * Fabio merges every registration of a route into one table entry and spreads traffic over all
 * of them, so two services claiming the same host/path (or TCP port) silently share traffic.
 */
export const fabioUniqueRouteRule: Rule = {
  id: ID,
  description: 'No two routes, across all jobs and services, have the same Fabio source (host/path or TCP port).',
  check({ jobs }) {
    const byKey = new Map<string, RouteVisit[]>();
    for (const visit of routesOf(jobs)) {
      const key = keyOf(visit.route);
      if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), visit]);
    }
    return [...byKey.entries()].flatMap(([key, visits]): Diagnostic[] => {
      if (visits.length < 2) return [];
      return visits.map((mine) => {
        const others = visits.filter((other) => other !== mine).map((other) => owner(other, mine));
        return problem(ID, { file: mine.file, path: mine.routePath }, `Route "${key}" is also defined by ${others.join(', ')}`, 'Give each service its own host or path (or TCP port); to split traffic between versions use canaries, not a second service.');
      });
    });
  },
};
