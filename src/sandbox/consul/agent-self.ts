/**
 * `GET /v1/agent/self`: the top-level members of a 1.8.7 dev agent's answer (`Config`,
 * `DebugConfig`, `Coord`, `Member`, `Stats`, `Meta`). Only `Config` is filled faithfully — it is
 * what consumers read (Fabio: `Config.Datacenter`); `DebugConfig` (hundreds of fields on a real
 * agent) and `Stats` are reduced to a handful of representative entries.
 */

/** What the answer is built from. */
export interface AgentSelfInput {
  readonly datacenter: string;
  readonly nodeName: string;
  readonly nodeId: string;
}

/** The version the sandbox reports; its JSON shapes are those of this release. */
export const SANDBOX_CONSUL_VERSION = '1.8.7';

/** Builds the answer. */
export function agentSelf({ datacenter, nodeName, nodeId }: AgentSelfInput): Record<string, unknown> {
  return {
    Config: { Datacenter: datacenter, NodeName: nodeName, NodeID: nodeId, Revision: '', Server: true, Version: SANDBOX_CONSUL_VERSION },
    DebugConfig: { Datacenter: datacenter, NodeName: nodeName, NodeID: nodeId, DevMode: true, ServerMode: true, ACLDatacenter: datacenter },
    Coord: { Vec: [0, 0, 0, 0, 0, 0, 0, 0], Error: 1.5, Adjustment: 0, Height: 1e-5 },
    Member: {
      Name: nodeName,
      Addr: '127.0.0.1',
      Port: 8301,
      Tags: {
        acls: '0',
        build: `${SANDBOX_CONSUL_VERSION}:`,
        dc: datacenter,
        ft_fs: '1',
        id: nodeId,
        port: '8300',
        raft_vsn: '3',
        role: 'consul',
        segment: '',
        vsn: '2',
        vsn_max: '3',
        vsn_min: '2',
      },
      Status: 1,
      ProtocolMin: 1,
      ProtocolMax: 5,
      ProtocolCur: 2,
      DelegateMin: 2,
      DelegateMax: 5,
      DelegateCur: 4,
    },
    Stats: {
      agent: { check_monitors: '0', check_ttls: '0', checks: '0', services: '0' },
      build: { prerelease: '', revision: '', version: SANDBOX_CONSUL_VERSION },
      consul: { bootstrap: 'false', known_datacenters: '1', leader: 'true', leader_addr: '127.0.0.1:8300', server: 'true' },
      raft: { state: 'Leader', num_peers: '0' },
      runtime: { arch: 'amd64', os: 'linux', version: 'go1.14.13' },
      serf_lan: { members: '1', failed: '0', left: '0' },
    },
    Meta: { 'consul-network-segment': '' },
  };
}
