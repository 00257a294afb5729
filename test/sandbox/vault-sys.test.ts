/**
 * Status endpoints (health codes per state, seal-status), sealing, token lookup and creation, and
 * enabling mounts, over HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandboxClock, type ControlledClock } from '../../src/sandbox/clock.ts';
import { createVaultService, type VaultSandbox } from '../../src/sandbox/vault/index.ts';
import { call, serve, type Answer, type ServedService } from '../support/serve-sandbox-service.ts';

const ROOT = 'root-token';
let clock: ControlledClock;
let vault: VaultSandbox;
let served: ServedService;

beforeEach(async () => {
  clock = createSandboxClock({ speed: 0, start: Date.UTC(2026, 5, 1) });
  vault = createVaultService({ clock, rootToken: ROOT, clusterName: 'vault-qa' });
  served = await serve(vault);
});

afterEach(async () => {
  await served.close();
  clock.close();
});

const v = (method: string, path: string, body?: unknown, token = ROOT): Promise<Answer> =>
  call(served.address, method, `/v1/${path}`, { headers: token ? { 'X-Vault-Token': token } : {}, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

describe('sys/health', () => {
  it('answers 200 with the raw (unwrapped) body when active, without a token', async () => {
    const answer = await v('GET', 'sys/health', undefined, '');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      initialized: true,
      sealed: false,
      standby: false,
      performance_standby: false,
      replication_performance_mode: 'disabled',
      replication_dr_mode: 'disabled',
      server_time_utc: Date.UTC(2026, 5, 1) / 1000,
      version: '1.21.0',
      enterprise: false,
      cluster_name: 'vault-qa',
      cluster_id: expect.any(String),
      echo_duration_ms: 0,
      clock_skew_ms: 0,
      replication_primary_canary_age_ms: 0,
    });
  });

  it('carries the state in the status code, with the documented overrides', async () => {
    const status = async (query = ''): Promise<number> => (await v('GET', `sys/health${query}`, undefined, '')).status;
    vault.setStatus({ standby: true });
    expect(await status()).toBe(429);
    expect(await status('?standbyok=true')).toBe(200);
    expect(await status('?standbycode=200')).toBe(200);
    expect((await v('GET', 'sys/health', undefined, '')).json).toMatchObject({ standby: true, ha_connection_healthy: true });
    vault.setStatus({ standby: false, sealed: true });
    expect(await status()).toBe(503);
    expect(await status('?sealedcode=200')).toBe(200);
    vault.setStatus({ initialized: false });
    expect(await status()).toBe(501);
  });

  it('answers HEAD with the status code only', async () => {
    const response = await fetch(`${served.address}/v1/sys/health`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});

describe('sealing', () => {
  it('reports seal-status and refuses everything else with 503 while sealed', async () => {
    expect((await v('GET', 'sys/seal-status', undefined, '')).json).toMatchObject({ type: 'shamir', initialized: true, sealed: false, t: 1, n: 1, progress: 0, cluster_name: 'vault-qa' });
    vault.setStatus({ sealed: true });
    const sealed = (await v('GET', 'sys/seal-status', undefined, '')).json as Record<string, unknown>;
    expect(sealed).toMatchObject({ sealed: true });
    expect(sealed).not.toHaveProperty('cluster_name');
    expect(await v('GET', 'secret/data/x')).toMatchObject({ status: 503, json: { errors: ['Vault is sealed'] } });
    vault.setStatus({ sealed: false });
    expect((await v('GET', 'secret/data/x')).status).toBe(404);
  });
});

describe('tokens', () => {
  it('looks up the root token', async () => {
    const answer = await v('GET', 'auth/token/lookup-self');
    expect(answer.json).toMatchObject({
      mount_type: 'token',
      data: { id: ROOT, policies: ['root'], display_name: 'root', path: 'auth/token/root', ttl: 0, expire_time: null, creation_ttl: 0, orphan: true, type: 'service' },
    });
  });

  it('creates tokens over HTTP with a TTL in seconds, warning about unknown policies', async () => {
    const created = await v('POST', 'auth/token/create', { policies: ['web'], ttl: '60s', meta: { user: 'ci' } });
    const body = created.json as { auth: { client_token: string; policies: string[]; lease_duration: number; metadata: unknown }; warnings: string[] };
    expect(body.warnings).toEqual(['Policy "web" does not exist']);
    expect(body.auth).toMatchObject({ policies: ['default', 'web'], lease_duration: 60, metadata: { user: 'ci' }, renewable: true, token_type: 'service' });
    await clock.advance(15_000);
    const lookup = await v('GET', 'auth/token/lookup-self', undefined, body.auth.client_token);
    expect((lookup.json as { data: Record<string, unknown> }).data).toMatchObject({ ttl: 45, creation_ttl: 60, display_name: 'token', path: 'auth/token/create', meta: { user: 'ci' } });
  });

  it('refuses token creation to tokens without update on auth/token/create', async () => {
    const plain = vault.createToken({ policies: [] });
    expect((await v('POST', 'auth/token/create', {}, plain)).status).toBe(403);
  });
});

describe('routing', () => {
  it('answers unknown mounts with 404 for root and 403 for a token without access', async () => {
    expect(await v('GET', 'nothing/here')).toMatchObject({ status: 404, json: { errors: ['no handler for route "nothing/here". route entry not found.'] } });
    expect((await v('GET', 'nothing/here', undefined, vault.createToken({ policies: [] }))).status).toBe(403);
  });

  it('enables another KV v2 mount through sys/mounts', async () => {
    expect((await v('POST', 'sys/mounts/kv-qa', { type: 'kv', options: { version: '2' } })).status).toBe(204);
    expect((await v('POST', 'kv-qa/data/x', { data: { a: 1 } })).status).toBe(200);
    expect((await v('POST', 'sys/mounts/kv-qa', { type: 'kv-v2' })).json).toEqual({ errors: ['path is already in use at kv-qa/'] });
  });

  it('rejects malformed JSON bodies and unsupported methods', async () => {
    const answer = await call(served.address, 'POST', '/v1/secret/data/x', { headers: { 'X-Vault-Token': ROOT }, body: '{' });
    expect(answer.status).toBe(400);
    expect((answer.json as { errors: string[] }).errors[0]).toMatch(/^failed to parse JSON input/);
    expect((await v('OPTIONS', 'secret/data/x')).status).toBe(405);
  });
});
