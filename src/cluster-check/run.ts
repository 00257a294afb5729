/**
 * The engine of `drover cluster check`: read everything (read.ts), judge it (check.ts), hand each
 * result to the reporter in order, and decide the exit code. Prints nothing itself.
 */
import type { Cluster } from '../config/cluster.ts';
import { checkCluster } from './check.ts';
import { withoutDevExclusions } from './dev-profile.ts';
import { readClusterFacts, type ReadInputs } from './read.ts';
import { clusterCheckExitCode, type CheckResult } from './result.ts';

export interface ClusterCheckRun {
  readonly results: readonly CheckResult[];
  readonly exitCode: number;
}

/** `profile: 'dev'` judges a `drover up` cluster: pass `devProfileOf(definition)` as `cluster`. */
export async function runClusterCheck(cluster: Cluster, inputs: ReadInputs, onResult: (result: CheckResult) => void, options: { readonly profile?: 'declared' | 'dev' } = {}): Promise<ClusterCheckRun> {
  const facts = await readClusterFacts(inputs);
  const judged = checkCluster(cluster, inputs.env, facts);
  const results = options.profile === 'dev' ? withoutDevExclusions(judged) : judged;
  for (const result of results) onResult(result);
  return { results, exitCode: clusterCheckExitCode(results) };
}
