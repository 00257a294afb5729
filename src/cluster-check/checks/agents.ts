/**
 * Leaders, raft peers and agent versions of Nomad and Consul, judged against the cluster
 * definition. Pure.
 */
import type { Cluster } from '../../config/cluster.ts';
import type { ClusterFacts } from '../facts.ts';
import { judge, type CheckResult } from '../result.ts';

const NOMAD_DENIED = 'The token needs `operator { policy = "read" }`, `node { policy = "read" }` and `agent { policy = "read" }` (export NOMAD_TOKEN).';
const CONSUL_DENIED = 'The token needs `operator = "read"`, `agent_prefix "" { policy = "read" }` and `node_prefix "" { policy = "read" }` (export CONSUL_HTTP_TOKEN).';

/** Both leaders. */
export function checkLeaders(facts: ClusterFacts): CheckResult[] {
  const leader = (product: string, value: string, fix: string) =>
    value ? { status: 'pass' as const, detail: `leader at ${value}` } : { status: 'fail' as const, detail: 'no leader: the servers have lost quorum or never formed a cluster', fix };
  return [
    judge(facts.nomad.leader, 'nomad/leader', 'Nomad has a leader', NOMAD_DENIED, (v) => leader('Nomad', v, 'Run `nomad server members` on a server: start the missing servers (a quorum needs a majority of the declared servers), check their `server_join` and the RPC port between them.')),
    judge(facts.consul.leader, 'consul/leader', 'Consul has a leader', CONSUL_DENIED, (v) => leader('Consul', v, 'Run `consul members` and `consul operator raft list-peers` on a server: start the missing servers, check `retry_join` and ports 8300/8301 between them.')),
  ];
}

/** Raft peers: as many voters as declared servers, named like the declared hosts (on-prem). */
export function checkRaftPeers(cluster: Cluster, facts: ClusterFacts): CheckResult[] {
  const declared = cluster.servers.count;
  const hostNames = (cluster.servers.hosts ?? []).map((h) => h.name);
  const judgePeers = (product: 'Nomad' | 'Consul', peers: readonly { Node: string; Voter: boolean }[], fix: string) => {
    const voters = peers.filter((p) => p.Voter).map((p) => (product === 'Nomad' ? p.Node.replace(/\.[^.]+$/, '') : p.Node));
    const missing = hostNames.filter((name) => !voters.includes(name));
    const extra = hostNames.length ? voters.filter((name) => !hostNames.includes(name)) : [];
    const list = voters.length ? voters.join(', ') : 'none';
    if (voters.length === declared && missing.length === 0) return { status: 'pass' as const, detail: `${voters.length} voters (${list}), as declared` };
    const parts = [`${voters.length} voter(s) (${list}), ${declared} declared`];
    if (missing.length) parts.push(`missing: ${missing.join(', ')}`);
    if (extra.length) parts.push(`not declared: ${extra.join(', ')}`);
    return { status: 'fail' as const, detail: parts.join('; '), fix };
  };
  return [
    judge(facts.nomad.raft, 'nomad/raft-peers', `Nomad raft peers = ${declared} declared servers`, NOMAD_DENIED, (raft) =>
      judgePeers('Nomad', raft.Servers, 'Start the missing servers (they join through `server_join`); remove a peer that is gone for good with `nomad operator raft remove-peer -peer-id <ID>`; change `servers` in the cluster definition if the count changed on purpose.')),
    judge(facts.consul.raft, 'consul/raft-peers', `Consul raft peers = ${declared} declared servers`, CONSUL_DENIED, (raft) =>
      judgePeers('Consul', raft.Servers, 'Start the missing servers (they join through `retry_join`); remove a peer that is gone for good with `consul operator raft remove-peer -id <ID>`.')),
  ];
}

/** Every Nomad server, Nomad client and Consul agent runs the declared version. */
export function checkVersions(cluster: Cluster, facts: ClusterFacts, env: string): CheckResult[] {
  const fix = (product: string) => `Install ${product} ${product === 'Nomad' ? cluster.versions.nomad : cluster.versions.consul} there: \`drover cluster render ${env}\`, then run the machine's install.sh (on-prem: terraform apply; AWS: replace the instances), one server at a time.`;
  const verdict = (want: string, agents: readonly { name: string; version: string }[], product: string) => {
    if (agents.length === 0) return { status: 'fail' as const, detail: 'no agents visible', fix: `The token may not see them (${product} filters members by ACL): use one with node read.` };
    const off = agents.filter((a) => a.version !== want);
    if (off.length === 0) return { status: 'pass' as const, detail: `${agents.length} agent(s) at ${want}` };
    return { status: 'fail' as const, detail: `${off.length} of ${agents.length} not at ${want}: ${off.map((a) => `${a.name} ${a.version || '(unknown)'}`).join(', ')}`, fix: fix(product) };
  };
  const nomad = (): CheckResult => {
    const id = 'nomad/versions';
    const title = `Nomad agents at ${cluster.versions.nomad}`;
    if (!facts.nomad.members.ok) return judge(facts.nomad.members, id, title, NOMAD_DENIED, () => ({ status: 'pass', detail: '' }));
    return judge(facts.nomad.nodes, id, title, NOMAD_DENIED, (nodes) => {
      const servers = facts.nomad.members.ok ? facts.nomad.members.value.Members.filter((m) => m.Status === 'alive').map((m) => ({ name: m.Name, version: buildVersion(m.Tags['build'] ?? '') })) : [];
      const clients = nodes.filter((n) => n.Status !== 'down').map((n) => ({ name: n.Name, version: n.Version }));
      return verdict(cluster.versions.nomad, [...servers, ...clients], 'Nomad');
    });
  };
  const consul = judge(facts.consul.members, 'consul/versions', `Consul agents at ${cluster.versions.consul}`, CONSUL_DENIED, (members) =>
    verdict(cluster.versions.consul, members.filter((m) => m.Status === 1).map((m) => ({ name: m.Name, version: buildVersion(m.Tags['build'] ?? '') })), 'Consul'));
  return [nomad(), consul];
}

/** `1.8.7:abc123` (Consul) or `2.0.5` / `2.0.5-dev` (Nomad) → the release. */
function buildVersion(build: string): string {
  return build.split(':')[0]?.replace(/[+-].*$/, '') ?? '';
}
