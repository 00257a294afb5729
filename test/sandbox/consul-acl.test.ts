/**
 * ACL tokens over HTTP: unknown secrets, key-prefix scopes (longest prefix wins, exact beats
 * prefix), recursive deletes needing write on everything below, filtered listings, default deny.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxClock } from '../../src/sandbox/clock.ts';
import { createConsulService, type ConsulAclConfig } from '../../src/sandbox/consul/index.ts';
import { call, serve, type Answer, type ServedService } from '../support/serve-sandbox-service.ts';

async function start(acl: ConsulAclConfig): Promise<ServedService> {
  const served = await serve(createConsulService({ clock: createSandboxClock({ speed: 0 }), acl }));
  const admin = { 'X-Consul-Token': 'admin' };
  for (const key of ['shop/api/db', 'shop/api/secret', 'shop/web/x', 'other/x']) {
    await call(served.address, 'PUT', `/v1/kv/${key}`, { body: key, headers: admin });
  }
  return served;
}

const tokens: ConsulAclConfig['tokens'] = [
  { secretId: 'admin', management: true },
  {
    secretId: 'shop-reader',
    rules: {
      key_prefix: { 'shop/': 'read', 'shop/api/': 'write', 'shop/api/secret': 'deny' },
      key: { 'shop/web/x': 'write' },
      service_prefix: { web: 'read', '': 'deny' },
      session_prefix: { '': 'write' },
    },
  },
];

describe('ACL with default policy allow', () => {
  let consul: ServedService;
  const as = (token: string | undefined, method: string, path: string, body?: string): Promise<Answer> =>
    call(consul.address, method, path, { ...(body !== undefined ? { body } : {}), headers: token ? { 'X-Consul-Token': token } : {} });

  beforeAll(async () => {
    consul = await start({ defaultPolicy: 'allow', tokens });
  });
  afterAll(() => consul.close());

  it('answers 403 "ACL not found" for an unknown token, with index headers only on catalog reads', async () => {
    const kv = await as('who-is-this', 'GET', '/v1/kv/shop/api/db');
    expect(kv).toMatchObject({ status: 403, text: 'ACL not found' });
    expect(kv.headers.has('x-consul-index')).toBe(false);
    const catalog = await as('who-is-this', 'GET', '/v1/catalog/services');
    expect(catalog).toMatchObject({ status: 403, text: 'ACL not found' });
    expect(catalog.headers.get('x-consul-index')).toBe('1');
    expect(catalog.headers.get('x-consul-knownleader')).toBe('false');
  });

  it('accepts the token as a Bearer header and as ?token=', async () => {
    expect((await call(consul.address, 'GET', '/v1/kv/shop/api/db', { headers: { Authorization: 'Bearer shop-reader' } })).status).toBe(200);
    expect((await call(consul.address, 'GET', '/v1/kv/shop/api/secret?token=shop-reader')).status).toBe(403);
  });

  it('scopes a token to key prefixes: the longest prefix wins, an exact rule beats prefixes', async () => {
    expect((await as('shop-reader', 'GET', '/v1/kv/shop/web/x')).status).toBe(200);
    expect(await as('shop-reader', 'PUT', '/v1/kv/shop/web/y', 'x')).toMatchObject({ status: 403, text: 'Permission denied' });
    expect((await as('shop-reader', 'PUT', '/v1/kv/shop/web/x', 'x')).json).toBe(true);
    expect((await as('shop-reader', 'PUT', '/v1/kv/shop/api/db', 'x')).json).toBe(true);
    expect(await as('shop-reader', 'GET', '/v1/kv/shop/api/secret')).toMatchObject({ status: 403, text: 'Permission denied' });
    // No rule matches: the default policy (allow) decides.
    expect((await as('shop-reader', 'PUT', '/v1/kv/other/y', 'x')).json).toBe(true);
  });

  it('filters recursive reads and key listings instead of refusing them', async () => {
    const listed = await as('shop-reader', 'GET', '/v1/kv/shop/api/?recurse');
    expect((listed.json as { Key: string }[]).map((e) => e.Key)).toEqual(['shop/api/db']);
    expect((await as('shop-reader', 'GET', '/v1/kv/shop/?keys')).json).toEqual(['shop/api/db', 'shop/web/x']);
    expect((await as(undefined, 'GET', '/v1/kv/shop/?keys')).json).toEqual(['shop/api/db', 'shop/api/secret', 'shop/web/x']);
  });

  it('refuses a recursive delete unless every rule below the prefix grants write', async () => {
    expect((await as('shop-reader', 'DELETE', '/v1/kv/shop/api/?recurse')).status).toBe(403);
    expect((await as('shop-reader', 'DELETE', '/v1/kv/shop/web/x?recurse')).json).toBe(true);
    expect((await as('admin', 'GET', '/v1/kv/shop/api/secret')).status).toBe(200);
  });

  it('filters services the token may not read', async () => {
    const register = (name: string): Promise<Answer> => as('admin', 'PUT', '/v1/agent/service/register', JSON.stringify({ Name: name, Port: 1 }));
    await register('web');
    await register('billing');
    expect(Object.keys((await as('shop-reader', 'GET', '/v1/catalog/services')).json as object)).toEqual(['web']);
    expect((await as('shop-reader', 'GET', '/v1/catalog/service/billing')).json).toEqual([]);
    expect(Object.keys((await as(undefined, 'GET', '/v1/catalog/services')).json as object)).toEqual(['billing', 'consul', 'web']);
  });
});

describe('ACL with default policy deny', () => {
  let consul: ServedService;
  beforeAll(async () => {
    consul = await start({ defaultPolicy: 'deny', tokens });
  });
  afterAll(() => consul.close());

  it('denies anonymous requests and everything a token’s rules do not grant', async () => {
    expect((await call(consul.address, 'GET', '/v1/kv/other/x')).status).toBe(403);
    expect((await call(consul.address, 'PUT', '/v1/session/create')).status).toBe(403);
    const reader = { headers: { 'X-Consul-Token': 'shop-reader' } };
    expect((await call(consul.address, 'GET', '/v1/kv/other/x', reader)).status).toBe(403);
    expect((await call(consul.address, 'GET', '/v1/kv/shop/web/x', reader)).status).toBe(200);
    expect((await call(consul.address, 'PUT', '/v1/session/create', reader)).status).toBe(200);
    expect((await call(consul.address, 'GET', '/v1/agent/self', reader)).status).toBe(403);
  });
});
