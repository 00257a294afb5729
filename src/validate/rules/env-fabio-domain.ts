import { problem } from '../rule.ts';
import { field, isRouteHost, show } from './lib/index.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';

const ID = 'env/fabio-domain';

/** Rule `env/fabio-domain`: the Fabio domain is a DNS name that host routes can hang off. */
export const envFabioDomainRule: EnvironmentRule = {
  id: ID,
  description: 'The Fabio domain is a DNS name that host routes can hang off.',
  check({ env, file }) {
    const domain = field(field(env, 'fabio'), 'domain');
    if (typeof domain === 'string' && !domain.includes('$') && !domain.startsWith('*') && isRouteHost(domain)) return [];
    return [problem(ID, { file, path: 'fabio.domain' }, `fabio.domain ${show(domain)} is not a DNS name`, 'Write the DNS suffix only, e.g. "qa.example.internal" (no scheme, port or path).')];
  },
};
