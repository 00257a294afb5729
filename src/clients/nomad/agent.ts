/**
 * Agent, operator and node reads (what `drover cluster check` asks a cluster). Plain reads, not
 * blocking queries, so they answer the value alone.
 * @see https://developer.hashicorp.com/nomad/api-docs/agent
 * @see https://developer.hashicorp.com/nomad/api-docs/operator/raft
 * @see https://developer.hashicorp.com/nomad/api-docs/nodes
 */
import type * as W from '../../wire/cluster-agents.ts';
import { bool, dict, list, num, obj, str, stringMap, type Shape } from '../http/shape.ts';
import { read } from './call.ts';
import type { NomadTransport } from './transport.ts';
import type { CallOptions, NomadClient } from './types.ts';

const member: Shape<W.NomadAgentMember> = obj({ Name: str, Addr: str, Port: num, Status: str, Tags: stringMap });
const members: Shape<W.NomadAgentMembers> = obj({ ServerName: str, ServerRegion: str, ServerDC: str, Members: list(member) });
const self: Shape<W.NomadAgentSelf> = obj({ config: obj({ Version: obj({ Version: str }) }), stats: obj({ serf: stringMap }) });
const raft: Shape<W.NomadRaftConfiguration> = obj({
  Index: num,
  Servers: list(obj<W.NomadRaftServer>({ ID: str, Node: str, Address: str, Leader: bool, Voter: bool })),
});
const driver: Shape<W.NomadDriverInfo> = obj({ Detected: bool, Healthy: bool, HealthDescription: str });
const node: Shape<W.NomadNodeListStub> = obj({
  ID: str, Name: str, Address: str, Datacenter: str, NodePool: str, NodeClass: str, Status: str, SchedulingEligibility: str,
  Drain: bool, Version: str, Drivers: dict(driver),
});
const pool: Shape<W.NomadNodePool> = obj({ Name: str, Description: str });
const jwks: Shape<W.NomadJwks> = obj({ keys: list(obj<W.NomadJwk>({ kid: str, kty: str, alg: str, n: str, e: str })) });

/** Builds the `agent`, `operator`, `nodes`, `nodePools` groups and `jwks`. */
export function createAgentReads(transport: NomadTransport): Pick<NomadClient, 'agent' | 'operator' | 'nodes' | 'nodePools' | 'jwks'> {
  const plain = async <T>(path: string, opts: CallOptions, shape: Shape<T>): Promise<T> => (await read(transport, path, opts, shape)).value;
  return {
    agent: {
      members: (opts = {}) => plain('/v1/agent/members', opts, members),
      self: (opts = {}) => plain('/v1/agent/self', opts, self),
    },
    operator: { raftConfiguration: (opts = {}) => plain('/v1/operator/raft/configuration', opts, raft) },
    nodes: { list: (opts = {}) => plain('/v1/nodes', opts, list(node)) },
    nodePools: { list: (opts = {}) => plain('/v1/node/pools', opts, list(pool)) },
    jwks: (opts = {}) => plain('/.well-known/jwks.json', opts, jwks),
  };
}
