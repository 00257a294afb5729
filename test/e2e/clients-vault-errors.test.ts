/**
 * The Vault client (node-vault underneath) over real HTTP on 127.0.0.1 against small
 * purpose-built servers that answer as Vault does (test/fixtures/recorded/vault/ has real answers): JSON
 * `{"errors": [...]}`, 404 `{"errors":[]}`, health codes with valid bodies. Above all: the token,
 * which node-vault keeps in its request options, never reaches an error, a retry event or a log.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/clients/api-error.ts';
import type { RetryEvent } from '../../src/clients/retry.ts';
import { createVaultClient, type VaultClient, type VaultClientOptions } from '../../src/clients/vault/index.ts';
import { SENTINELS } from '../support/sentinels.ts';

const TOKEN = SENTINELS.VAULT_TOKEN;

interface Seen { readonly method: string; readonly url: URL; readonly headers: IncomingHttpHeaders; readonly body: string }
type Handler = (seen: Seen, res: ServerResponse, req: IncomingMessage) => void;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.unstubAllEnvs();
});

async function fakeVault(handle: Handler): Promise<{ address: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: new URL(req.url ?? '/', 'http://x'), headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(entry);
      handle(entry, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return { address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const envelope = (data: unknown) => ({ request_id: 'r1', lease_id: '', renewable: false, lease_duration: 0, data, wrap_info: null, warnings: null, auth: null, mount_type: 'kv' });

function client(address: string, extra: Partial<VaultClientOptions> = {}): VaultClient {
  return createVaultClient({ address, token: TOKEN, retry: { retries: 2, baseDelayMs: 1 }, timeoutMs: 2000, ...extra });
}

function expectNoToken(error: unknown, retries: readonly RetryEvent[] = []): void {
  const e = error as Error;
  for (const text of [e.message, JSON.stringify(e), String(e.stack), inspect(e, { depth: 20, showHidden: true }), JSON.stringify(retries), inspect(retries, { depth: 20 })]) {
    expect(text).not.toContain(TOKEN);
  }
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('vault client against purpose-built servers', () => {
  it('sends X-Vault-Token and X-Vault-Namespace, lists with GET ?list=true, and ignores VAULT_* from the environment', async () => {
    vi.stubEnv('VAULT_TOKEN', SENTINELS.CONSUL_HTTP_TOKEN);
    vi.stubEnv('VAULT_NAMESPACE', 'from-env');
    vi.stubEnv('VAULT_PREFIX', '/prefix-from-env');
    const server = await fakeVault((_s, res) => json(res, 200, { ...envelope({ keys: ['default', 'deploy'] }), keys: ['default', 'deploy'] }));
    expect(await client(server.address, { namespace: 'team-a/' }).policies.list()).toEqual(['default', 'deploy']);
    const [seen] = server.seen;
    expect([seen?.method, seen?.url.pathname, seen?.url.search]).toEqual(['GET', '/v1/sys/policies/acl', '?list=true']);
    expect(seen?.headers['x-vault-token']).toBe(TOKEN);
    expect(seen?.headers['x-vault-namespace']).toBe('team-a/');
    await client(server.address).policies.list();
    expect(server.seen[1]?.headers['x-vault-namespace']).toBeUndefined();
  });

  it.each([
    [400, ['check-and-set parameter did not match the current version'], 'check-and-set parameter did not match the current version'],
    [403, ['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'], 'permission denied\ninvalid token'],
    [405, ['unsupported operation'], 'unsupported operation'],
  ])('maps a JSON %i error to ApiError with Vault\'s messages, without retrying', async (status, errors, body) => {
    const server = await fakeVault((_s, res) => json(res, status, { errors }));
    const retries: RetryEvent[] = [];
    const error = await failure(client(server.address, { onRetry: (e) => retries.push(e) }).token.lookupSelf());
    expect(error).toMatchObject({ service: 'vault', method: 'GET', path: '/v1/auth/token/lookup-self', status, body });
    expect(server.seen).toHaveLength(1);
    expectNoToken(error, retries);
  });

  it('answers null / [] for 404 {"errors":[]} on reads and lists', async () => {
    const server = await fakeVault((_s, res) => json(res, 404, { errors: [] }));
    const vault = client(server.address);
    expect(await vault.kv.metadata('secret', 'shop/api')).toBeNull();
    expect(await vault.kv.subkeys('secret', 'shop/api')).toBeNull();
    expect(await vault.policies.read('nope')).toBeNull();
    expect(await vault.jwt.readRole('jwt-nomad', 'nope')).toBeNull();
    expect(await vault.jwt.listRoles('jwt-nomad')).toEqual([]);
    expect(server.seen.map((s) => `${s.url.pathname}${s.url.search}`)).toEqual([
      '/v1/secret/metadata/shop/api', '/v1/secret/subkeys/shop/api', '/v1/sys/policies/acl/nope', '/v1/auth/jwt-nomad/role/nope', '/v1/auth/jwt-nomad/role?list=true',
    ]);
  });

  it('reads a soft-deleted version (404 WITH a body) as subkeys: null plus its metadata, not as missing', async () => {
    const metadata = { created_time: '2024-01-01T00:00:00Z', custom_metadata: null, deletion_time: '2024-02-01T00:00:00Z', destroyed: false, version: 3 };
    const server = await fakeVault((_s, res) => json(res, 404, envelope({ subkeys: null, metadata })));
    expect(await client(server.address).kv.subkeys('secret', 'shop/api', { depth: 1, version: 3 })).toEqual({ subkeys: null, metadata: { ...metadata, custom_metadata: {} } });
    expect(server.seen[0]?.url.search).toBe('?depth=1&version=3');
  });

  it('retries a read answered 503 (sealed, standby trouble), never a write', async () => {
    const server = await fakeVault((_s, res) => json(res, 503, { errors: ['Vault is sealed'] }));
    const retries: RetryEvent[] = [];
    const vault = client(server.address, { onRetry: (e) => retries.push(e) });
    const read = await failure(vault.policies.read('deploy'));
    expect(read).toMatchObject({ status: 503, body: 'Vault is sealed', exitCode: 69 });
    expect(server.seen).toHaveLength(3);
    const write = await failure(vault.policies.write('deploy', 'path "x" { capabilities = ["read"] }'));
    expect(write.status).toBe(503);
    expect(server.seen).toHaveLength(4);
    expect(JSON.parse(server.seen[3]?.body ?? '{}')).toEqual({ policy: 'path "x" { capabilities = ["read"] }' });
    expect(retries.map((r) => [r.service, r.attempt])).toEqual([['vault', 2], ['vault', 3]]);
    expectNoToken(read, retries);
    expectNoToken(write);
  });

  it('removes the token from an error body that echoes it', async () => {
    const server = await fakeVault((s, res) => json(res, 403, { errors: [`token ${String(s.headers['x-vault-token'])} is not valid`] }));
    const error = await failure(client(server.address).token.lookupSelf());
    expect(error.body).toBe('token [redacted] is not valid');
    expectNoToken(error);
  });

  it('keeps nothing of node-vault\'s axios errors (whose config holds the token): timeout, reset, refused', async () => {
    const silent = await fakeVault(() => undefined);
    const retries: RetryEvent[] = [];
    const timeout = await failure(client(silent.address, { timeoutMs: 100, onRetry: (e) => retries.push(e) }).kv.metadata('secret', 'a'));
    expect(timeout).toMatchObject({ status: undefined, code: 'ETIMEDOUT', isNetworkError: true });
    expect(silent.seen).toHaveLength(3);
    expectNoToken(timeout, retries);

    const reset = await fakeVault((_s, _res, req) => req.socket.destroy());
    const resetError = await failure(client(reset.address, { retry: { retries: 0 } }).jwt.writeRole('jwt-nomad', 'api', { role_type: 'jwt', user_claim: '/nomad_job_id' }));
    expect(resetError).toMatchObject({ status: undefined, code: 'ECONNRESET', method: 'POST' });
    expectNoToken(resetError);

    const closed = await fakeVault(() => undefined);
    await cleanups.pop()?.();
    const refused = await failure(client(closed.address, { retry: { retries: 0 } }).sys.sealStatus());
    expect(refused).toMatchObject({ status: undefined, code: 'ECONNREFUSED' });
    expectNoToken(refused);
  });

  it('cuts the request when the signal aborts (node-vault takes no signal)', async () => {
    let closed = 0;
    const server = await fakeVault((_s, res) => res.on('close', () => closed++));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('preflight cancelled')), 50);
    await expect(client(server.address).kv.metadata('secret', 'a', { signal: controller.signal })).rejects.toThrow('preflight cancelled');
    await expect.poll(() => closed).toBe(1);
  });

  it('reports a 200 that is not a Vault answer with the request and a hint', async () => {
    const server = await fakeVault((_s, res) => (res.writeHead(200, { 'Content-Type': 'text/html' }), res.end('<html>proxy login</html>')));
    const error = await failure(client(server.address).token.lookupSelf());
    expect(error).toMatchObject({ status: 200, path: '/v1/auth/token/lookup-self' });
    expect(error.hint).toContain('VAULT_ADDR');
  });
});

describe('sys/health', () => {
  const body = (extra: Record<string, unknown>) => ({ initialized: true, sealed: false, standby: false, performance_standby: false, replication_dr_mode: 'disabled', replication_performance_mode: 'disabled', server_time_utc: 1, version: '1.21.0', cluster_name: 'c', cluster_id: 'id', enterprise: false, ...extra });

  it.each([
    [200, 'active', {}],
    [429, 'standby', { standby: true }],
    [472, 'dr-secondary', { replication_dr_mode: 'secondary' }],
    [473, 'performance-standby', { standby: true, performance_standby: true }],
    [474, 'standby-unreachable', { standby: true, ha_connection_healthy: false }],
    [501, 'uninitialized', { initialized: false, sealed: true }],
    [503, 'sealed', { sealed: true, standby: true }],
    [530, 'removed', { removed_from_cluster: true }],
  ])('maps health code %i to %s, with its body, as an answer (no retry)', async (code, status, extra) => {
    const server = await fakeVault((_s, res) => json(res, code, body(extra)));
    const health = await client(server.address).sys.health();
    expect(health).toMatchObject({ status, code, body: { version: '1.21.0' } });
    expect(server.seen).toHaveLength(1);
  });

  it('fails on statuses that are not health codes, and on an errors body under a health code', async () => {
    const broken = await fakeVault((_s, res) => json(res, 500, { errors: ['internal error'] }));
    expect(await failure(client(broken.address, { retry: { retries: 0 } }).sys.health())).toMatchObject({ status: 500, body: 'internal error' });
    const overloaded = await fakeVault((_s, res) => json(res, 503, { errors: ['request rate limited'] }));
    const error = await failure(client(overloaded.address).sys.health());
    expect(error).toMatchObject({ status: 503 });
    expect(error.body).toContain('not a sys/health answer');
  });
});
