/**
 * ACL policies over HTTP: stored verbatim, enforced with Vault's matching rules (exact, `*` prefix,
 * `+` segment, most specific wins, deny), create vs update, list paths, token authentication errors.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandboxClock, type ControlledClock } from '../../src/sandbox/clock.ts';
import { capabilitiesFor } from '../../src/sandbox/vault/acl.ts';
import { createVaultService, type VaultSandbox } from '../../src/sandbox/vault/index.ts';
import { parsePolicy } from '../../src/sandbox/vault/policy.ts';
import { call, serve, type Answer, type ServedService } from '../support/serve-sandbox-service.ts';

const ROOT = 'root-token';
const DENIED = { status: 403, json: { errors: ['1 error occurred:\n\t* permission denied\n\n'] } };
let clock: ControlledClock;
let vault: VaultSandbox;
let served: ServedService;

beforeEach(async () => {
  clock = createSandboxClock({ speed: 0 });
  vault = createVaultService({ clock, rootToken: ROOT });
  served = await serve(vault);
  vault.seedSecret('secret', 'shop/api/database', { password: 'p' });
  vault.seedSecret('secret', 'shop/api/other', { password: 'o' });
});

afterEach(async () => {
  await served.close();
  clock.close();
});

const as = (token: string | undefined, method: string, path: string, body?: unknown): Promise<Answer> =>
  call(served.address, method, `/v1/${path}`, { headers: token ? { 'X-Vault-Token': token } : {}, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

async function tokenWith(name: string, hcl: string, options: { ttl?: number; noDefaultPolicy?: boolean } = {}): Promise<string> {
  expect((await as(ROOT, 'PUT', `sys/policies/acl/${name}`, { policy: hcl })).status).toBe(204);
  return vault.createToken({ policies: [name], ...options });
}

describe('policy enforcement', () => {
  it('lets a token with only read on one secret read it, and nothing else', async () => {
    const token = await tokenWith('shop-api-db', 'path "secret/data/shop/api/database" {\n  capabilities = ["read"]\n}\n');
    expect((await as(token, 'GET', 'secret/data/shop/api/database')).status).toBe(200);
    expect(await as(token, 'GET', 'secret/data/shop/api/other')).toMatchObject(DENIED);
    expect(await as(token, 'POST', 'secret/data/shop/api/database', { data: { password: 'x' } })).toMatchObject(DENIED);
    expect(await as(token, 'GET', 'secret/metadata/shop/api/database')).toMatchObject(DENIED);
    expect((await as(ROOT, 'GET', 'secret/data/shop/api/other')).status).toBe(200);
  });

  it('distinguishes a missing token from an unknown or expired one', async () => {
    expect(await as(undefined, 'GET', 'secret/data/shop/api/database')).toMatchObject({ status: 403, json: { errors: ['permission denied'] } });
    const invalid = { status: 403, json: { errors: ['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'] } };
    expect(await as('hvs.nope', 'GET', 'auth/token/lookup-self')).toMatchObject(invalid);
    const token = await tokenWith('reader', 'path "secret/data/*" { capabilities = ["read"] }', { ttl: 60 });
    await clock.advance(59_000);
    expect((await as(token, 'GET', 'secret/data/shop/api/database')).status).toBe(200);
    await clock.advance(1_000);
    expect(await as(token, 'GET', 'secret/data/shop/api/database')).toMatchObject(invalid);
  });

  it('lets the most specific rule win, even over a broader deny, and deny win on its own path', async () => {
    const token = await tokenWith(
      'mixed',
      `path "secret/data/*" { capabilities = ["deny"] }
       path "secret/data/shop/*" { capabilities = ["read"] }
       path "secret/data/shop/api/other" { capabilities = ["deny"] }`,
    );
    expect((await as(token, 'GET', 'secret/data/shop/api/database')).status).toBe(200);
    expect(await as(token, 'GET', 'secret/data/shop/api/other')).toMatchObject(DENIED);
  });

  it('matches + as exactly one segment', async () => {
    const token = await tokenWith('segments', 'path "secret/data/+/api/database" { capabilities = ["read"] }');
    expect((await as(token, 'GET', 'secret/data/shop/api/database')).status).toBe(200);
    vault.seedSecret('secret', 'a/b/api/database', {});
    expect(await as(token, 'GET', 'secret/data/a/b/api/database')).toMatchObject(DENIED);
  });

  it('needs create for a new secret and update for an existing one', async () => {
    const token = await tokenWith('create-only', 'path "secret/data/new/*" { capabilities = ["create"] }');
    expect((await as(token, 'POST', 'secret/data/new/x', { data: { a: 1 } })).status).toBe(200);
    expect(await as(token, 'POST', 'secret/data/new/x', { data: { a: 2 } })).toMatchObject(DENIED);
  });

  it('checks LIST against the path with a trailing slash (or the exact path without it)', async () => {
    const folder = await tokenWith('list-folder', 'path "secret/metadata/shop/api/" { capabilities = ["list"] }');
    expect((await as(folder, 'GET', 'secret/metadata/shop/api?list=true')).status).toBe(200);
    expect(await as(folder, 'GET', 'secret/metadata/shop?list=true')).toMatchObject(DENIED);
    const bare = await tokenWith('list-bare', 'path "secret/metadata/shop" { capabilities = ["list"] }');
    expect((await as(bare, 'GET', 'secret/metadata/shop?list=true')).status).toBe(200);
  });

  it('gives every token the default policy (lookup-self) unless created without it', async () => {
    const withDefault = vault.createToken({ policies: ['unknown-policy'] });
    const lookup = await as(withDefault, 'GET', 'auth/token/lookup-self');
    expect(lookup.status).toBe(200);
    expect((lookup.json as { data: { policies: string[] } }).data.policies).toEqual(['default', 'unknown-policy']);
    const bare = vault.createToken({ policies: ['unknown-policy'], noDefaultPolicy: true });
    expect(await as(bare, 'GET', 'auth/token/lookup-self')).toMatchObject(DENIED);
  });

  it('treats a deleted policy as empty', async () => {
    const token = await tokenWith('temporary', 'path "secret/data/*" { capabilities = ["read"] }');
    expect((await as(ROOT, 'DELETE', 'sys/policies/acl/temporary')).status).toBe(204);
    expect(await as(token, 'GET', 'secret/data/shop/api/database')).toMatchObject(DENIED);
  });
});

describe('policy API', () => {
  const text = '# shop API\npath "secret/data/shop/api/*" {\n  capabilities = ["read", "list"]\n}\n';

  it('stores the text verbatim and lists policies with root last', async () => {
    expect((await as(ROOT, 'PUT', 'sys/policies/acl/Shop-API', { policy: text })).status).toBe(204);
    const read = await as(ROOT, 'GET', 'sys/policies/acl/shop-api');
    // Only the legacy sys/policy copies data to the top level, as a real server answered
    // (test/fixtures/recorded/vault/get_sys_policies_acl_name.json, list_sys_policies_acl.json, get_sys_policy_name.json).
    expect(read.json).toMatchObject({ data: { name: 'shop-api', policy: text }, mount_type: 'system' });
    expect(read.json).not.toHaveProperty('policy');
    const list = await as(ROOT, 'GET', 'sys/policies/acl?list=true');
    expect(list).toMatchObject({ json: { data: { keys: ['default', 'shop-api', 'root'] } } });
    expect(list.json).not.toHaveProperty('keys');
    expect((await as(ROOT, 'GET', 'sys/policy/shop-api')).json).toMatchObject({ name: 'shop-api', rules: text, data: { name: 'shop-api', rules: text } });
    expect((await as(ROOT, 'GET', 'sys/policies/acl/missing')).status).toBe(404);
  });

  it('accepts a base64-encoded policy and the JSON form', async () => {
    await as(ROOT, 'PUT', 'sys/policies/acl/b64', { policy: Buffer.from(text).toString('base64') });
    expect((await as(ROOT, 'GET', 'sys/policies/acl/b64')).json).toMatchObject({ data: { policy: text } });
    expect((await as(ROOT, 'PUT', 'sys/policies/acl/json', { policy: '{"path": {"secret/data/x": {"capabilities": ["read"]}}}' })).status).toBe(204);
  });

  it('refuses bad policies and changes to the built-ins', async () => {
    expect(await as(ROOT, 'PUT', 'sys/policies/acl/x', {})).toMatchObject({ status: 400, json: { errors: ["'policy' parameter not supplied or empty"] } });
    expect((await as(ROOT, 'PUT', 'sys/policies/acl/x', { policy: 'path "a" { capabilities = ' })).json).toEqual({ errors: [expect.stringMatching(/^failed to parse policy: /)] });
    expect((await as(ROOT, 'PUT', 'sys/policies/acl/x', { policy: 'path "a" { capabilities = ["fly"] }' })).json).toEqual({ errors: ['failed to parse policy: path "a": invalid capability "fly"'] });
    expect((await as(ROOT, 'PUT', 'sys/policies/acl/root', { policy: text })).json).toEqual({ errors: ['cannot update "root" policy'] });
    expect((await as(ROOT, 'DELETE', 'sys/policies/acl/default')).json).toEqual({ errors: ['cannot delete "default" policy'] });
  });
});

describe("Vault's priority rules (capabilitiesFor)", () => {
  const winner = async (path: string, ...patterns: string[]): Promise<string | undefined> => {
    const hcl = patterns.map((p, i) => `path "${p}" { capabilities = ["${['read', 'list', 'update', 'delete', 'create'][i]}"] }`).join('\n');
    const capabilities = capabilitiesFor([await parsePolicy('p', hcl)], path);
    return capabilities ? [...capabilities][0] : undefined;
  };

  it('prefers a later first wildcard, then no trailing *, then fewer +, then length, then lexical order', async () => {
    expect(await winner('secret/a/b', 'secret/+/b', 'secret/a/+')).toBe('list');
    expect(await winner('secret/a/b', 'secret/*', 'secret/+/b')).toBe('list');
    expect(await winner('secret/a/b', 'secret/a/+', 'secret/a/*')).toBe('read');
    expect(await winner('secret/a/b/c', 'secret/+/+/c', 'secret/+/b/c')).toBe('list');
    expect(await winner('secret/abc', 'secret/a*', 'secret/ab*')).toBe('list');
    expect(await winner('secret/x', 'secret/x', 'secret/*')).toBe('read');
    expect(await winner('other/x', 'secret/*')).toBeUndefined();
  });
});
