/**
 * Judges what was read against the cluster definition: one result per point, in a fixed order.
 * Pure: tested with values (test/unit/cluster-check/).
 */
import type { Cluster } from '../config/cluster.ts';
import type { Environment } from '../config/environment.ts';
import { checkLeaders, checkRaftPeers, checkVersions } from './checks/agents.ts';
import { checkConsulJwtTrust } from './checks/consul-jwt.ts';
import { checkFabio, checkPrometheus } from './checks/edge.ts';
import { checkPools } from './checks/pools.ts';
import { checkAcls, checkGossip, checkTls } from './checks/security.ts';
import { checkJwtTrust, checkVault } from './checks/vault.ts';
import type { ClusterFacts } from './facts.ts';
import type { CheckResult } from './result.ts';

export function checkCluster(cluster: Cluster, env: Environment, facts: ClusterFacts): CheckResult[] {
  return [
    ...checkLeaders(facts),
    ...checkRaftPeers(cluster, facts),
    ...checkVersions(cluster, facts, env.name),
    ...checkAcls(cluster, facts),
    ...checkTls(cluster, facts),
    ...checkGossip(facts),
    ...checkVault(cluster, facts),
    checkJwtTrust(env, facts),
    checkConsulJwtTrust(cluster, facts),
    ...checkPools(cluster, facts, env.name),
    ...checkFabio(cluster, facts),
    ...checkPrometheus(facts),
  ];
}
