import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { isRecord, list } from './lib/index.ts';
import { servicesOf } from './lib/visit.ts';

const ID = 'fabio/health-check';

/** Fabio routes an instance only when one of its checks passes: no check means no traffic, ever. */
export const fabioHealthCheckRule: Rule = {
  id: ID,
  description: 'Services with Fabio routes have at least one health check.',
  check({ jobs }) {
    return servicesOf(jobs).flatMap(({ file, service, path }) => {
      if (list(service.routes).length === 0) return [];
      if (list(service.checks).some(isRecord)) return [];
      return [problem(ID, { file, path: at(path, 'checks') }, `Service "${String(service.name)}" has routes but no health check, so Fabio will never route to it`, 'Add a check, e.g. `checks: [{ type: \'http\', path: \'/healthz\' }]`.')];
    });
  },
};
