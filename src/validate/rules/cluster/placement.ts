import type { ClientPool } from '../../../config/cluster.ts';
import { at, type Diagnostic } from '../../diagnostic.ts';
import { problem } from '../../rule.ts';
import { list } from '../lib/shape.ts';
import { fitGroup, fits, poolAttribute, type PoolFit } from '../lib/cluster-nodes.ts';
import type { ClusterCheck, ClusterRule } from './check.ts';

const ID = 'cluster/placement';

/**
 * Rule `cluster/placement`: every group of every job the environment runs fits at least one
 * client pool of its cluster: the environment's node pool, one of the job's datacenters, its
 * constraints on node class, pool, datacenter and meta, the drivers its tasks use and the host
 * volumes it claims. Reported at the job, naming each pool and why it does not fit; a constraint
 * on a node class or meta value no pool has at all is named as such.
 */
export const clusterPlacementRule: ClusterRule = {
  id: ID,
  description: 'Every job group fits some client pool (node pool, datacenter, constraints, drivers, host volumes).',
  check(input) {
    const { env, jobs } = input;
    if (!env) return [];
    const pools = list(input.cluster.clients) as ClientPool[];
    return jobs.flatMap(({ file, spec }) =>
      spec.groups.flatMap((group, g) => {
        const results = pools.map((pool) => fitGroup({ job: spec, group, pool, nodePool: env.nodePool, datacenters: env.datacenters }));
        if (results.some(fits)) return [];
        return [groupProblem({ input, file, path: at('groups', g), subject: `Group "${group.name}" of job ${spec.id}`, results, constraints: [...(spec.constraints ?? []), ...(group.constraints ?? [])] })];
      }),
    );
  },
};

function groupProblem(options: { input: ClusterCheck; file: string; path: string; subject: string; results: readonly PoolFit[]; constraints: readonly { attribute?: string; value?: string; operator?: string }[] }): Diagnostic {
  const { input, file, path, subject, results } = options;
  const pools = list(input.cluster.clients) as ClientPool[];
  const absent = options.constraints.filter((c) => (c.operator ?? '=') === '=' && c.attribute && c.value !== undefined && pools.every((p) => poolAttribute(p, c.attribute ?? '') !== c.value && poolAttribute(p, c.attribute ?? '') !== 'unknown'));
  const reasons = results.map((r) => `pool "${r.pool}": ${[...r.excluded, ...r.missing].join('; ')}`).join('\n    ');
  const env = input.cluster.env;
  if (absent.length) {
    const named = absent.map((c) => `${c.attribute} = ${c.value}`).join(', ');
    return problem(ID, { file, path }, `${subject} is constrained to ${named}, which no client pool of ${input.file} has\n    ${reasons}`, `Add it to the pool that should run the job (nodeClass, nodePool or meta in ${input.file}), or change the constraint.`);
  }
  const hint = results.some((r) => r.excluded.length === 0)
    ? `Enable what is missing on a pool that may run it (drivers, hostVolumes in ${input.file}), or change the job's tasks.`
    : `No pool of ${env} may run it; add a pool in ${input.file} for its node pool, datacenter and constraints, or change the job.`;
  return problem(ID, { file, path }, `${subject} cannot be placed on any client pool of ${input.file}\n    ${reasons || 'the cluster has no client pool'}`, hint);
}
