import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkCluster } from '../../../src/cluster-check/check.ts';
import type { ClusterFacts, Read } from '../../../src/cluster-check/facts.ts';
import { clusterCheckExitCode, type CheckResult } from '../../../src/cluster-check/result.ts';
import type { ConsulAclAuthMethod, ConsulAclBindingRule, ConsulJwtAuthMethodConfig, NomadNodeListStub } from '../../../src/wire/cluster-agents.ts';
import prodCluster from '../../../environments/clusters/prod.ts';
import prod from '../../../environments/prod.ts';

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const failed = (kind: 'unreachable' | 'denied' | 'error', detail = 'x'): Read<never> => ({ ok: false, failure: { kind, request: 'GET https://nomad:4646/v1/x', detail } });
const servers = ['prod-server-1', 'prod-server-2', 'prod-server-3'];
const healthy = { Detected: true, Healthy: true, HealthDescription: 'Healthy' };

function node(name: string, datacenter: string, over: Partial<NomadNodeListStub> = {}): NomadNodeListStub {
  return {
    ID: name, Name: name, Address: '10.0.0.1', Datacenter: datacenter, NodePool: 'default', NodeClass: '', Status: 'ready', SchedulingEligibility: 'eligible',
    Drain: false, Version: '2.0.5', Drivers: { docker: healthy, exec: healthy, raw_exec: healthy }, ...over,
  };
}

/** What terraform/modules/consul-nomad-workloads creates for prod (as Consul 1.8.7 answers it). */
function anAuthMethod(config: Partial<ConsulJwtAuthMethodConfig> = {}): ConsulAclAuthMethod {
  return { Name: 'nomad-workloads', Type: 'jwt', Config: { JWKSURL: 'https://nomad.prod.internal:4646/.well-known/jwks.json', JWTValidationPubKeys: [], OIDCDiscoveryURL: '', BoundAudiences: ['consul.io'], ...config } };
}
const rule = (BindType: string, BindName: string): ConsulAclBindingRule => ({ ID: `${BindType}-${BindName}`, AuthMethod: 'nomad-workloads', Selector: '', BindType, BindName });
const BINDING_RULES = [rule('service', '${value.nomad_service}'), rule('role', 'drover-tasks-${value.nomad_namespace}'), rule('role', 'drover-fabio')];

/** prod as declared: 3 servers, clients prod1-client-1..3, prod2-client-1..3, prod1-db-1, all healthy. */
function aProdCluster(over: Partial<{ [K in keyof ClusterFacts]: Partial<ClusterFacts[K]> }> = {}): ClusterFacts {
  const nodes = [
    ...[1, 2, 3].map((i) => node(`prod1-client-${i}`, 'prod1')),
    ...[1, 2, 3].map((i) => node(`prod2-client-${i}`, 'prod2')),
    node('prod1-db-1', 'prod1'),
  ];
  const base: ClusterFacts = {
    addresses: { nomad: 'https://nomad.prod.internal:4646', consul: 'https://consul.prod.internal:8501', vault: 'https://vault.prod.internal:8200', fabioUi: 'http://fabio:9998', prometheus: 'http://prom:9090' },
    nomad: {
      leader: ok('10.10.0.11:4647'),
      raft: ok({ Index: 0, Servers: servers.map((name, i) => ({ ID: name, Node: `${name}.global`, Address: `10.10.0.1${i + 1}:4647`, Leader: i === 0, Voter: true })) }),
      members: ok({ ServerName: servers[0]!, ServerRegion: 'global', ServerDC: 'prod1', Members: servers.map((name, i) => ({ Name: `${name}.global`, Addr: `10.10.0.1${i + 1}`, Port: 4648, Status: 'alive', Tags: { build: '2.0.5', role: 'nomad' } })) }),
      self: ok({ config: { Version: { Version: '2.0.5' } }, stats: { serf: { encrypted: 'true' } } }),
      nodes: ok(nodes),
      pools: ok([{ Name: 'all', Description: '' }, { Name: 'default', Description: '' }]),
      jwks: ok({ keys: [] }),
      anonymous: failed('denied', '403 Permission denied'),
    },
    consul: {
      leader: ok('10.10.0.11:8300'),
      raft: ok({ Index: 0, Servers: servers.map((name, i) => ({ ID: name, Node: name, Address: `10.10.0.1${i + 1}:8300`, Leader: i === 0, Voter: true })) }),
      members: ok(servers.map((name, i) => ({ Name: name, Addr: `10.10.0.1${i + 1}`, Port: 8301, Status: 1, Tags: { build: '1.20.6:abc', role: 'consul' } }))),
      self: ok({ Config: { Datacenter: 'prod1', NodeName: servers[0]!, Server: true, Version: '1.20.6' }, Stats: { serf_lan: { encrypted: 'true' } } }),
      anonymous: failed('denied', '403 Permission denied'),
      jwtAuthMethod: ok(anAuthMethod()),
      bindingRules: ok(BINDING_RULES),
    },
    vault: {
      health: ok({ status: 'active', sealed: false, initialized: true, version: '2.6.2' }),
      jwtConfig: ok({ jwks_url: 'https://nomad.prod.internal:4646/.well-known/jwks.json', jwt_validation_pubkeys: [], oidc_discovery_url: '', bound_issuer: '', jwt_supported_algs: ['RS256'], default_role: 'nomad-workloads' }),
    },
    fabio: { health: ok('OK'), routes: ok([{ service: 'api', host: '', path: '/api', dst: 'http://10.10.1.11:20000/', weight: 1 }]) },
    prometheus: {
      targets: ok([
        ...servers.flatMap((name) => ['nomad', 'consul', 'vault'].map((job) => ({ labels: { job, instance: name }, scrapePool: job, scrapeUrl: '', health: 'up', lastError: '' }))),
        ...nodes.map((n) => ({ labels: { job: 'nomad', instance: n.Name }, scrapePool: 'nomad', scrapeUrl: '', health: 'up', lastError: '' })),
      ]),
    },
    listeners: (['nomad', 'consul', 'vault'] as const).map((service) => ({ service, address: `https://${service}.prod.internal`, result: { kind: 'verified' as const, protocol: 'TLSv1.3', subject: service } })),
  };
  return {
    ...base,
    ...over,
    nomad: { ...base.nomad, ...over.nomad },
    consul: { ...base.consul, ...over.consul },
    vault: { ...base.vault, ...over.vault },
  } as ClusterFacts;
}

const judged = (facts: ClusterFacts) => checkCluster(prodCluster, prod, facts);
const byId = (results: readonly CheckResult[], id: string) => results.find((r) => r.id === id) ?? { id, status: 'missing', detail: '' };

describe('checkCluster', () => {
  it('passes every point of a cluster that is what prod declares', () => {
    const results = judged(aProdCluster());
    expect(results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.detail}`)).toEqual([]);
    expect(results.map((r) => r.id)).toContain('nomad/pool/prod1');
    expect(clusterCheckExitCode(results)).toBe(0);
  });

  it('names the declared host missing from raft, and a voter nobody declared', () => {
    const raft = ok({ Index: 0, Servers: ['prod-server-1', 'prod-server-2', 'old-server-9'].map((name) => ({ ID: name, Node: `${name}.global`, Address: '', Leader: false, Voter: true })) });
    const result = byId(judged(aProdCluster({ nomad: { raft } })), 'nomad/raft-peers');
    expect(result).toMatchObject({ status: 'fail', detail: '3 voter(s) (prod-server-1, prod-server-2, old-server-9), 3 declared; missing: prod-server-3; not declared: old-server-9' });
  });

  it('fails versions when the token sees no agents at all, instead of passing an empty list', () => {
    expect(byId(judged(aProdCluster({ consul: { members: ok([]) } })), 'consul/versions')).toMatchObject({ status: 'fail', detail: 'no agents visible' });
  });

  it('names the host of a pool that never registered and the node whose driver is unhealthy', () => {
    const nodes = aProdCluster().nomad.nodes;
    const list = (nodes.ok ? nodes.value : []).filter((n) => n.Name !== 'prod2-client-3').map((n) => (n.Name === 'prod2-client-1' ? { ...n, Drivers: { ...n.Drivers, docker: { Detected: true, Healthy: false, HealthDescription: 'Failed to connect to docker daemon' } } } : n));
    const results = judged(aProdCluster({ nomad: { nodes: ok(list) } }));
    expect(byId(results, 'nomad/pool/prod2')).toMatchObject({ status: 'fail', detail: 'missing: prod2-client-3; prod2-client-1: driver docker unhealthy (Failed to connect to docker daemon)' });
    expect(byId(results, 'nomad/pool/prod1').status).toBe('pass');
  });

  it('trusts JWT validation keys that hold exactly Nomad\'s JWKS keys, and fails when one is missing', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const jwk = publicKey.export({ format: 'jwk' });
    const jwks = ok({ keys: [{ kid: 'k1', kty: 'RSA', alg: 'RS256', n: jwk.n!, e: jwk.e! }] });
    const withKeys = (pubkeys: string[]) => ok({ jwks_url: '', jwt_validation_pubkeys: pubkeys, oidc_discovery_url: '', bound_issuer: '', jwt_supported_algs: [], default_role: '' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(byId(judged(aProdCluster({ nomad: { jwks }, vault: { jwtConfig: withKeys([pem]) } })), 'vault/jwt-nomad').status).toBe('pass');
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(byId(judged(aProdCluster({ nomad: { jwks }, vault: { jwtConfig: withKeys([other]) } })), 'vault/jwt-nomad')).toMatchObject({ status: 'fail', detail: "jwt_validation_pubkeys lack Nomad's key(s) k1 (rotated?)" });
  });

  it('accepts a jwks_url naming a server on Nomad\'s port, not another host', () => {
    const at = (url: string) => ok({ jwks_url: url, jwt_validation_pubkeys: [], oidc_discovery_url: '', bound_issuer: '', jwt_supported_algs: [], default_role: '' });
    expect(byId(judged(aProdCluster({ vault: { jwtConfig: at('https://10.10.0.12:4646/.well-known/jwks.json') } })), 'vault/jwt-nomad').status).toBe('pass');
    expect(byId(judged(aProdCluster({ vault: { jwtConfig: at('https://10.99.0.1:4646/.well-known/jwks.json') } })), 'vault/jwt-nomad').status).toBe('fail');
    expect(byId(judged(aProdCluster({ vault: { jwtConfig: ok(null) } })), 'vault/jwt-nomad')).toMatchObject({ status: 'fail', detail: 'auth/jwt-nomad/config not found: no JWT auth method mounted there, or it was never configured' });
  });

  it('skips the ACL points of a cluster declared without ACLs, and fails one whose anonymous request is answered', () => {
    const open = aProdCluster({ nomad: { anonymous: ok({ status: 200 }) } });
    expect(byId(judged(open), 'nomad/acls')).toMatchObject({ status: 'fail', detail: 'anonymous request answered 200: ACLs are off or the anonymous token has a policy' });
    expect(byId(checkCluster({ ...prodCluster, acls: false }, prod, open), 'nomad/acls').status).toBe('skipped');
  });

  it('fails a Prometheus target that is down with its error and an agent that is no target', () => {
    const targets = aProdCluster().prometheus!.targets;
    const list = (targets.ok ? targets.value : []).filter((t) => t.labels['instance'] !== 'prod1-db-1').map((t) => (t.labels['instance'] === 'prod-server-2' && t.labels['job'] === 'vault' ? { ...t, health: 'down', lastError: 'x509: certificate signed by unknown authority' } : t));
    const result = byId(judged({ ...aProdCluster(), prometheus: { targets: ok(list) } }), 'prometheus/targets');
    expect(result).toMatchObject({ status: 'fail', detail: 'nomad/prod1-db-1: not a target; vault/prod-server-2: down (x509: certificate signed by unknown authority)' });
  });

  it('turns an unreachable Fabio into a failed point with Fabio\'s fix, not an unreachable cluster', () => {
    const results = judged({ ...aProdCluster(), fabio: { health: failed('unreachable', 'ECONNREFUSED'), routes: failed('unreachable', 'ECONNREFUSED') } });
    expect(byId(results, 'fabio/up')).toMatchObject({ status: 'fail', fix: expect.stringContaining('Start Fabio on the pools prod1, prod2, storage') });
    expect(results.some((r) => r.id === 'fabio/routes')).toBe(false);
    expect(clusterCheckExitCode(results)).toBe(1);
  });
});

describe('consul/jwt-nomad', () => {
  const point = (consul: Partial<ClusterFacts['consul']>, cluster = prodCluster) => byId(checkCluster(cluster, prod, aProdCluster({ consul })), 'consul/jwt-nomad');
  const moduleFix = 'Apply terraform/modules/consul-nomad-workloads (binding rules services and tasks).';

  it('passes the auth method terraform creates, naming its JWKS URL and binding rules', () => {
    expect(point({})).toMatchObject({ status: 'pass', detail: 'JWKSURL https://nomad.prod.internal:4646/.well-known/jwks.json; BoundAudiences include consul.io; binding rules role ×2, service ×1' });
  });

  it('fails a JWKS URL of another Nomad with the address to point it at', () => {
    expect(point({ jwtAuthMethod: ok(anAuthMethod({ JWKSURL: 'https://nomad.other.internal:4646/.well-known/jwks.json' })) })).toMatchObject({
      status: 'fail',
      detail: 'JWKSURL is https://nomad.other.internal:4646/.well-known/jwks.json, not this Nomad (https://nomad.prod.internal:4646)',
      fix: 'Point it at this Nomad: `JWKSURL = "https://nomad.prod.internal:4646/.well-known/jwks.json"` (terraform/modules/consul-nomad-workloads, input nomad_address).',
    });
    expect(point({ jwtAuthMethod: ok(anAuthMethod({ JWKSURL: 'https://10.10.0.12:4646/.well-known/jwks.json' })) }).status).toBe('pass');
  });

  it('trusts JWTValidationPubKeys holding Nomad\'s keys', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    const jwks = ok({ keys: [{ kid: 'k1', kty: 'RSA', alg: 'RS256', use: 'sig', n: jwk.n!, e: jwk.e! }] });
    const method = ok(anAuthMethod({ JWKSURL: '', JWTValidationPubKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] }));
    expect(byId(judged(aProdCluster({ nomad: { jwks }, consul: { jwtAuthMethod: method } })), 'consul/jwt-nomad').status).toBe('pass');
    expect(point({ jwtAuthMethod: ok(anAuthMethod({ JWKSURL: '' })) })).toMatchObject({ status: 'fail', detail: 'no JWKSURL and no keys' });
  });

  it('fails an auth method without the consul.io audience, and one without a task rule, saying both', () => {
    const result = point({ jwtAuthMethod: ok(anAuthMethod({ BoundAudiences: ['vault.io'] })), bindingRules: ok([rule('service', 'x')]) });
    expect(result).toMatchObject({
      status: 'fail',
      detail: "BoundAudiences vault.io lack consul.io, the audience of the Nomad agents' service_identity and task_identity; no binding rule for tasks (BindType role or policy)",
      fix: `Add "consul.io" to BoundAudiences (terraform/modules/consul-nomad-workloads, input audiences). ${moduleFix}`,
    });
    expect(point({ bindingRules: ok([]) })).toMatchObject({ status: 'fail', detail: 'no binding rule for services (BindType service) and none for tasks (BindType role or policy)' });
    expect(point({ bindingRules: ok([rule('service', 'x'), rule('policy', 'y')]) }).status).toBe('pass');
  });

  it('fails a missing or non-jwt method with terraform\'s module as the fix', () => {
    expect(point({ jwtAuthMethod: ok(null) })).toMatchObject({
      status: 'fail',
      detail: "auth method nomad-workloads not found: the Nomad agents' service_auth_method / task_auth_method have nothing to log in to",
      fix: 'Apply terraform/modules/consul-nomad-workloads (it creates the JWT auth method and the binding rules for Nomad).',
    });
    expect(point({ jwtAuthMethod: ok({ ...anAuthMethod(), Type: 'kubernetes' }) })).toMatchObject({ status: 'fail', detail: 'auth method nomad-workloads is of type kubernetes, not jwt' });
  });

  it('skips without ACLs (declared off, or Consul\'s 401), and reports a token without acl read as denied', () => {
    expect(point({}, { ...prodCluster, acls: false })).toMatchObject({ status: 'skipped', detail: 'acls: false in the cluster definition: Nomad gets no Consul tokens for its workloads' });
    const disabled: Read<never> = { ok: false, failure: { kind: 'denied', request: 'GET https://consul:8501/v1/acl/auth-method/nomad-workloads', detail: '401 ACL support disabled', status: 401 } };
    expect(point({ jwtAuthMethod: disabled, bindingRules: disabled })).toMatchObject({ status: 'skipped', detail: expect.stringContaining('401 ACL support disabled: this Consul runs without ACLs') });
    const refused: Read<never> = { ok: false, failure: { kind: 'denied', request: 'GET https://consul:8501/v1/acl/auth-method/nomad-workloads', detail: '403 Permission denied', status: 403 } };
    expect(point({ jwtAuthMethod: refused })).toMatchObject({ status: 'denied', fix: 'The token needs `acl = "read"` (export CONSUL_HTTP_TOKEN).' });
    expect(point({ bindingRules: refused }).status).toBe('denied');
  });
});

describe('clusterCheckExitCode', () => {
  const r = (status: CheckResult['status']): CheckResult => ({ id: status, title: status, status, detail: '' });
  it('prefers unreachable (69) over a refused token (77) over a failed point (1); remarks and skips pass', () => {
    expect(clusterCheckExitCode([r('fail'), r('denied'), r('unreachable')])).toBe(69);
    expect(clusterCheckExitCode([r('fail'), r('denied')])).toBe(77);
    expect(clusterCheckExitCode([r('pass'), r('fail')])).toBe(1);
    expect(clusterCheckExitCode([r('pass'), r('warn'), r('skipped')])).toBe(0);
  });
});
