/**
 * `drover cluster check qa` against a sandbox shaped like environments/clusters/qa.ts (3 servers,
 * pools general + storage, Nomad 2.0.5, Consul 1.20.6, OpenBao 2.6.2, ACLs and gossip encryption
 * on), its Nomad, Consul and Vault APIs behind TLS signed by a throw-away CA: every point passes,
 * then each point the sandbox can break fails with its own message and fix. Skipped loudly
 * without openssl (the CA).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.ts';
import type { SandboxClusterPatch } from '../../src/sandbox/cluster/shape.ts';
import qaCluster from '../../environments/clusters/qa.ts';
import { hasOpenssl, makePki, shapeOf, tlsFront, type TestPki } from '../support/cluster-sandbox.ts';
import { loadSchema, schemaErrors } from '../support/json-schema.ts';
import { runCli } from '../support/run-cli.ts';

const opensslThere = hasOpenssl();
if (!opensslThere) console.warn('\n!!!!!!!!!! SKIPPED: test/e2e/cluster-check.test.ts — openssl is not on PATH (needed for the test CA) !!!!!!!!!!\n');

const NOMAD_TOKEN = 'nomad-management-token-for-check';
const CONSUL_TOKEN = 'consul-management-token-for-check';

describe.skipIf(!opensslThere)('drover cluster check against a sandbox shaped like the qa cluster', { timeout: 60_000 }, () => {
  let sandbox: RunningSandbox;
  let pki: TestPki;
  const fronts: { address: string; close(): Promise<void> }[] = [];
  let env: Record<string, string>;
  const good = shapeOf(qaCluster);

  const check = async (patch: SandboxClusterPatch = {}, overrides: Record<string, string> = {}, ...flags: string[]) => {
    sandbox.cluster.set({ ...good, ...patch });
    return runCli(['cluster', 'check', 'qa', ...flags], { env: { ...env, ...overrides } });
  };
  const configureJwt = async (jwksUrl: string) => {
    const answer = await fetch(`${sandbox.addresses.vault}/v1/auth/jwt-nomad/config`, { method: 'POST', headers: { 'X-Vault-Token': sandbox.vaultToken }, body: JSON.stringify({ jwks_url: jwksUrl }) });
    expect(answer.status).toBe(204);
  };
  /** What terraform/modules/consul-nomad-workloads creates: the JWT auth method and its binding rules for services and tasks. */
  const consulAcl = async (method: string, path: string, body?: unknown) => {
    const answer = await fetch(`${sandbox.addresses.consul}/v1/acl/${path}`, { method, headers: { 'X-Consul-Token': CONSUL_TOKEN }, ...(body ? { body: JSON.stringify(body) } : {}) });
    expect(answer.status, `${method} ${path}`).toBe(200);
    return (await answer.json()) as Record<string, unknown>;
  };
  const configureConsulJwt = async (config: { jwksUrl?: string; audiences?: string[]; binds?: string[] } = {}) => {
    await consulAcl('DELETE', 'auth-method/nomad-workloads');
    await consulAcl('PUT', 'auth-method', {
      Name: 'nomad-workloads', Type: 'jwt', MaxTokenTTL: '1h0m0s', TokenLocality: 'local',
      Config: { JWKSURL: config.jwksUrl ?? `${env.NOMAD_ADDR}/.well-known/jwks.json`, JWTSupportedAlgs: ['RS256'], BoundAudiences: config.audiences ?? ['consul.io'], ClaimMappings: { nomad_namespace: 'nomad_namespace', nomad_service: 'nomad_service' } },
    });
    const rules = { service: { Selector: '"nomad_service" in value', BindName: '${value.nomad_service}' }, role: { Selector: '"nomad_service" not in value', BindName: 'drover-tasks-${value.nomad_namespace}' } };
    for (const bind of config.binds ?? ['service', 'role']) await consulAcl('PUT', 'binding-rule', { AuthMethod: 'nomad-workloads', BindType: bind, ...rules[bind as keyof typeof rules] });
  };
  const CONSUL_JWT = "Consul's JWT auth method nomad-workloads trusts this Nomad's workload identities";
  const lineOf = (stdout: string, title: string) => stdout.split('\n').find((line) => line.includes(title)) ?? `(no line with "${title}")`;

  beforeAll(async () => {
    pki = makePki();
    sandbox = await startSandbox({ clockSpeed: 0, nomad: { aclToken: NOMAD_TOKEN } });
    for (const service of ['nomad', 'consul', 'vault'] as const) fronts.push(await tlsFront(sandbox.addresses[service], pki));
    const [nomad, consul, vault] = fronts.map((f) => f.address) as [string, string, string];
    // What terraform/modules/vault-nomad-workloads does: the JWT auth method fetches this Nomad's keys.
    const configured = await fetch(`${sandbox.addresses.vault}/v1/auth/jwt-nomad/config`, {
      method: 'POST', headers: { 'X-Vault-Token': sandbox.vaultToken }, body: JSON.stringify({ jwks_url: `${nomad}/.well-known/jwks.json`, default_role: 'nomad-workloads' }),
    });
    expect(configured.status).toBe(204);
    sandbox.cluster.set(good);
    env = {
      NO_COLOR: '1',
      NOMAD_ADDR: nomad, NOMAD_TOKEN, NOMAD_CACERT: pki.caFile,
      CONSUL_HTTP_ADDR: consul, CONSUL_HTTP_TOKEN: CONSUL_TOKEN, CONSUL_CACERT: pki.caFile,
      VAULT_ADDR: vault, VAULT_TOKEN: sandbox.vaultToken, VAULT_CACERT: pki.caFile,
      DROVER_FABIO_UI_ADDR: sandbox.addresses.fabioUi, DROVER_PROMETHEUS_ADDR: sandbox.addresses.prometheus,
    };
    await configureConsulJwt();
  });

  afterAll(async () => {
    await Promise.all(fronts.map((f) => f.close()));
    await sandbox?.close();
    pki?.remove();
  });

  it('passes every point on a cluster that is what qa declares, and says so', async () => {
    const result = await check();
    expect(result.stderr).toMatch(/cluster check qa: \d+ passed, 1 warn; exit 0/);
    expect(result.code, result.stdout).toBe(0);
    for (const title of ['Nomad has a leader', 'Consul has a leader', 'Nomad raft peers = 3 declared servers', 'Consul raft peers = 3 declared servers', 'Nomad agents at 2.0.5', 'Consul agents at 1.20.6',
      'Nomad refuses anonymous requests', 'Consul refuses anonymous requests', 'Nomad API speaks TLS', 'Consul API speaks TLS', 'Vault API speaks TLS', 'Nomad gossip encrypted', 'Consul gossip encrypted',
      'OpenBao initialised and unsealed', 'OpenBao at 2.6.2', 'JWT auth at auth/jwt-nomad', CONSUL_JWT, 'Client pool general + storage', 'Fabio up', 'Prometheus scrapes every agent (up == 1 for 12 target(s))']) {
      expect(lineOf(result.stdout, title)).toMatch(/^✔ /);
    }
    // Nothing is deployed, so Fabio routes nothing yet: a remark, not a failure.
    expect(lineOf(result.stdout, 'Fabio routing table')).toMatch(/^! .*no routes yet/);
  });

  it('fails a missing raft peer, an agent at another version, ACLs off and gossip in clear text, each with its fix', async () => {
    const result = await check({
      serversOutOfRaft: ['qa-server-3'], versionOverrides: { nomad: { 'general-2': '2.0.4' }, consul: { 'qa-server-1': '1.20.5' } },
      acls: { nomad: false, consul: true }, gossipEncrypted: { nomad: true, consul: false },
    });
    expect(result.code, result.stdout).toBe(1);
    expect(lineOf(result.stdout, 'Nomad raft peers')).toContain('✖ Nomad raft peers = 3 declared servers [fail]: 2 voter(s) (qa-server-1, qa-server-2), 3 declared');
    expect(lineOf(result.stdout, 'Consul raft peers')).toContain('2 voter(s) (qa-server-1, qa-server-2), 3 declared');
    expect(result.stdout).toContain('nomad operator raft remove-peer');
    expect(lineOf(result.stdout, 'Nomad agents at 2.0.5')).toMatch(/\[fail\]: 1 of 5 not at 2\.0\.5: general-2 2\.0\.4$/);
    expect(lineOf(result.stdout, 'Consul agents at 1.20.6')).toMatch(/\[fail\]: 1 of \d+ not at 1\.20\.6: qa-server-1 1\.20\.5/);
    expect(lineOf(result.stdout, 'Nomad refuses anonymous')).toContain('[fail]: anonymous request answered 200');
    expect(lineOf(result.stdout, 'Consul refuses anonymous')).toMatch(/^✔ .*403 Permission denied/);
    expect(lineOf(result.stdout, 'Consul gossip encrypted')).toContain('[fail]: serf reports encrypted: false');
    expect(lineOf(result.stdout, 'Nomad gossip encrypted')).toMatch(/^✔ /);
  });

  it('fails a sealed Vault, a pool short of nodes with a driver down, a Prometheus target down and a stopped Fabio', async () => {
    const clients = good.clients.filter((c) => c.name !== 'storage-1').map((c) => (c.name === 'general-1' ? { ...c, drivers: ['exec', 'raw_exec'], unhealthyDrivers: { docker: 'Failed to connect to docker daemon' } } : c));
    const result = await check({ vaultSealed: true, clients, targetsDown: ['nomad/qa-server-2'], fabioUp: false });
    expect(result.code, result.stdout).toBe(1);
    expect(lineOf(result.stdout, 'OpenBao initialised and unsealed')).toContain('[fail]: sealed (sys/health sealed)');
    expect(result.stdout).toContain('bao operator unseal');
    expect(lineOf(result.stdout, 'Client pool general + storage')).toContain('[fail]: 2 ready and eligible of 3 declared; general-1: driver docker unhealthy (Failed to connect to docker daemon)');
    expect(lineOf(result.stdout, 'Prometheus scrapes')).toContain('[fail]: nomad/qa-server-2: down (server returned HTTP status 403 Forbidden)');
    expect(lineOf(result.stdout, 'Fabio up')).toMatch(/^✖ Fabio up .*\[fail\]: .*ECONNRESET/);
  });

  it('fails without a leader and when the JWT auth method trusts another Nomad', async () => {
    sandbox.cluster.set(good);
    const elsewhere = await fetch(`${sandbox.addresses.vault}/v1/auth/jwt-nomad/config`, {
      method: 'POST', headers: { 'X-Vault-Token': sandbox.vaultToken }, body: JSON.stringify({ jwks_url: 'https://nomad.other.internal:4646/.well-known/jwks.json' }),
    });
    expect(elsewhere.status).toBe(204);
    try {
      const result = await check({ leaders: { nomad: false, consul: true } });
      expect(result.code, result.stdout).toBe(1);
      expect(lineOf(result.stdout, 'Nomad has a leader')).toContain('[fail]: no leader');
      expect(lineOf(result.stdout, 'JWT auth at auth/jwt-nomad')).toContain(`[fail]: jwks_url is https://nomad.other.internal:4646/.well-known/jwks.json, not this Nomad (${env.NOMAD_ADDR})`);
    } finally {
      await fetch(`${sandbox.addresses.vault}/v1/auth/jwt-nomad/config`, { method: 'POST', headers: { 'X-Vault-Token': sandbox.vaultToken }, body: JSON.stringify({ jwks_url: `${env.NOMAD_ADDR}/.well-known/jwks.json` }) });
    }
  });

  it('fails Consul\'s JWT auth method trusting another Nomad, lacking consul.io or a binding rule, or missing', async () => {
    sandbox.cluster.set(good);
    const fix = (result: { stdout: string }) => result.stdout.split('\n')[result.stdout.split('\n').indexOf(lineOf(result.stdout, CONSUL_JWT)) + 1] ?? '';
    try {
      await configureConsulJwt({ jwksUrl: 'https://nomad.other.internal:4646/.well-known/jwks.json' });
      let result = await check();
      expect(result.code, result.stdout).toBe(1);
      expect(lineOf(result.stdout, CONSUL_JWT)).toContain(`[fail]: JWKSURL is https://nomad.other.internal:4646/.well-known/jwks.json, not this Nomad (${env.NOMAD_ADDR})`);
      expect(fix(result)).toContain(`→ Point it at this Nomad: \`JWKSURL = "${env.NOMAD_ADDR}/.well-known/jwks.json"\` (terraform/modules/consul-nomad-workloads, input nomad_address).`);

      await configureConsulJwt({ audiences: ['vault.io'], binds: ['service'] });
      result = await check();
      expect(result.code, result.stdout).toBe(1);
      expect(lineOf(result.stdout, CONSUL_JWT)).toContain("[fail]: BoundAudiences vault.io lack consul.io, the audience of the Nomad agents' service_identity and task_identity; no binding rule for tasks (BindType role or policy)");

      await configureConsulJwt({ binds: ['role'] });
      result = await check();
      expect(lineOf(result.stdout, CONSUL_JWT)).toContain('[fail]: no binding rule for services (BindType service)');
      expect(fix(result)).toContain('→ Apply terraform/modules/consul-nomad-workloads (binding rules services and tasks).');

      await consulAcl('DELETE', 'auth-method/nomad-workloads');
      result = await check();
      expect(result.code, result.stdout).toBe(1);
      expect(lineOf(result.stdout, CONSUL_JWT)).toContain("[fail]: auth method nomad-workloads not found: the Nomad agents' service_auth_method / task_auth_method have nothing to log in to");
      expect(fix(result)).toContain('→ Apply terraform/modules/consul-nomad-workloads (it creates the JWT auth method and the binding rules for Nomad).');

      // A Consul token without `acl = "read"` cannot judge it: denied, exit 77 like any refused token.
      const anonymous = await check({}, { CONSUL_HTTP_TOKEN: '' });
      expect(lineOf(anonymous.stdout, CONSUL_JWT)).toContain('[denied]: GET');
    } finally {
      await configureConsulJwt();
    }
  });

  it('fails TLS that does not verify against the cluster CA, and a plain-HTTP address', async () => {
    const result = await check({}, { VAULT_CACERT: pki.otherCaFile, CONSUL_HTTP_ADDR: sandbox.addresses.consul });
    expect(result.code, result.stdout).toBe(1);
    expect(lineOf(result.stdout, 'Vault API speaks TLS')).toMatch(/\[fail\]: certificate not trusted: UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    // Vault's own reads fail for the same reason: a failed point, not an unreachable Vault.
    expect(lineOf(result.stdout, 'OpenBao initialised and unsealed')).toMatch(/\[fail\]: .*TLS: UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    expect(lineOf(result.stdout, 'Consul API speaks TLS')).toContain('[fail]: the address is plain http://');
    expect(lineOf(result.stdout, 'Nomad API speaks TLS')).toMatch(/^✔ .*verified/);
  });

  it('prints one JSON document with every result', async () => {
    const result = await check({ vaultSealed: true }, {}, '--output', 'json');
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout) as { schema: string; ok: boolean; exitCode: number; results: { id: string; status: string; fix?: string }[] };
    expect(doc).toMatchObject({ schema: 'drover.cluster-check/v1', ok: false, exitCode: 1 });
    expect(doc.results.find((r) => r.id === 'vault/unsealed')).toMatchObject({ status: 'fail', fix: expect.stringContaining('operator unseal') });
    expect(doc.results.filter((r) => r.status === 'pass').length).toBeGreaterThan(15);
    expect(schemaErrors(doc, loadSchema('cluster-check'))).toEqual([]);
  });

  it('judges a drover up cluster with --dev: one node, plain HTTP, no ACLs or gossip key, any versions', async () => {
    const local = { name: 'drover-up', datacenter: 'dc1', drivers: ['exec', 'raw_exec'] };
    const dev = { servers: ['drover-up'], clients: [local], datacenter: 'dc1', acls: { nomad: false, consul: false }, gossipEncrypted: { nomad: false, consul: false }, versions: { nomad: '2.0.5', consul: '1.8.7', vault: '2.0.0-HEAD' } };
    const plain = { NOMAD_ADDR: sandbox.addresses.nomad, CONSUL_HTTP_ADDR: sandbox.addresses.consul, VAULT_ADDR: sandbox.addresses.vault };
    sandbox.cluster.set({ ...good, ...dev });
    await configureJwt(`${sandbox.addresses.nomad}/.well-known/jwks.json`);
    const result = await runCli(['cluster', 'check', 'dev', '--dev'], { env: { ...env, ...plain } }).finally(() => configureJwt(`${env.NOMAD_ADDR}/.well-known/jwks.json`));
    expect(result.code, result.stdout).toBe(0);
    expect(lineOf(result.stdout, 'Nomad raft peers = 1 declared servers')).toMatch(/^✔ /);
    expect(lineOf(result.stdout, 'Client pool local (node pool default, dc1)')).toMatch(/^✔ .*1 node\(s\) ready with raw_exec/);
    expect(lineOf(result.stdout, 'Nomad API speaks TLS')).toContain('[skipped]: dev profile: plain HTTP on 127.0.0.1 (found: the address is plain http://)');
    expect(lineOf(result.stdout, 'Consul gossip encrypted')).toContain('[skipped]: dev profile: one node, no gossip key');
    expect(lineOf(result.stdout, 'Nomad refuses anonymous')).toContain('[skipped]: dev profile: no ACLs');
    // Consul without ACLs answers its ACL endpoints 401 `ACL support disabled`: nothing to judge.
    expect(lineOf(result.stdout, CONSUL_JWT)).toContain('[skipped]: dev profile: no Consul ACLs, so no workload identities for Consul');
    // Without --dev, dev has no definition to check against.
    expect((await runCli(['cluster', 'check', 'dev'], { env: { ...env, ...plain } })).code).toBe(64);
    // A dev node without raw_exec fails the one driver the dev jobs need.
    sandbox.cluster.set({ ...good, ...dev, clients: [{ ...local, drivers: ['exec'] }] });
    const broken = await runCli(['cluster', 'check', 'dev', '--dev'], { env: { ...env, ...plain } });
    expect(broken.code).toBe(1);
    expect(lineOf(broken.stdout, 'Client pool local')).toContain('drover-up: driver raw_exec not detected');
  });

  it('exits 69 when Nomad cannot be reached and 77 when its token is refused, never printing the token', async () => {
    const unreachable = await check({}, { NOMAD_ADDR: 'https://127.0.0.1:1' });
    expect(unreachable.code, unreachable.stdout).toBe(69);
    expect(lineOf(unreachable.stdout, 'Nomad has a leader')).toMatch(/\[unreachable\]: GET https:\/\/127\.0\.0\.1:1\/v1\/status\/leader: ECONNREFUSED/);
    const denied = await check({}, { NOMAD_TOKEN: 'not-the-token-0000' });
    expect(denied.code, denied.stdout).toBe(77);
    expect(lineOf(denied.stdout, 'Nomad raft peers')).toContain('[denied]: GET');
    expect(`${denied.stdout}${denied.stderr}`).not.toContain('not-the-token-0000');
    expect(`${denied.stdout}${denied.stderr}`).not.toContain(NOMAD_TOKEN);
  });
});
