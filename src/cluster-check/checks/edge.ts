/**
 * Fabio up and routing, Prometheus scraping every agent. Pure. An unreachable Fabio or Prometheus
 * is a failed point (they are what is checked), not an unreachable cluster.
 */
import type { Cluster } from '../../config/cluster.ts';
import type { PrometheusTarget } from '../../wire/cluster-agents.ts';
import type { ClusterFacts, Read } from '../facts.ts';
import { judge, type CheckResult } from '../result.ts';

export function checkFabio(cluster: Cluster, facts: ClusterFacts): CheckResult[] {
  const where = facts.addresses.fabioUi;
  if (!facts.fabio || !where) {
    return [{ id: 'fabio/up', title: 'Fabio up and routing', status: 'skipped', detail: 'no Fabio UI address', fix: 'Set fabio.address in the environment file (the UI is read on fabio.uiPort of that host) or export DROVER_FABIO_UI_ADDR.' }];
  }
  const down = `Start Fabio on the pools ${cluster.fabio.pools.join(', ')} (${cluster.fabio.runAs === 'nomad-job' ? '`drover deploy <env> --job fabio`' : 'its systemd unit'}) and check it reaches its Consul agent.`;
  const up = unreadFix(judge(asFailure(facts.fabio.health), 'fabio/up', `Fabio up (${where}/health)`, '', (text) =>
    text === 'OK' ? { status: 'pass', detail: 'OK' } : { status: 'fail', detail: `answered ${JSON.stringify(text.slice(0, 80))}`, fix: down }), facts.fabio.health.ok, down);
  const routing = judge(asFailure(facts.fabio.routes), 'fabio/routes', 'Fabio routing table', '', (routes) =>
    routes.length
      ? { status: 'pass', detail: `${routes.length} route(s): ${[...new Set(routes.map((r) => `${r.host}${r.path}`))].slice(0, 5).join(', ')}${routes.length > 5 ? ', …' : ''}` }
      : { status: 'warn', detail: 'no routes yet', fix: 'Fabio routes services registered with a urlprefix- tag: deploy a job with a route (`drover deploy <env>`).' });
  return up.status === 'pass' ? [up, routing] : [up];
}

/** The scrape jobs of prometheus/prometheus.yml name their targets by node (`instance`). */
export function checkPrometheus(facts: ClusterFacts): CheckResult[] {
  if (!facts.prometheus || !facts.addresses.prometheus) {
    return [{ id: 'prometheus/targets', title: 'Prometheus scrapes every agent', status: 'skipped', detail: 'no Prometheus address', fix: 'Set prometheus.address in the environment file or export DROVER_PROMETHEUS_ADDR.' }];
  }
  const agents = expectedAgents(facts);
  const down = `Start Prometheus (prometheus.service on the node the cluster definition names in prometheus.on) or fix the address.`;
  return [unreadFix(judge(asFailure(facts.prometheus.targets), 'prometheus/targets', `Prometheus scrapes every agent (up == 1 for ${agents.length} target(s))`, '', (targets) => {
    const problems = agents.flatMap(({ job, name, address }) => {
      const mine = targets.filter((t) => (t.labels['job'] ?? t.scrapePool) === job && matches(t, name, address));
      if (mine.length === 0) return [`${job}/${name}: not a target`];
      return mine.filter((t) => t.health !== 'up').map((t) => `${job}/${name}: ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`);
    });
    if (problems.length === 0) return { status: 'pass', detail: `${agents.length} agent target(s) up` };
    return { status: 'fail', detail: problems.join('; '), fix: 'A missing target: the agent is not registered in Consul under the service prometheus.yml discovers (nomad, nomad-client, consul, vault/openbao) or a relabel drops it. A down one: see its error; usually TLS (the CA under /etc/prometheus/tls), a token without read on the metrics path, or `telemetry { prometheus_metrics = true }` missing.' };
  }), facts.prometheus.targets.ok, down)];
}

interface Agent {
  readonly job: string;
  readonly name: string;
  readonly address: string;
}

/** Nomad servers and clients (job nomad), Consul servers (job consul), Vault on the servers (job vault). */
function expectedAgents(facts: ClusterFacts): Agent[] {
  const servers = facts.nomad.members.ok ? facts.nomad.members.value.Members.filter((m) => m.Status === 'alive').map((m) => ({ name: m.Name.replace(/\.[^.]+$/, ''), address: m.Addr })) : [];
  const clients = facts.nomad.nodes.ok ? facts.nomad.nodes.value.filter((n) => n.Status !== 'down').map((n) => ({ name: n.Name, address: n.Address })) : [];
  const consul = facts.consul.members.ok ? facts.consul.members.value.filter((m) => m.Status === 1 && m.Tags['role'] === 'consul').map((m) => ({ name: m.Name, address: m.Addr })) : [];
  return [
    ...servers.map((s) => ({ job: 'nomad', ...s })),
    ...clients.filter((c) => !servers.some((s) => s.name === c.name)).map((c) => ({ job: 'nomad', ...c })),
    ...consul.map((c) => ({ job: 'consul', ...c })),
    ...servers.map((s) => ({ job: 'vault', ...s })),
  ];
}

/** `instance` is the node name (prometheus.yml relabels it so), or `host:port` when not relabelled. */
function matches(target: PrometheusTarget, name: string, address: string): boolean {
  const instance = target.labels['instance'] ?? '';
  return instance === name || instance.replace(/:\d+$/, '') === address;
}

/** A point whose read failed gets the service's own fix rather than the generic one. */
function unreadFix(result: CheckResult, read: boolean, fix: string): CheckResult {
  return read || result.status !== 'fail' ? result : { ...result, fix };
}

/** Fabio and Prometheus being unreachable is their point failing. */
function asFailure<T>(read: Read<T>): Read<T> {
  if (read.ok || read.failure.kind !== 'unreachable') return read;
  return { ok: false, failure: { ...read.failure, kind: 'error' } };
}
