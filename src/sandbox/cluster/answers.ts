/**
 * The JSON of the agent, raft, node and scrape reads, built from the cluster shape. Field names,
 * types and constant values follow the answers recorded from Nomad 2.0.5, Consul 1.8.7, Fabio 1.7.3
 * and Prometheus 2.x (test/fixtures/recorded/{nomad,consul}/cluster/, fabio/, prometheus-api/);
 * test/sandbox/cluster-reads.test.ts compares them.
 */
import { createHash } from 'node:crypto';
import type { SandboxClientNode, SandboxClusterShape } from './shape.ts';

const ADDRESS = '127.0.0.1';
const KNOWN_DRIVERS = ['docker', 'exec', 'java', 'qemu', 'raw_exec'];
/** The UpdateTime of every fingerprint: the sandbox's nodes never re-fingerprint. */
const FINGERPRINTED = '2026-01-01T00:00:00Z';

/** A stable UUID per name, so answers do not change between reads. */
export function idOf(kind: string, name: string): string {
  const hex = createHash('sha256').update(`${kind}/${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function version(shape: SandboxClusterShape, node: string, product: 'nomad' | 'consul'): string {
  return shape.versionOverrides[product]?.[node] ?? shape.versions[product];
}

const serfFields = { DelegateCur: 4, DelegateMax: 5, DelegateMin: 2, ProtocolCur: 2, ProtocolMax: 5, ProtocolMin: 1 };

function nomadMember(shape: SandboxClusterShape, name: string, index: number): Record<string, unknown> {
  const out = shape.serversOutOfRaft.includes(name);
  return {
    Addr: ADDRESS, ...serfFields, Name: `${name}.${shape.region}`, Port: 4648, Status: out ? 'failed' : 'alive',
    Tags: {
      raft_vsn: '3', rpc_addr: ADDRESS, expect: String(shape.servers.length), build: version(shape, name, 'nomad'), revision: '',
      ...(index === 0 ? { bootstrap: '1' } : {}), role: 'nomad', region: shape.region, id: idOf('nomad-server', name), port: '4647', dc: shape.datacenter, vsn: '1',
    },
  };
}

/** `GET /v1/agent/members` (Nomad): the servers. */
export function nomadMembers(shape: SandboxClusterShape): unknown {
  const first = shape.servers[0] ?? 'sandbox';
  return { Members: shape.servers.map((name, i) => nomadMember(shape, name, i)), ServerDC: shape.datacenter, ServerName: first, ServerRegion: shape.region };
}

/** `GET /v1/agent/self` (Nomad), reduced to what the recorded fixture keeps. */
export function nomadSelf(shape: SandboxClusterShape): unknown {
  const first = shape.servers[0] ?? 'sandbox';
  return {
    config: { Version: { BuildDate: '2026-08-12T18:22:41Z', Revision: '', Version: version(shape, first, 'nomad'), VersionMetadata: '', VersionPrerelease: '' } },
    member: nomadMember(shape, first, 0),
    stats: { serf: { ...serfStats(shape.servers.length), encrypted: String(shape.gossipEncrypted.nomad) } },
  };
}

function serfStats(members: number): Record<string, string> {
  return {
    coordinate_resets: '0', event_queue: '0', event_time: '1', failed: '0', health_score: '0', intent_queue: '0', left: '0',
    member_time: '1', members: String(members), query_queue: '0', query_time: '1',
  };
}

/** `GET /v1/operator/raft/configuration` of Nomad or Consul. */
export function raftConfiguration(shape: SandboxClusterShape, product: 'nomad' | 'consul'): unknown {
  const peers = shape.servers.filter((name) => !shape.serversOutOfRaft.includes(name));
  const leader = shape.leaders[product] ? peers[0] : undefined;
  const servers = peers.map((name) =>
    product === 'nomad'
      ? { Address: `${ADDRESS}:4647`, ID: idOf('nomad-server', name), Leader: name === leader, Node: `${name}.${shape.region}`, RaftProtocol: '3', Voter: true }
      : { ID: idOf('consul', name), Node: name, Address: `${ADDRESS}:8300`, Leader: name === leader, ProtocolVersion: '3', Voter: true },
  );
  return product === 'nomad' ? { Index: 0, Servers: servers } : { Servers: servers, Index: 0 };
}

/** `GET /v1/status/leader` of Nomad or Consul: the RPC address, `""` without a leader. */
export function leaderAddress(shape: SandboxClusterShape, product: 'nomad' | 'consul'): string {
  if (!shape.leaders[product] || shape.servers.every((s) => shape.serversOutOfRaft.includes(s))) return '';
  return `${ADDRESS}:${product === 'nomad' ? 4647 : 8300}`;
}

function driverInfo(node: SandboxClientNode, driver: string): Record<string, unknown> {
  if (node.drivers.includes(driver)) return { Attributes: { [`driver.${driver}`]: 'true' }, Detected: true, HealthDescription: 'Healthy', Healthy: true, UpdateTime: FINGERPRINTED };
  const unhealthy = node.unhealthyDrivers?.[driver];
  if (unhealthy !== undefined) return { Attributes: {}, Detected: true, HealthDescription: unhealthy, Healthy: false, UpdateTime: FINGERPRINTED };
  return { Attributes: {}, Detected: false, HealthDescription: '', Healthy: false, UpdateTime: FINGERPRINTED };
}

/** `GET /v1/nodes`: one stub per client node, sorted by ID as Nomad's memdb index is. */
export function nodeStubs(shape: SandboxClusterShape): unknown[] {
  const stubs = shape.clients.map((node, i) => {
    const drivers = [...new Set([...KNOWN_DRIVERS, ...node.drivers, ...Object.keys(node.unhealthyDrivers ?? {})])].sort();
    return {
      Address: ADDRESS, CreateIndex: 8 + i, Datacenter: node.datacenter ?? shape.datacenter, Drain: false,
      Drivers: Object.fromEntries(drivers.map((d) => [d, driverInfo(node, d)])), HostVolumes: {}, ID: idOf('nomad-node', node.name),
      LastDrain: null, ModifyIndex: 10 + i, Name: node.name, NodeClass: node.nodeClass ?? '', NodePool: node.nodePool ?? 'default',
      SchedulingEligibility: 'eligible', Status: node.status ?? 'ready', StatusDescription: '', Version: version(shape, node.name, 'nomad'),
    };
  });
  return stubs.sort((a, b) => a.ID.localeCompare(b.ID));
}

/** `GET /v1/node/pools`: the built-in two and every pool a node or the shape names. */
export function nodePools(shape: SandboxClusterShape): unknown[] {
  const names = new Set(['all', 'default', ...shape.nodePools, ...shape.clients.map((c) => c.nodePool ?? 'default')]);
  const description = (name: string) => (name === 'all' ? 'Node pool with all nodes in the cluster.' : name === 'default' ? 'Default node pool.' : '');
  return [...names].sort().map((Name) => ({
    CreateIndex: 1, Description: description(Name), Hash: null, Meta: null, ModifyIndex: 1, Name, NodeIdentityTTL: 86_400_000_000_000, SchedulerConfiguration: null,
  }));
}

function consulMember(shape: SandboxClusterShape, name: string, role: 'consul' | 'node'): Record<string, unknown> {
  const tags = role === 'consul'
    ? { acls: shape.acls.consul ? '1' : '0', build: `${version(shape, name, 'consul')}:`, dc: shape.datacenter, ft_fs: '1', id: idOf('consul', name), port: '8300', raft_vsn: '3', role, segment: '', vsn: '2', vsn_max: '3', vsn_min: '2' }
    : { acls: shape.acls.consul ? '1' : '0', build: `${version(shape, name, 'consul')}:`, dc: shape.datacenter, id: idOf('consul', name), role, segment: '', vsn: '2', vsn_max: '3', vsn_min: '2' };
  return { Name: name, Addr: ADDRESS, Port: 8301, Tags: tags, Status: shape.serversOutOfRaft.includes(name) ? 4 : 1, ...serfFields };
}

/** `GET /v1/agent/members` (Consul): servers, then a client agent on every Nomad client. */
export function consulMembers(shape: SandboxClusterShape): unknown[] {
  return [...shape.servers.map((name) => consulMember(shape, name, 'consul')), ...shape.clients.map((c) => consulMember(shape, c.name, 'node'))];
}

/** `GET /v1/agent/self` (Consul): the answering server, with its serf stats. */
export function consulSelf(shape: SandboxClusterShape): unknown {
  const name = shape.servers[0] ?? 'sandbox';
  return {
    Config: { Datacenter: shape.datacenter, NodeName: name, NodeID: idOf('consul', name), Revision: '', Server: true, Version: version(shape, name, 'consul') },
    Member: consulMember(shape, name, 'consul'),
    Stats: { serf_lan: { ...serfStats(shape.servers.length + shape.clients.length), encrypted: String(shape.gossipEncrypted.consul) } },
  };
}

/**
 * `GET /api/v1/targets?state=active` of a Prometheus scraping every agent with the jobs of
 * prometheus/prometheus.yml (instance = node name): nomad (servers and clients), consul and vault
 * (servers). Targets in `targetsDown` are down with the error a refused scrape gives.
 */
export function prometheusTargets(shape: SandboxClusterShape, now: Date): unknown {
  const targets = [
    ...shape.servers.map((name) => ['nomad', name, 4646, '/v1/metrics?format=prometheus'] as const),
    ...shape.clients.map((c) => ['nomad', c.name, 4646, '/v1/metrics?format=prometheus'] as const),
    ...shape.servers.map((name) => ['consul', name, 8501, '/v1/agent/metrics?format=prometheus'] as const),
    ...shape.servers.map((name) => ['vault', name, 8200, '/v1/sys/metrics?format=prometheus'] as const),
  ];
  const activeTargets = targets.map(([job, instance, port, path]) => {
    const down = shape.targetsDown.includes(`${job}/${instance}`);
    return {
      discoveredLabels: { __address__: `${instance}:${port}`, __metrics_path__: path.split('?')[0], __scheme__: 'https', __scrape_interval__: '15s', __scrape_timeout__: '10s', job },
      labels: { instance, job }, scrapePool: job, scrapeUrl: `https://${instance}:${port}${path}`, globalUrl: `https://${instance}:${port}${path}`,
      lastError: down ? 'server returned HTTP status 403 Forbidden' : '', lastScrape: now.toISOString(), lastScrapeDuration: 0.002,
      health: down ? 'down' : 'up', scrapeInterval: '15s', scrapeTimeout: '10s',
    };
  });
  return { status: 'success', data: { activeTargets, droppedTargets: [] } };
}
