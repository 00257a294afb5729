/**
 * The reads of `drover cluster check` as the sandbox answers them (src/sandbox/cluster/), against
 * what real servers answered to the same requests (test/fixtures/recorded/{nomad,consul}/cluster/,
 * fabio/, prometheus-api/: Nomad 2.0.5 and Consul 1.8.7 with ACLs and a gossip key, Fabio 1.7.3,
 * Prometheus): the same status, content type and field names with their JSON types. User-keyed
 * maps (tags, drivers, labels) are compared by their values' types only.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.ts';
import { collectShape } from '../support/json-shape.ts';
import { recordedDir } from '../support/recorded.ts';

const TOKEN = 'cluster-reads-token';
/** Keys whose children are named by the user or the agent (tags, drivers, labels, serf stats). */
const OPAQUE = new Set(['Tags', 'Drivers', 'Attributes', 'labels', 'discoveredLabels', 'serf', 'serf_lan', 'HostVolumes']);

interface Recording {
  readonly request: { readonly path: string };
  readonly status: number;
  readonly contentType: string;
  readonly body: unknown;
}

const recordingOf = (file: string): Recording => JSON.parse(readFileSync(`${recordedDir}${file}.json`, 'utf8')) as Recording;
const shape = (value: unknown) => [...collectShape(value, OPAQUE).entries()].map(([path, types]) => `${path}: ${[...types].sort().join('|')}`).sort();

describe('sandbox answers the cluster reads as the real servers did', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ clockSpeed: 0, nomad: { aclToken: TOKEN } });
    sandbox.cluster.set({ acls: { nomad: true, consul: true }, gossipEncrypted: { nomad: true, consul: true } });
  });
  afterAll(() => sandbox?.close());

  const cases: [string, 'nomad' | 'consul' | 'fabioUi' | 'prometheus', Record<string, string>][] = [
    ['nomad/cluster/get_v1_agent_members', 'nomad', { 'X-Nomad-Token': TOKEN }],
    ['nomad/cluster/get_v1_agent_self', 'nomad', { 'X-Nomad-Token': TOKEN }],
    ['nomad/cluster/get_v1_agent_self.anonymous', 'nomad', {}],
    ['nomad/cluster/get_v1_operator_raft_configuration', 'nomad', { 'X-Nomad-Token': TOKEN }],
    ['nomad/cluster/get_v1_nodes', 'nomad', { 'X-Nomad-Token': TOKEN }],
    ['nomad/cluster/get_v1_node_pools', 'nomad', { 'X-Nomad-Token': TOKEN }],
    ['nomad/cluster/get_well_known_jwks_json', 'nomad', {}],
    ['consul/cluster/get_v1_agent_members', 'consul', { 'X-Consul-Token': TOKEN }],
    ['consul/cluster/get_v1_agent_self', 'consul', { 'X-Consul-Token': TOKEN }],
    ['consul/cluster/get_v1_agent_self.anonymous', 'consul', {}],
    ['consul/cluster/get_v1_operator_raft_configuration', 'consul', { 'X-Consul-Token': TOKEN }],
    ['fabio/get_health', 'fabioUi', {}],
    ['prometheus-api/get_api_v1_targets', 'prometheus', {}],
  ];

  it.each(cases)('%s', async (file, service, headers) => {
    const real = recordingOf(file);
    const answer = await fetch(`${sandbox.addresses[service]}${real.request.path}`, { headers });
    const contentType = answer.headers.get('content-type') ?? '';
    const text = await answer.text();
    expect({ status: answer.status, contentType }).toEqual({ status: real.status, contentType: real.contentType });
    if (!contentType.includes('json')) return void expect(text).toBe(real.body);
    expect(shape(JSON.parse(text))).toEqual(shape(real.body));
  });

  it('lists Fabio routes as Fabio does: null for an empty table, then one row per target of a urlprefix- service', async () => {
    const empty = await fetch(`${sandbox.addresses.fabioUi}/api/routes`);
    expect(empty.headers.get('content-type')).toBe(recordingOf('fabio/get_api_routes').contentType);
    expect(await empty.json()).toBeNull();
    const registration = { Name: 'web', Port: 18080, Address: '127.0.0.1', Tags: ['urlprefix-/web'], Check: { TTL: '1h', Status: 'passing' } };
    expect((await fetch(`${sandbox.addresses.consul}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify(registration) })).status).toBe(200);
    await expect.poll(async () => (await (await fetch(`${sandbox.addresses.fabioUi}/api/routes`)).json()) as unknown, { timeout: 5000 }).not.toBeNull();
    const routes = (await (await fetch(`${sandbox.addresses.fabioUi}/api/routes`)).json()) as unknown[];
    expect(shape(routes)).toEqual(shape(recordingOf('fabio/get_api_routes').body));
    expect(routes[0]).toMatchObject({ service: 'web', path: '/web', dst: 'http://127.0.0.1:18080/' });
  });

  it('follows the shape: a peer out of raft, a driver down, a sealed Vault at another version', async () => {
    sandbox.cluster.set({ servers: ['s1', 's2', 's3'], serversOutOfRaft: ['s3'], clients: [{ name: 'c1', drivers: ['exec'], unhealthyDrivers: { docker: 'Failed to connect to docker daemon' } }], vaultSealed: true, versions: { nomad: '2.0.5', consul: '1.20.6', vault: '2.6.2' } });
    const nomad = (path: string) => fetch(`${sandbox.addresses.nomad}${path}`, { headers: { 'X-Nomad-Token': TOKEN } }).then((r) => r.json());
    expect(((await nomad('/v1/operator/raft/configuration')) as { Servers: { Node: string }[] }).Servers.map((s) => s.Node)).toEqual(['s1.global', 's2.global']);
    const [node] = (await nomad('/v1/nodes')) as { Drivers: Record<string, { Detected: boolean; Healthy: boolean; HealthDescription: string }> }[];
    expect(node!.Drivers['docker']).toMatchObject({ Detected: true, Healthy: false, HealthDescription: 'Failed to connect to docker daemon' });
    expect(node!.Drivers['exec']).toMatchObject({ Detected: true, Healthy: true });
    const health = await fetch(`${sandbox.addresses.vault}/v1/sys/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ sealed: true, version: '2.6.2' });
    const shapeNow = await (await fetch(`${sandbox.addresses.nomad}/_sandbox/cluster`)).json();
    expect(shapeNow).toMatchObject({ serversOutOfRaft: ['s3'], vaultSealed: true });
  });
});
