import { at } from '../diagnostic.ts';
import { problem, type Rule } from '../rule.ts';
import { field, list, RFC1123_LABEL, show } from './lib/index.ts';
import { groupsOf } from './lib/visit.ts';

const ID = 'service/wait-for';

/**
 * The service name ends up in the generated `await-<service>` task's name, its template and its
 * shell script, so it must be a plain Consul service name (nothing a shell would interpret).
 */
export const waitForRule: Rule = {
  id: ID,
  description: '`waitFor` entries name a valid Consul service.',
  check({ jobs }) {
    return groupsOf(jobs).flatMap(({ file, group, groupPath }) =>
      list(group.waitFor).flatMap((entry, i) => {
        const service = field(entry, 'service');
        if (typeof service === 'string' && RFC1123_LABEL.test(service)) return [];
        return [problem(ID, { file, path: at(at(at(groupPath, 'waitFor'), i), 'service') }, `waitFor service ${show(service)} is not a valid Consul service name`, 'Name the service exactly as it is registered, e.g. `{ service: \'postgres\' }`.')];
      }),
    );
  },
};
