/**
 * The engine of `drover cluster check`: read everything (read.ts), judge it (check.ts), hand each
 * result to the reporter in order, and decide the exit code. Prints nothing itself.
 */
import type { Cluster } from '../config/cluster.ts';
import { checkCluster } from './check.ts';
import { readClusterFacts, type ReadInputs } from './read.ts';
import { clusterCheckExitCode, type CheckResult } from './result.ts';

export interface ClusterCheckRun {
  readonly results: readonly CheckResult[];
  readonly exitCode: number;
}

export async function runClusterCheck(cluster: Cluster, inputs: ReadInputs, onResult: (result: CheckResult) => void): Promise<ClusterCheckRun> {
  const facts = await readClusterFacts(inputs);
  const results = checkCluster(cluster, inputs.env, facts);
  for (const result of results) onResult(result);
  return { results, exitCode: clusterCheckExitCode(results) };
}
