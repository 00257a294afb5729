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

  it('fails ACLs and gossip on a bare agent, and reports a refused token as denied', async () => {
    const points = await consulPoints(bare);
    expect(points.get('consul/acls')).toMatchObject({ status: 'fail', detail: expect.stringContaining('anonymous request answered 200') });
    expect(points.get('consul/gossip')).toMatchObject({ status: 'fail', detail: 'serf reports encrypted: false' });
    const refused = await consulPoints(secured, 'not-a-known-token');
    expect(refused.get('consul/raft-peers')).toMatchObject({ status: 'denied', detail: expect.stringContaining('403 ACL not found') });
  });
});

/** The version of the consul binary the agents run (1.8.7 from scripts/install-consul.sh in CI), as the definition declares it. */
function availabilityVersion(): string {
  if (!availability.available) return '';
  return /Consul v(\S+)/.exec(execFileSync(availability.binary, ['version'], { encoding: 'utf8' }))?.[1] ?? '';
}
