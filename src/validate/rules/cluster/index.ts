import type { Cluster } from '../../../config/cluster.ts';
import type { Environment } from '../../../config/environment.ts';
import type { LoadedJob } from '../../../model/loaded-job.ts';
import { sortDiagnostics, type Diagnostic } from '../../diagnostic.ts';
import { didYouMean, didYouMeanText } from '../../did-you-mean.ts';
import { clusterShape } from '../../keys/cluster-keys.ts';
import { findUnknownKeys } from '../../keys/shape.ts';
import { problem } from '../../rule.ts';
import { clusterAddonsRule } from './addons.ts';
import type { ClusterRule } from './check.ts';
import { clusterDatacentersRule, clusterEnvRule } from './datacenters.ts';
import { clusterPlacementRule } from './placement.ts';
import { clusterPoolsRule } from './pools.ts';
import { clusterPortsRule } from './ports.ts';
import { clusterAclsRule, clusterGossipRule, clusterTelemetryRule, clusterTlsRule } from './security.ts';
import { clusterMachinesRule, clusterServerCountRule } from './servers.ts';
import { clusterSealRule, clusterVersionsRule } from './versions.ts';

export type { ClusterCheck, ClusterRule } from './check.ts';

export const CLUSTER_UNKNOWN_KEY = 'cluster/unknown-key';

/** Rule `cluster/unknown-key`: every key of a cluster definition is one drover knows. */
export const clusterUnknownKeyRule: ClusterRule = {
  id: CLUSTER_UNKNOWN_KEY,
  description: 'Every key of a cluster definition is one drover knows.',
  check({ cluster, file }) {
    return findUnknownKeys(cluster, clusterShape).map(({ path, key, known }) => {
      const near = didYouMean(key, known);
      const hint = near[0] ? `Rename "${key}" to "${near[0]}".` : `Remove "${key}"; keys allowed here: ${[...known].sort().join(', ')}.`;
      return problem(CLUSTER_UNKNOWN_KEY, { file, path }, `Unknown key "${key}": drover would ignore it.${near.length ? didYouMeanText(key, near) : ''}`, hint);
    });
  },
};

/** Every rule run on a cluster definition. */
export const clusterRules: readonly ClusterRule[] = [
  clusterEnvRule,
  clusterMachinesRule,
  clusterServerCountRule,
  clusterPoolsRule,
  clusterVersionsRule,
  clusterSealRule,
  clusterAclsRule,
  clusterTlsRule,
  clusterGossipRule,
  clusterTelemetryRule,
  clusterAddonsRule,
  clusterPortsRule,
  clusterDatacentersRule,
  clusterPlacementRule,
  clusterUnknownKeyRule,
];

/**
 * Validates the clusters of a project as seen from one environment: `env`'s own cluster with
 * every rule (its jobs included), and that no environment has two clusters. Never throws: a rule
 * that trips over a malformed definition becomes a diagnostic.
 */
export function validateClusters(options: { clusters: readonly { file: string; value: Cluster }[]; env: Environment; environments: readonly Environment[]; jobs: readonly LoadedJob[] }): Diagnostic[] {
  const { clusters, env } = options;
  const own = clusters.filter((c) => c.value.env === env.name);
  const duplicates = own.slice(1).map((c) =>
    problem('cluster/env', { file: c.file, path: 'env' }, `Environment ${env.name} has two clusters: ${own[0]?.file} and ${c.file}`, 'Keep one cluster per environment; put all its pools in that file.'),
  );
  // Clusters naming no environment are reported once, with the first environment validated.
  const strays = env === options.environments[0] ? clusters.filter((c) => !options.environments.some((e) => e.name === c.value.env)) : [];
  const checks = [
    ...own.slice(0, 1).map((c) => ({ cluster: c.value, file: c.file, env, jobs: options.jobs })),
    ...strays.map((c) => ({ cluster: c.value, file: c.file, env: undefined, jobs: [] })),
  ];
  return sortDiagnostics([...duplicates, ...checks.flatMap((check) => runClusterRules(check))]);
}

function runClusterRules(check: Parameters<ClusterRule['check']>[0]): Diagnostic[] {
  return clusterRules.flatMap((rule) => {
    if (!check.env && rule !== clusterEnvRule && rule !== clusterUnknownKeyRule) return [];
    try {
      return rule.check(check);
    } catch (error) {
      return [problem(rule.id, { file: check.file, path: '' }, `Rule ${rule.id} could not check the cluster: ${error instanceof Error ? error.message : String(error)}`, 'The cluster definition is malformed in a way drover did not expect; fix its shape (npx tsc --noEmit shows where), and report this as a drover bug.')];
    }
  });
}
