/**
 * Cluster overview of one environment: the servers (Nomad, Consul, Vault), the client nodes,
 * how much of their capacity is reserved, and allocations by state. Series and labels as Nomad
 * 2.0 publishes them (test/fixtures/recorded/nomad/get_v1_metrics.json): client gauges carry
 * `datacenter`, `node_status` and `node_scheduling_eligibility`; job summaries come from the
 * leader only and carry `namespace` and `task_group`.
 */
import type { Environment } from '../config/environment.ts';
import type { Dashboard, Panel, PanelQuery } from './model.ts';
import { eq, re, selector } from './promql.ts';
import { dashboardUid, rateIntervalOf } from './naming.ts';

const DC = re('datacenter', '$datacenter');

/** The cluster overview dashboard of `env`. Pure. */
export function clusterDashboard(env: Environment): Dashboard {
  const ns = eq('namespace', env.nomad.namespace);
  return {
    uid: dashboardUid(env.name, 'cluster'),
    title: `drover ${env.name} · Cluster`,
    description: `Nomad, Consul and Vault servers, client nodes, capacity and allocations of ${env.name} (${env.description ?? env.datacenters.join(', ')}).`,
    env: env.name,
    tags: ['drover', env.name, 'nomad'],
    variables: [{ name: 'datacenter', label: 'Datacenter', metric: 'nomad_client_uptime', labelName: 'datacenter' }],
    rateInterval: rateIntervalOf(env),
    rows: [
      { title: 'Servers', panels: serverPanels() },
      { title: 'Client nodes', panels: clientPanels() },
      { title: 'Capacity', panels: capacityPanels() },
      { title: 'Allocations', panels: allocationPanels(ns) },
    ],
  };
}

function upStat(title: string, scrapeJob: string, description: string, extra: readonly string[] = []): Panel {
  return {
    title,
    description,
    kind: 'stat',
    unit: 'none',
    queries: [{ expr: `sum(${selector('up', [eq('job', scrapeJob), ...extra])})`, legend: 'up' }],
    baseColor: 'red',
    thresholds: [{ value: 1, color: 'orange' }, { value: 3, color: 'green' }],
  };
}

function serverPanels(): Panel[] {
  return [
    upStat('Nomad servers up', 'nomad', 'Nomad server agents answering Prometheus (scrape job "nomad", role "server"). Fewer than 3 cannot survive the loss of one.', [eq('role', 'server')]),
    upStat('Consul servers up', 'consul', 'Consul servers answering /v1/agent/metrics. Fabio and the releases drover records depend on them.'),
    {
      title: 'Nomad autopilot healthy',
      description: 'The Nomad leader\'s autopilot view: 1 when every server is healthy and the raft cluster is stable. Only the leader reports it, so no value at all means no leader.',
      kind: 'stat',
      unit: 'none',
      queries: [{ expr: 'max(nomad_nomad_autopilot_healthy)', legend: 'healthy' }],
      baseColor: 'red',
      thresholds: [{ value: 1, color: 'green' }],
      valueText: { '0': 'unhealthy', '1': 'healthy' },
    },
    {
      title: 'Nomad failure tolerance',
      description: 'How many Nomad servers can fail without losing quorum, as the leader\'s autopilot counts it. 0 means the next server loss stops scheduling.',
      kind: 'stat',
      unit: 'none',
      queries: [{ expr: 'max(nomad_nomad_autopilot_failure_tolerance)', legend: 'tolerance' }],
      baseColor: 'red',
      thresholds: [{ value: 1, color: 'green' }],
    },
    {
      title: 'Vault unsealed',
      description: 'Vault (or OpenBao) nodes that are unsealed. A sealed Vault stops every task that renders secrets from starting.',
      kind: 'stat',
      unit: 'none',
      queries: [{ expr: 'sum(vault_core_unsealed)', legend: 'unsealed' }],
      baseColor: 'red',
      thresholds: [{ value: 1, color: 'green' }],
    },
    {
      title: 'Nomad leader contact',
      description: 'Time since each follower last heard from the raft leader (summary, 0.99 quantile). Rising values mean the leader is overloaded or the network between servers is failing.',
      kind: 'timeseries',
      unit: 's',
      queries: [{ expr: 'max by (instance) (nomad_raft_leader_lastContact{quantile="0.99"}) / 1000', legend: '{{instance}}' }],
      thresholds: [{ value: 0.2, color: 'orange' }, { value: 0.5, color: 'red' }],
    },
  ];
}

function clientPanels(): Panel[] {
  const uptime = (matchers: readonly string[]) => selector('nomad_client_uptime', [DC, ...matchers]);
  return [
    {
      title: 'Client nodes ready',
      description: 'Client nodes reporting status "ready" in the selected datacenters. A node that stops reporting (down, or its agent stopped) drops out of this count.',
      kind: 'stat',
      unit: 'none',
      queries: [{ expr: `count(${uptime([eq('node_status', 'ready')])}) or vector(0)`, legend: 'ready' }],
      baseColor: 'red',
      thresholds: [{ value: 1, color: 'green' }],
    },
    {
      title: 'Client nodes ineligible',
      description: 'Ready nodes marked ineligible for scheduling (drained or set ineligible by an operator): they run what they have but take no new allocations.',
      kind: 'stat',
      unit: 'none',
      queries: [{ expr: `count(${uptime([eq('node_scheduling_eligibility', 'ineligible')])}) or vector(0)`, legend: 'ineligible' }],
      thresholds: [{ value: 1, color: 'orange' }],
    },
    {
      title: 'Client nodes by status',
      description: 'Client nodes by the status and eligibility they report (ready/initializing/down; eligible/ineligible), per datacenter.',
      kind: 'timeseries',
      unit: 'none',
      queries: [{ expr: `count by (datacenter, node_status, node_scheduling_eligibility) (${uptime([])})`, legend: '{{datacenter}} {{node_status}} {{node_scheduling_eligibility}}' }],
      width: 16,
    },
  ];
}

function allocatedShare(resource: 'cpu' | 'memory'): PanelQuery {
  const allocated = `sum by (datacenter) (${selector(`nomad_client_allocated_${resource}`, [DC])})`;
  const unallocated = `sum by (datacenter) (${selector(`nomad_client_unallocated_${resource}`, [DC])})`;
  return { expr: `${allocated} / (${allocated} + ${unallocated})`, legend: '{{datacenter}}' };
}

function capacityPanels(): Panel[] {
  const full = [{ value: 0.8, color: 'orange' as const }, { value: 0.95, color: 'red' as const }];
  return [
    { title: 'CPU reserved', description: 'Share of the clients\' CPU (MHz) reserved by running allocations, per datacenter. Near 100 % new allocations stay pending (blocked evaluations).', kind: 'timeseries', unit: 'percentunit', queries: [allocatedShare('cpu')], thresholds: full },
    { title: 'Memory reserved', description: 'Share of the clients\' memory reserved by running allocations (memory, not memory_max), per datacenter.', kind: 'timeseries', unit: 'percentunit', queries: [allocatedShare('memory')], thresholds: full },
    {
      title: 'Blocked evaluations',
      description: 'Evaluations waiting for capacity (Nomad\'s blocked-evals queue, leader only). Anything above 0 for long means a job cannot be placed: add clients or lower its resources.',
      kind: 'timeseries',
      unit: 'none',
      queries: [{ expr: 'max(nomad_nomad_blocked_evals_total_blocked)', legend: 'blocked' }],
      thresholds: [{ value: 1, color: 'red' }],
    },
    {
      title: 'Host memory used',
      description: 'Memory in use on each client host (all processes, not only allocations), from Nomad\'s host stats.',
      kind: 'timeseries',
      unit: 'percentunit',
      queries: [{ expr: `max by (instance) (${selector('nomad_client_host_memory_used', [DC])} / ${selector('nomad_client_host_memory_total', [DC])})`, legend: '{{instance}}' }],
      thresholds: full,
    },
  ];
}

function allocationPanels(ns: string): Panel[] {
  const clientStates = ['running', 'pending', 'blocked', 'migrating', 'terminal'] as const;
  const summaryStates = ['running', 'starting', 'queued', 'failed', 'lost', 'unknown'] as const;
  return [
    {
      title: 'Allocations on clients by state',
      description: 'Allocations the client nodes hold, by client state. Pending and blocked allocations are waiting to start; terminal ones have finished and await garbage collection.',
      kind: 'timeseries',
      unit: 'none',
      queries: clientStates.map((state) => ({ expr: `sum(${selector(`nomad_client_allocations_${state}`, [DC])})`, legend: state })),
      width: 12,
    },
    {
      title: 'Allocations of jobs by state',
      description: 'The job summaries of every job in the namespace, summed by state (leader only). Failed and lost are counters since the job was registered: watch them rise, not their level.',
      kind: 'timeseries',
      unit: 'none',
      queries: summaryStates.map((state) => ({ expr: `sum(${selector(`nomad_nomad_job_summary_${state}`, [ns])})`, legend: state })),
      width: 12,
    },
  ];
}
