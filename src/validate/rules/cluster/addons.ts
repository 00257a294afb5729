import type { ClientPool, Cluster } from '../../../config/cluster.ts';
import type { Environment } from '../../../config/environment.ts';
import type { LoadedJob } from '../../../model/loaded-job.ts';
import { at, type Diagnostic } from '../../diagnostic.ts';
import { problem, warning } from '../../rule.ts';
import { list } from '../lib/shape.ts';
import { fitGroup, fits } from '../lib/cluster-nodes.ts';
import type { ClusterRule } from './check.ts';

const ID = 'cluster/addons';

/** The project's system jobs that run an add-on when it runs as `nomad-job`. */
export const ADDON_JOBS = { fabio: 'fabio', nodeExporter: 'node-exporter' } as const;

/**
 * Rule `cluster/addons`: Fabio, node-exporter and Prometheus run on pools the cluster has. When an
 * add-on runs as the project's system job, that job exists for the environment and fits every
 * pool named for it; a pool it would also land on is a warning (Nomad places system jobs on every
 * node that fits).
 */
export const clusterAddonsRule: ClusterRule = {
  id: ID,
  description: 'Fabio, node-exporter and Prometheus are placed on pools that exist and fit their jobs.',
  check({ cluster, file, env, jobs }) {
    const pools = list(cluster.clients) as ClientPool[];
    const names = pools.map((p) => p.name);
    const found: Diagnostic[] = [];
    if (cluster.prometheus?.on !== 'servers' && !names.includes(cluster.prometheus?.on)) {
      found.push(problem(ID, { file, path: 'prometheus.on' }, `prometheus.on names "${cluster.prometheus?.on}", which is neither "servers" nor a client pool`, `Use "servers" or one of: ${names.join(', ')}.`));
    }
    for (const addon of ['fabio', 'nodeExporter'] as const) {
      const placement = cluster[addon];
      list(placement?.pools).forEach((pool, i) => {
        if (!names.includes(pool as string)) found.push(problem(ID, { file, path: at(at(addon, 'pools'), i) }, `${addon}.pools names "${String(pool)}", which is no client pool`, `Use the name of a pool: ${names.join(', ')}.`));
      });
      if (env && placement?.runAs === 'nomad-job') found.push(...jobPlacement({ cluster, addon, file, env, jobs, pools }));
    }
    return found;
  },
};

function jobPlacement(options: { cluster: Cluster; addon: 'fabio' | 'nodeExporter'; file: string; env: Environment; jobs: readonly LoadedJob[]; pools: readonly ClientPool[] }): Diagnostic[] {
  const { cluster, addon, file, env } = options;
  const wanted = list(cluster[addon].pools) as string[];
  const id = ADDON_JOBS[addon];
  const job = options.jobs.find((j) => j.spec.id === id);
  if (!job) {
    if (wanted.length === 0) return [];
    return [problem(ID, { file, path: at(addon, 'runAs') }, `${addon} runs as the Nomad job "${id}", but ${env.name} has no such job`, `Add jobs/${id}.ts (a system job), or set ${addon}: { runAs: 'systemd' } so that drover installs it on the machines.`)];
  }
  return options.pools.flatMap((pool) => {
    const results = job.spec.groups.map((group) => fitGroup({ job: job.spec, group, pool, nodePool: env.nodePool, datacenters: env.datacenters }));
    const runsThere = results.every(fits);
    if (wanted.includes(pool.name) && !runsThere) {
      const why = results.flatMap((r) => [...r.excluded, ...r.missing]).join('; ');
      return [problem(ID, { file, path: at(at(addon, 'pools'), wanted.indexOf(pool.name)) }, `Pool "${pool.name}" should run ${id}, but ${job.file} cannot be placed there: ${why}`, `Enable what is missing on pool "${pool.name}", or remove it from ${addon}.pools.`)];
    }
    if (!wanted.includes(pool.name) && runsThere) {
      return [warning(ID, { file, path: at(addon, 'pools') }, `${job.file} is a system job and will also run on pool "${pool.name}", which ${addon}.pools leaves out`, `Add "${pool.name}" to ${addon}.pools, or constrain the job away from that pool.`)];
    }
    return [];
  });
}
