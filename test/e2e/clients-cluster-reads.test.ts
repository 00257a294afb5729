/**
 * The clients' cluster reads narrow what real servers sent: a local server replays the answers
 * recorded from Nomad 2.0.5, Consul 1.8.7, OpenBao, Fabio 1.7.3 and Prometheus
 * (test/fixtures/recorded/…/cluster/, vault/, fabio/, prometheus-api/) over real HTTP, and each
 * client method must read them into the values drover judges.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/clients/api-error.ts';
import { createConsulClient } from '../../src/clients/consul/index.ts';
import { createFabioClient } from '../../src/clients/fabio/index.ts';
import { createNomadClient } from '../../src/clients/nomad/index.ts';
import { createPrometheusClient } from '../../src/clients/prometheus/index.ts';
import { createVaultClient } from '../../src/clients/vault/index.ts';
import { recordedDir } from '../support/recorded.ts';

interface Recording {
  readonly request: { readonly path: string };
  readonly status: number;
  readonly contentType: string | null;
  readonly body: unknown;
}

const FILES = [
  'nomad/cluster/get_v1_agent_members', 'nomad/cluster/get_v1_agent_self', 'nomad/cluster/get_v1_operator_raft_configuration', 'nomad/cluster/get_v1_nodes',
  'nomad/cluster/get_v1_node_pools', 'nomad/cluster/get_well_known_jwks_json', 'vault/get_auth_jwt_config', 'fabio/get_health', 'fabio/get_api_routes', 'prometheus-api/get_api_v1_targets',
];
const CONSUL_FILES = ['consul/cluster/get_v1_agent_members', 'consul/cluster/get_v1_agent_self', 'consul/cluster/get_v1_operator_raft_configuration', 'consul/get_v1_status_leader'];

/** Answers each recorded path (query ignored) with the recorded status, content type and body; 403 for the token `refused`. */
async function replay(files: readonly string[]): Promise<Server> {
  const byPath = new Map(files.map((file) => {
    const recording = JSON.parse(readFileSync(`${recordedDir}${file}.json`, 'utf8')) as Recording;
    return [recording.request.path.split('?')[0], recording] as const;
  }));
  const server = createServer((req, res) => {
    const recording = byPath.get((req.url ?? '/').split('?')[0] ?? '/');
    if (req.headers['x-nomad-token'] === 'refused') return void res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Permission denied');
    if (!recording) return void res.writeHead(404).end();
    const body = recording.contentType?.includes('json') ? JSON.stringify(recording.body) : String(recording.body);
    res.writeHead(recording.status, { 'Content-Type': recording.contentType ?? 'text/plain' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('cluster reads of the clients against recorded real answers', () => {
  let server: Server;
  let consulServer: Server;
  let address: string;
  let consulAddress: string;

  beforeAll(async () => {
    [server, consulServer] = await Promise.all([replay(FILES), replay(CONSUL_FILES)]);
    address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    consulAddress = `http://127.0.0.1:${(consulServer.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server?.close();
    consulServer?.close();
  });

  it('reads Nomad members, self, raft, nodes with drivers, pools and the JWKS', async () => {
    const nomad = createNomadClient({ address, token: 'a-token' });
    const members = await nomad.agent.members();
    expect(members.Members[0]).toMatchObject({ Name: 'vm.global', Status: 'alive', Tags: expect.objectContaining({ build: '2.0.5', role: 'nomad' }) });
    expect((await nomad.agent.self()).stats.serf['encrypted']).toBe('true');
    expect((await nomad.operator.raftConfiguration()).Servers).toEqual([expect.objectContaining({ Node: 'vm.global', Leader: true, Voter: true })]);
    const [node] = await nomad.nodes.list();
    expect(node).toMatchObject({ Name: 'vm', NodePool: 'default', Status: 'ready', Version: '2.0.5' });
    expect(node?.Drivers['raw_exec']).toEqual({ Detected: true, Healthy: true, HealthDescription: 'Healthy' });
    expect(node?.Drivers['docker']).toEqual({ Detected: false, Healthy: false, HealthDescription: 'Failed to connect to docker daemon' });
    expect((await nomad.nodePools.list()).map((p) => p.Name)).toEqual(['all', 'default']);
    expect((await nomad.jwks()).keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', e: 'AQAB' });
    nomad.close();
  });

  it('reads Consul members, self, raft and leader', async () => {
    const consul = createConsulClient({ address: consulAddress });
    expect((await consul.agent.members())[0]).toMatchObject({ Status: 1, Tags: expect.objectContaining({ build: '1.8.7:', role: 'consul' }) });
    expect(await consul.agent.self()).toMatchObject({ Config: { Version: '1.8.7', Server: true }, Stats: { serf_lan: expect.objectContaining({ encrypted: 'true' }) } });
    expect((await consul.operator.raftConfiguration()).Servers[0]).toMatchObject({ Leader: true, Voter: true });
    expect(await consul.status.leader()).toMatch(/^127\.0\.0\.1:\d+$/);
    consul.close();
  });

  it('reads the JWT auth configuration, Fabio and Prometheus targets', async () => {
    const vault = createVaultClient({ address, token: 't' });
    expect(await vault.jwt.readConfig('jwt-nomad')).toMatchObject({ jwks_url: expect.stringMatching(/\/\.well-known\/jwks\.json$/), jwt_validation_pubkeys: [] });
    expect(await vault.jwt.readConfig('not-mounted')).toBeNull();
    const fabio = createFabioClient({ address });
    expect(await fabio.health()).toBe('OK');
    expect(await fabio.routes()).toEqual([{ service: 'web', host: '', path: '/web', dst: 'http://127.0.0.1:18080/', weight: 1 }]);
    fabio.close();
    const prometheus = createPrometheusClient({ address });
    const targets = await prometheus.targets();
    expect(targets.map((t) => [t.labels['job'], t.health])).toEqual([['consul', 'down'], ['nomad', 'up']]);
    expect(targets[0]?.lastError).toBe('server returned HTTP status 403 Forbidden');
    prometheus.close();
  });

  it('turns a refused token into a 403 ApiError without the token in it', async () => {
    const nomad = createNomadClient({ address, token: 'refused', retry: { retries: 0 } });
    const error = await nomad.agent.members().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(403);
    expect(JSON.stringify({ message: (error as ApiError).message, path: (error as ApiError).path })).not.toContain('refused');
    nomad.close();
  });
});
