/**
 * Every declared client pool is present with its nodes ready and its drivers healthy. Pure.
 *
 * A node list stub carries pool, datacenter and class but not meta, so pools that differ only by
 * meta (qa's general and storage) cannot be told apart by what Nomad lists: such pools are judged
 * together, their sizes added up, each node held to the drivers all of them declare. Pools with
 * `hosts` are matched by node name.
 */
import type { ClientPool, Cluster } from '../../config/cluster.ts';
import type { NomadNodeListStub } from '../../wire/cluster-agents.ts';
import type { ClusterFacts } from '../facts.ts';
import { judge, type CheckResult } from '../result.ts';

const DENIED = 'The token needs `node { policy = "read" }` (export NOMAD_TOKEN).';

export function checkPools(cluster: Cluster, facts: ClusterFacts, env: string): CheckResult[] {
  const nodes = facts.nomad.nodes;
  const pools = facts.nomad.pools;
  return groupPools(cluster.clients).map((group) => {
    const names = group.map((p) => p.name).join(' + ');
    const first = group[0]!;
    const id = `nomad/pool/${group.map((p) => p.name).join('+')}`;
    const title = `Client pool ${names} (node pool ${first.nodePool}, ${first.datacenter}${first.nodeClass ? `, class ${first.nodeClass}` : ''}): nodes ready, drivers ${drivers(group).join(', ')} healthy`;
    if (!pools.ok) return judge(pools, id, title, DENIED, () => ({ status: 'pass', detail: '' }));
    return judge(nodes, id, title, DENIED, (all) => judgeGroup(group, all, pools.value.map((p) => p.Name), env));
  });
}

function judgeGroup(group: readonly ClientPool[], all: readonly NomadNodeListStub[], poolNames: readonly string[], env: string): Omit<CheckResult, 'id' | 'title'> {
  const first = group[0]!;
  const fix = `Provision the pool's machines from cluster/${env}/client-${first.name}/ (\`drover cluster render ${env}\`; AWS: the Auto Scaling group, on-prem: terraform apply) and check the agents' logs.`;
  if (!poolNames.includes(first.nodePool)) return { status: 'fail', detail: `node pool ${first.nodePool} does not exist in Nomad`, fix: `Clients create it when they register with \`node_pool = "${first.nodePool}"\`; ${fix}` };
  const members = all.filter((node) => belongs(node, group));
  const ready = members.filter((node) => node.Status === 'ready' && node.SchedulingEligibility === 'eligible' && !node.Drain);
  const wanted = group.reduce((sum, pool) => sum + (pool.min ?? pool.count), 0);
  const problems: string[] = [];
  const hosts = group.flatMap((pool) => (pool.hosts ?? []).map((h) => h.name));
  const absent = hosts.filter((name) => !members.some((node) => node.Name === name));
  if (absent.length) problems.push(`missing: ${absent.join(', ')}`);
  else if (ready.length < wanted) problems.push(`${ready.length} ready and eligible of ${wanted} declared`);
  for (const node of members.filter((n) => !ready.includes(n))) problems.push(`${node.Name} is ${node.Status}${node.Drain ? ', draining' : ''}${node.SchedulingEligibility === 'ineligible' ? ', ineligible' : ''}`);
  for (const node of ready) {
    for (const driver of drivers(group)) {
      const info = node.Drivers[driver];
      if (!info?.Detected) problems.push(`${node.Name}: driver ${driver} not detected`);
      else if (!info.Healthy) problems.push(`${node.Name}: driver ${driver} unhealthy (${info.HealthDescription || 'no description'})`);
    }
  }
  if (problems.length === 0) return { status: 'pass', detail: `${ready.length} node(s) ready with ${drivers(group).join(', ')}` };
  const driverFix = problems.some((p) => p.includes('driver')) ? ' For a driver: install and start its runtime (docker: the daemon; java: a JRE) and check `plugin` / `driver.allowlist` in the client\'s nomad.hcl.' : '';
  return { status: 'fail', detail: problems.join('; '), fix: `${fix}${driverFix}` };
}

/** Pools grouped by what a node list stub can tell apart; pools with hosts stand alone. */
function groupPools(pools: readonly ClientPool[]): ClientPool[][] {
  const groups = new Map<string, ClientPool[]>();
  for (const pool of pools) {
    const key = pool.hosts ? `hosts:${pool.name}` : `${pool.nodePool}\u0000${pool.datacenter}\u0000${pool.nodeClass ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), pool]);
  }
  return [...groups.values()];
}

function belongs(node: NomadNodeListStub, group: readonly ClientPool[]): boolean {
  const first = group[0]!;
  if (first.hosts) return first.hosts.some((h) => h.name === node.Name);
  return node.NodePool === first.nodePool && node.Datacenter === first.datacenter && node.NodeClass === (first.nodeClass ?? '');
}

/** Drivers every pool of the group declares. */
function drivers(group: readonly ClientPool[]): string[] {
  const [first, ...rest] = group;
  return [...(first?.drivers ?? [])].filter((d) => rest.every((pool) => pool.drivers.includes(d))).sort();
}
