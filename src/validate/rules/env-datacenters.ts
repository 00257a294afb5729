import { at } from '../diagnostic.ts';
import { problem } from '../rule.ts';
import { show } from './lib/index.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';

const ID = 'env/datacenters';

/** Rule `env/datacenters`: environments list at least one datacenter, each a name without whitespace. */
export const envDatacentersRule: EnvironmentRule = {
  id: ID,
  description: 'Environments list at least one datacenter, each a name without whitespace.',
  check({ env, file }) {
    const datacenters: unknown = env.datacenters;
    if (!Array.isArray(datacenters) || datacenters.length === 0) {
      return [problem(ID, { file, path: 'datacenters' }, 'datacenters is empty', 'List the Nomad datacenters jobs may run in, e.g. ["dc1"], or remove it for ["*"].')];
    }
    return datacenters.flatMap((dc: unknown, i) =>
      typeof dc === 'string' && /^\S+$/.test(dc) ? [] : [problem(ID, { file, path: at('datacenters', i) }, `Datacenter ${show(dc)} is not a datacenter name`, 'Use the name as Nomad clients report it, e.g. "dc1".')],
    );
  },
};
