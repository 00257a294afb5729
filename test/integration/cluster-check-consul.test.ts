/**
 * `drover cluster check`'s Consul points against a real Consul agent (1.8.7 in CI, installed by
 * pretest): one with a gossip key and ACLs denying by default, as a cluster definition declares
 * them, and one started bare. Nomad, Vault, Fabio and Prometheus come from the sandbox, shaped
 * like the same one-server definition. Skipped loudly without a consul binary.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterCheckInputs } from '../../src/cli/cluster-check-inputs.ts';
import { runClusterCheck } from '../../src/cluster-check/run.ts';
import type { CheckResult } from '../../src/cluster-check/result.ts';
import { defineCluster, type Cluster } from '../../src/config/cluster.ts';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.ts';
import qa from '../../environments/qa.ts';
import { shapeOf } from '../support/cluster-sandbox.ts';
import { consulAvailability, startConsulAgent, warnConsulSkipped, type ConsulAgent } from '../support/consul-agent.ts';

const availability = consulAvailability();
warnConsulSkipped('test/integration/cluster-check-consul.test.ts', availability);

const MASTER = 'b3a1f0e2-5c6d-4e7f-8a9b-0c1d2e3f4a5b';
// A gossip key made for this test (32 random bytes, base64), never used anywhere else.
const GOSSIP_KEY = 'pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=';

describe.skipIf(!availability.available)('drover cluster check against a real Consul', { timeout: 60_000 }, () => {
  let secured: ConsulAgent;
  let bare: ConsulAgent;
  let sandbox: RunningSandbox;

  const clusterFor = (node: string): Cluster => defineCluster({
    env: 'qa', platform: { kind: 'onprem', sshUser: 'provision' },
    servers: { datacenter: 'qa1', hosts: [{ name: node, address: '127.0.0.1' }] },
    clients: [{ name: 'general', datacenter: 'qa1', drivers: ['exec'], hosts: [{ name: 'general-1', address: '127.0.0.1' }] }],
    versions: { nomad: '2.0.5', consul: availabilityVersion(), openbao: '2.6.2', fabio: '1.7.3' },
    tls: { source: 'files', dir: '/etc/drover/tls' },
    gossip: { consul: { from: 'file', path: '/etc/drover/gossip/consul.key' }, nomad: { from: 'file', path: '/etc/drover/gossip/nomad.key' } },
  });

  const consulPoints = async (agent: ConsulAgent, token?: string): Promise<Map<string, CheckResult>> => {
    const cluster = clusterFor(agent.node);
    sandbox.cluster.set({ ...shapeOf(cluster), servers: [agent.node] });
    const inputs = clusterCheckInputs(qa, {
      NOMAD_ADDR: sandbox.addresses.nomad, CONSUL_HTTP_ADDR: agent.address, VAULT_ADDR: sandbox.addresses.vault, VAULT_TOKEN: sandbox.vaultToken,
      DROVER_FABIO_UI_ADDR: sandbox.addresses.fabioUi, DROVER_PROMETHEUS_ADDR: sandbox.addresses.prometheus, ...(token ? { CONSUL_HTTP_TOKEN: token } : {}),
    });
    try {
      const run = await runClusterCheck(cluster, inputs, () => {});
      return new Map(run.results.filter((r) => r.id.startsWith('consul/')).map((r) => [r.id, r]));
    } finally {
      inputs.close();
    }
  };

  beforeAll(async () => {
    [secured, bare, sandbox] = await Promise.all([
      startConsulAgent({ aclDefaultPolicy: 'deny', hcl: [`acl { tokens { master = "${MASTER}" } }`, `encrypt = "${GOSSIP_KEY}"`] }),
      startConsulAgent(),
      startSandbox({ clockSpeed: 0 }),
    ]);
    // What terraform/modules/consul-nomad-workloads creates, trusting the sandbox Nomad's JWKS (Consul 1.8.7 fetches it now).
    sandbox.cluster.set(shapeOf(clusterFor(secured.node)));
    for (const address of [secured.address, sandbox.addresses.consul]) {
      expect((await acl(address, 'PUT', 'auth-method', MASTER, authMethod(sandbox.addresses.nomad))).status).toBe(200);
      for (const rule of BINDING_RULES) expect((await acl(address, 'PUT', 'binding-rule', MASTER, rule)).status).toBe(200);
    }
  });
  afterAll(async () => {
    await Promise.all([secured?.stop(), bare?.stop(), sandbox?.close()]);
  });

  it('passes leader, raft peers, version, ACLs and gossip on an agent configured as declared', async () => {
    const points = await consulPoints(secured, MASTER);
    for (const id of ['consul/leader', 'consul/raft-peers', 'consul/versions', 'consul/acls', 'consul/gossip']) expect(points.get(id), id).toMatchObject({ status: 'pass' });
    expect(points.get('consul/raft-peers')?.detail).toBe(`1 voters (${secured.node}), as declared`);
    expect(points.get('consul/acls')?.detail).toContain('403 Permission denied');
    // The test agent listens on plain HTTP, which a declared TLS cluster must not.
    expect(points.get('consul/tls')).toMatchObject({ status: 'fail', detail: 'the address is plain http://' });
  });

  it('answers the auth method and binding rule reads with the statuses and bodies the sandbox gives', async () => {
    sandbox.cluster.set(shapeOf(clusterFor(secured.node)));
    const both = async (method: string, path: string, token?: string, body?: unknown) => {
      const [real, simulated] = await Promise.all([acl(secured.address, method, path, token, body), acl(sandbox.addresses.consul, method, path, token, body)]);
      expect(simulated, `${method} ${path}`).toEqual(real);
      return real;
    };
    const method = await both('GET', 'auth-method/nomad-workloads', MASTER);
    expect(method).toMatchObject({ status: 200, type: 'application/json', body: { Name: 'nomad-workloads', Type: 'jwt', MaxTokenTTL: '1h0m0s', Config: { JWKSURL: `${sandbox.addresses.nomad}/.well-known/jwks.json`, BoundAudiences: ['consul.io'] } } });
    expect((await both('GET', 'binding-rules?authmethod=nomad-workloads', MASTER)).body).toHaveLength(2);
    expect(await both('GET', 'auth-method/not-there', MASTER)).toEqual({ status: 404, type: null, body: '' });
    expect(await both('GET', 'binding-rules?authmethod=not-there', MASTER)).toMatchObject({ status: 200, body: [] });
    expect(await both('GET', 'auth-method/nomad-workloads')).toEqual({ status: 403, type: 'text/plain; charset=utf-8', body: 'Permission denied' });
    expect(await both('GET', 'binding-rules?authmethod=nomad-workloads')).toMatchObject({ status: 403, body: 'Permission denied' });
    expect(await both('PUT', 'binding-rule', MASTER, { AuthMethod: 'not-there', BindType: 'service', BindName: 'x' })).toEqual({ status: 500, type: 'text/plain; charset=utf-8', body: 'cannot find auth method with name "not-there"' });
    // An agent with ACLs off, and the sandbox without Consul ACLs in its shape.
    sandbox.cluster.set({ ...shapeOf(clusterFor(bare.node)), acls: { nomad: true, consul: false } });
    const [off, simulatedOff] = await Promise.all([acl(bare.address, 'GET', 'auth-method/nomad-workloads'), acl(sandbox.addresses.consul, 'GET', 'auth-method/nomad-workloads')]);
    expect(off).toEqual({ status: 401, type: 'text/plain; charset=utf-8', body: 'ACL support disabled' });
    expect(simulatedOff).toEqual(off);
  });

  it('passes Consul\'s JWT trust with the auth method terraform creates, skips it without ACLs, and reports a refused token', async () => {
    expect((await consulPoints(secured, MASTER)).get('consul/jwt-nomad')).toMatchObject({
      status: 'pass', detail: `JWKSURL ${sandbox.addresses.nomad}/.well-known/jwks.json; BoundAudiences include consul.io; binding rules role ×1, service ×1`,
    });
    expect((await consulPoints(bare)).get('consul/jwt-nomad')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('401 ACL support disabled: this Consul runs without ACLs') });
    expect((await consulPoints(secured, 'not-a-known-token')).get('consul/jwt-nomad')).toMatchObject({ status: 'denied', detail: expect.stringContaining('403 ACL not found') });
  });

  it('fails ACLs and gossip on a bare agent, and reports a refused token as denied', async () => {
    const points = await consulPoints(bare);
    expect(points.get('consul/acls')).toMatchObject({ status: 'fail', detail: expect.stringContaining('anonymous request answered 200') });
    expect(points.get('consul/gossip')).toMatchObject({ status: 'fail', detail: 'serf reports encrypted: false' });
    const refused = await consulPoints(secured, 'not-a-known-token');
    expect(refused.get('consul/raft-peers')).toMatchObject({ status: 'denied', detail: expect.stringContaining('403 ACL not found') });
  });
});

/** terraform/modules/consul-nomad-workloads' auth method, trusting `nomad`'s JWKS. */
function authMethod(nomad: string): unknown {
  return {
    Name: 'nomad-workloads', Type: 'jwt', MaxTokenTTL: '1h', TokenLocality: 'local',
    Config: { JWKSURL: `${nomad}/.well-known/jwks.json`, JWTSupportedAlgs: ['RS256'], BoundAudiences: ['consul.io'], ClaimMappings: { nomad_namespace: 'nomad_namespace', nomad_service: 'nomad_service' } },
  };
}

const BINDING_RULES = [
  { AuthMethod: 'nomad-workloads', Selector: '"nomad_service" in value', BindType: 'service', BindName: '${value.nomad_service}' },
  { AuthMethod: 'nomad-workloads', Selector: '"nomad_service" not in value', BindType: 'role', BindName: 'drover-tasks-${value.nomad_namespace}' },
];

/** One ACL call: status, content type and body (JSON without IDs and raft indexes, which differ between agents; lists come in ID order, so sorted here). */
async function acl(address: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; type: string | null; body: unknown }> {
  const answer = await fetch(`${address}/v1/acl/${path}`, { method, headers: token ? { 'X-Consul-Token': token } : {}, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await answer.text();
  const type = answer.headers.get('content-type');
  return { status: answer.status, type, body: type === 'application/json' ? withoutIds(JSON.parse(text)) : text };
}

function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !['ID', 'CreateIndex', 'ModifyIndex'].includes(key)).map(([key, item]) => [key, withoutIds(item)]));
}

/** The version of the consul binary the agents run (1.8.7 from scripts/install-consul.sh in CI), as the definition declares it. */
function availabilityVersion(): string {
  if (!availability.available) return '';
  return /Consul v(\S+)/.exec(execFileSync(availability.binary, ['version'], { encoding: 'utf8' }))?.[1] ?? '';
}
