/**
 * Agent, status and operator reads (what `drover cluster check` asks a cluster), through papi's
 * generic GET: node-consul's helpers for these reshape nothing, but its typings leave out the
 * options drover passes, and one path for all keeps the narrowing in one place.
 * @see https://developer.hashicorp.com/consul/api-docs/agent
 * @see https://developer.hashicorp.com/consul/api-docs/operator/raft
 */
import type * as W from '../../wire/cluster-agents.ts';
import { bool, list, num, obj, ShapeError as HttpShapeError, str, stringMap, type Shape } from '../http/shape.ts';
import { read, type Deps } from './call.ts';
import { ShapeError } from './narrow.ts';
import type { ConsulClient, ReadOptions } from './types.ts';

const member: Shape<W.ConsulAgentMember> = obj({ Name: str, Addr: str, Port: num, Status: num, Tags: stringMap });
const self: Shape<W.ConsulAgentSelf> = obj({
  Config: obj({ Datacenter: str, NodeName: str, Server: bool, Version: str }),
  Stats: obj({ serf_lan: stringMap }),
});
const raft: Shape<W.ConsulRaftConfiguration> = obj({
  Index: num,
  Servers: list(obj<W.ConsulRaftServer>({ ID: str, Node: str, Address: str, Leader: bool, Voter: bool })),
});

/** Builds the `agent`, `status` and `operator` groups. */
export function createAgentReads(deps: Deps): Pick<ConsulClient, 'agent' | 'status' | 'operator'> {
  const get = <T>(path: string, name: string, shape: Shape<T>) => (opts: ReadOptions = {}): Promise<T> =>
    read(deps, { path: `/v1${path}` }, opts, (call) => deps.pkg._get({ ...call, name, path }), (answer) => narrow(shape, answer.body));
  return {
    agent: {
      members: get('/agent/members', 'agent.members', list(member)),
      self: get('/agent/self', 'agent.self', self),
    },
    // A bare JSON string, `""` while there is no leader.
    status: { leader: get('/status/leader', 'status.leader', str) },
    operator: { raftConfiguration: get('/operator/raft/configuration', 'operator.raft.configuration', raft) },
  };
}

/** The shared combinators throw their own ShapeError; the Consul client maps its own onto ApiError. */
function narrow<T>(shape: Shape<T>, body: unknown): T {
  try {
    return shape(body, 'response');
  } catch (error) {
    throw error instanceof HttpShapeError ? new ShapeError(error.detail) : error;
  }
}
