import type { ClientPool } from '../../../config/cluster.ts';
import { at } from '../../diagnostic.ts';
import { problem, warning } from '../../rule.ts';
import { list } from '../lib/shape.ts';
import { datacenterMatches } from '../lib/cluster-nodes.ts';
import type { ClusterRule } from './check.ts';

const ID = 'cluster/datacenters';
const ENV = 'cluster/env';

/** Rule `cluster/env`: a cluster belongs to an environment of the project. */
export const clusterEnvRule: ClusterRule = {
  id: ENV,
  description: 'A cluster names an environment of the project.',
  check({ cluster, file, env }) {
    if (env) return [];
    return [problem(ENV, { file, path: 'env' }, `The cluster is for environment ${JSON.stringify(cluster.env)}, which environments/ does not define`, 'Use the name of an environment (environments/<name>.ts), or name the file after it.')];
  },
};

/**
 * Rule `cluster/datacenters`: every datacenter the environment names has client nodes (else jobs
 * there can never be placed); pools in datacenters the environment does not name run none of its
 * jobs (a warning: maybe on purpose, for another project).
 */
export const clusterDatacentersRule: ClusterRule = {
  id: ID,
  description: 'Every datacenter the environment names has a client pool.',
  check({ cluster, file, env }) {
    if (!env) return [];
    const pools = list(cluster.clients) as ClientPool[];
    const missing = env.datacenters.filter((dc) => !pools.some((p) => datacenterMatches(dc, p.datacenter)));
    const found = missing.map((dc) =>
      problem(ID, { file, path: 'clients' }, `Environment ${env.name} names datacenter ${dc}, but no client pool of the cluster is in it`, `Add a pool with datacenter: '${dc}', or remove ${dc} from environments/${env.name}.ts.`),
    );
    pools.forEach((pool, i) => {
      if (!env.datacenters.some((dc) => datacenterMatches(dc, pool.datacenter))) {
        found.push(warning(ID, { file, path: at(at('clients', i), 'datacenter') }, `Pool "${pool.name}" is in datacenter ${pool.datacenter}, where ${env.name} runs no job (it names ${env.datacenters.join(', ')})`, `Add ${pool.datacenter} to the environment's datacenters, or move the pool.`));
      }
    });
    return found;
  },
};
