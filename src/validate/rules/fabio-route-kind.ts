import { at, type Diagnostic } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { show } from './lib/index.ts';
import { routesOf } from './lib/visit.ts';

const ID = 'fabio/route-kind';
const KINDS = [undefined, 'http', 'tcp', 'redirect'];
const PROTOS = [undefined, 'http', 'https', 'grpc', 'grpcs'];

/** Rule `fabio/route-kind`: routes have a known kind, and HTTP routes a known upstream protocol. */
export const fabioRouteKindRule: Rule = {
  id: ID,
  description: 'Routes have a known kind, and HTTP routes a known upstream protocol.',
  check({ jobs }) {
    return routesOf(jobs).flatMap(({ file, route, routePath }): Diagnostic[] => {
      const { kind, proto } = route as { kind?: unknown; proto?: unknown };
      if (!KINDS.includes(kind as string)) {
        return [problem(ID, { file, path: at(routePath, 'kind') }, `Route kind ${show(kind)} is not one drover renders`, 'Use kind "http" (or omit it), "tcp" or "redirect".')];
      }
      if ((kind === undefined || kind === 'http') && !PROTOS.includes(proto as string)) {
        return [problem(ID, { file, path: at(routePath, 'proto') }, `Upstream protocol ${show(proto)} is not one Fabio speaks on an HTTP route`, 'Use proto "http", "https", "grpc" or "grpcs", or a route of kind "tcp".')];
      }
      return [];
    });
  },
};
