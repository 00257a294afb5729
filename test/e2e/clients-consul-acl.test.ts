/**
 * The Consul client's ACL reads (`acl.authMethod`, `acl.bindingRules`) against the sandbox over
 * real HTTP: the auth method with its Config, `null` for Consul's empty 404, rules of a method, and
 * 401 (ACLs off) / 403 (no token) as ApiErrors carrying their status, never the token. The
 * sandbox's answers are pinned to Consul 1.8.7's in test/integration/cluster-check-consul.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/clients/api-error.ts';
import { createConsulClient } from '../../src/clients/consul/index.ts';
import type { SandboxClusterShape } from '../../src/sandbox/cluster/shape.ts';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.ts';

const TOKEN = 'consul-acl-reader-token';

describe('Consul client ACL reads against the sandbox', () => {
  let sandbox: RunningSandbox;
  let withAcls: SandboxClusterShape;

  beforeAll(async () => {
    sandbox = await startSandbox({ clockSpeed: 0 });
    withAcls = { ...sandbox.cluster.shape(), acls: { nomad: false, consul: true } };
    sandbox.cluster.set(withAcls);
    const put = (path: string, body: unknown) => fetch(`${sandbox.addresses.consul}/v1/acl/${path}`, { method: 'PUT', headers: { 'X-Consul-Token': TOKEN }, body: JSON.stringify(body) });
    expect((await put('auth-method', { Name: 'nomad-workloads', Type: 'jwt', Config: { JWKSURL: 'http://127.0.0.1:4646/.well-known/jwks.json', BoundAudiences: ['consul.io'] } })).status).toBe(200);
    expect((await put('binding-rule', { AuthMethod: 'nomad-workloads', Selector: '"nomad_service" in value', BindType: 'service', BindName: '${value.nomad_service}' })).status).toBe(200);
  });
  afterAll(() => sandbox?.close());

  const client = (token?: string) => createConsulClient({ address: sandbox.addresses.consul, retry: { retries: 0 }, ...(token ? { token } : {}) });

  it('reads an auth method with its Config and its binding rules', async () => {
    const consul = client(TOKEN);
    expect(await consul.acl.authMethod('nomad-workloads')).toEqual({
      Name: 'nomad-workloads', Type: 'jwt', Config: { JWKSURL: 'http://127.0.0.1:4646/.well-known/jwks.json', JWTValidationPubKeys: [], OIDCDiscoveryURL: '', BoundAudiences: ['consul.io'] },
    });
    expect(await consul.acl.bindingRules('nomad-workloads')).toEqual([{ ID: expect.any(String), AuthMethod: 'nomad-workloads', Selector: '"nomad_service" in value', BindType: 'service', BindName: '${value.nomad_service}' }]);
    consul.close();
  });

  it('answers null for an unknown method and no rules for it', async () => {
    const consul = client(TOKEN);
    expect(await consul.acl.authMethod('not-there')).toBeNull();
    expect(await consul.acl.bindingRules('not-there')).toEqual([]);
    consul.close();
  });

  it('turns no token into a 403 and ACLs off into a 401 ApiError, without the token', async () => {
    const anonymous = client();
    const denied = await anonymous.acl.authMethod('nomad-workloads').catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(ApiError);
    expect(denied).toMatchObject({ status: 403, body: 'Permission denied' });
    anonymous.close();
    sandbox.cluster.set({ ...withAcls, acls: { nomad: false, consul: false } });
    const consul = client(TOKEN);
    try {
      const disabled = await consul.acl.bindingRules('nomad-workloads').catch((e: unknown) => e);
      expect(disabled).toMatchObject({ status: 401, body: 'ACL support disabled' });
      expect(JSON.stringify({ message: (disabled as ApiError).message, path: (disabled as ApiError).path })).not.toContain(TOKEN);
    } finally {
      consul.close();
      sandbox.cluster.set(withAcls);
    }
  });
});
