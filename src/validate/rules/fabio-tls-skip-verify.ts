import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { routesOf } from './lib/visit.ts';

const ID = 'fabio/tls-skip-verify';

/** `tlsskipverify` only affects TLS upstreams; on http/grpc it suggests a misunderstanding of `proto`. */
export const fabioTlsSkipVerifyRule: Rule = {
  id: ID,
  description: '`tlsSkipVerify` is only set on routes whose proto is https or grpcs.',
  check({ jobs }) {
    return routesOf(jobs).flatMap(({ file, route, routePath }) => {
      if (route.kind !== undefined && route.kind !== 'http') return [];
      if (!route.tlsSkipVerify) return [];
      if (route.proto === 'https' || route.proto === 'grpcs') return [];
      return [problem(ID, { file, path: at(routePath, 'tlsSkipVerify') }, `tlsSkipVerify has no effect with proto "${String(route.proto ?? 'http')}"`, 'Set proto to "https" or "grpcs" if the upstream speaks TLS, otherwise remove tlsSkipVerify.')];
    });
  },
};
